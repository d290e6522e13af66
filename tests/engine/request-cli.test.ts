/** `steward request` with bad input: a coded error naming the value and the fix, exit 2, nothing run. */
import { describe, expect, it } from "vitest";
import { steward } from "../cli/run-cli.ts";

const EXAMPLE = "examples/learning-platform";

describe("steward request refuses bad input clearly", () => {
  it.each([
    [
      ["request", "delete", EXAMPLE, "--identity", "email=a@b.c"],
      /STW_CLI_BAD_OPTION: option <action> does not take "delete"; allowed: "access", "erasure", "rectification"/,
    ],
    [
      ["request", "access", EXAMPLE],
      /STW_CLI_USAGE: a request needs --identity TYPE=VALUE or --identities FILE; identity types: device_id, email, phone_number, user_id/,
    ],
    [
      ["request", "access", EXAMPLE, "--identity", "mail=a@b.c"],
      /STW_ENGINE_UNKNOWN_IDENTITY: identity type "mail" is not declared by any field; allowed: "device_id", "email"/,
    ],
    [
      ["request", "rectification", EXAMPLE, "--identity", "email=a@b.c", "--set", "users.name=x"],
      /STW_ENGINE_BAD_SET: --set "users.name" matches no personal field; .*"learning_analytics\.clickstream_events\.user_id"/,
    ],
    [
      ["request", "access", EXAMPLE, "--identity", "email=a@b.c", "--connection", "nosuch=postgres://x"],
      /STW_CLI_BAD_OPTION: option --connection does not take "nosuch=…"; allowed: "learning_analytics=URL"/,
    ],
    [
      ["request", "access", EXAMPLE, "--identity", "email=a@b.c", "--batch-size", "0"],
      /STW_CLI_BAD_OPTION: option --batch-size does not take "0"/,
    ],
  ])("%j", (args, message) => {
    const r = steward(args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it("names the bad line of an --identities file without echoing its value", async () => {
    const { writeFile, mkdtemp } = await import("node:fs/promises");
    const { join } = await import("node:path");
    const { tmpdir } = await import("node:os");
    const file = join(await mkdtemp(join(tmpdir(), "stw-ids-")), "people.txt");
    await writeFile(file, "# today's deletions\nemail=a@b.c\n\nsecret-person@example.com\n");
    const r = steward(["request", "erasure", EXAMPLE, "--identities", file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/STW_ENGINE_BAD_IDENTITY_LINE: line 4 of ".*people\.txt" is not TYPE=VALUE/);
    expect(r.stderr).not.toContain("secret-person");
  });

  it("an unreachable database is reported per store, with the password hidden, and the exit code says so", () => {
    const r = steward([
      "request",
      "access",
      EXAMPLE,
      "--identity",
      "email=a@b.c",
      "--connection",
      "learning_app=postgres://u:s3cret@127.0.0.1:1/x",
    ]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /unreached learning_app\.users, .*: STW_DB_UNREACHABLE: cannot connect to postgres:\/\/u:\*\*\*@127\.0\.0\.1:1\/x/,
    );
    expect(r.stdout + r.stderr).not.toContain("s3cret");
  });
});
