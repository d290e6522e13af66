import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { seedDemo } from "../../src/demo/seed-demo.ts";
import { steward } from "../cli/run-cli.ts";
import { PG_SERVER } from "../scratch-databases.ts";
import { demoDatabases } from "./demo-databases.ts";

// Valid URLs for the other side of each case; nothing may ever be created under this name.
const never = demoDatabases("never");
const ok = { pg: never.pgUrl, my: never.myUrl };

async function pgDatabaseExists(name: string): Promise<boolean> {
  const admin = new pg.Client({ connectionString: `${PG_SERVER}/postgres` });
  await admin.connect();
  const { rowCount } = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
  await admin.end();
  return rowCount === 1;
}

const run = (postgresUrl: string, mysqlUrl: string) => seedDemo({ learners: 10, seed: 1, postgresUrl, mysqlUrl });

describe("steward demo seed refuses bad input with coded errors", () => {
  afterAll(() => never.drop());

  it.each([
    ["http://127.0.0.1:5432/app", ok.my],
    ["postgres://127.0.0.1:5432/", ok.my],
    ["postgres://127.0.0.1:5432/bad-name; DROP", ok.my],
    ["not a url", ok.my],
    [ok.pg, "postgres://127.0.0.1:3306/analytics"],
  ])("STW_DB_BAD_URL for %s / %s", async (pgUrl, myUrl) => {
    await expect(run(pgUrl, myUrl)).rejects.toMatchObject({ code: "STW_DB_BAD_URL" });
  });

  it("hides the password of a bad URL", async () => {
    const error = await run("postgresx://alice:s3cret@127.0.0.1/app", ok.my).catch((e: Error) => e);
    expect(error).toMatchObject({ code: "STW_DB_BAD_URL" });
    expect((error as Error).message).not.toContain("s3cret");
  });

  it("STW_DB_UNREACHABLE when no server answers, naming the server without the password", async () => {
    const error = await run("postgres://postgres:s3cret@127.0.0.1:1/app", ok.my).catch((e: Error) => e);
    expect(error).toMatchObject({ code: "STW_DB_UNREACHABLE" });
    expect((error as Error).message).toContain("127.0.0.1:1");
    expect((error as Error).message).not.toContain("s3cret");
    await expect(run(ok.pg, "mysql://root@127.0.0.1:1/analytics")).rejects.toMatchObject({
      code: "STW_DB_UNREACHABLE",
    });
    // Both servers are reached before either database is created: the reachable side was left alone.
    expect(await pgDatabaseExists(never.name)).toBe(false);
  });

  it.each(["0", "-5", "abc", "1.5", "10000001"])("the CLI rejects --learners %s with exit 2", (value) => {
    const result = steward(["demo", "seed", "--learners", value]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("STW_CLI_BAD_OPTION");
    expect(result.stderr).toContain("--learners");
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it("the CLI reports a bad --pg URL as STW_DB_BAD_URL with exit 2", () => {
    const result = steward(["demo", "seed", "--learners", "5", "--pg", "mysql://x/y"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("STW_DB_BAD_URL");
  });
});
