import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPostgresConnector, quotePostgres as q } from "../../src/connectors/postgres/index.ts";
import { ITEM_COUNT, ODD_KEY, ODD_TABLE, ODD_VALUE, runConformance } from "./conformance.case.ts";

const SERVER = "postgres://postgres@127.0.0.1:5432";
const DATABASE = `stw_conn_pg_${process.pid}_${Date.now()}`;
const URL = `${SERVER}/${DATABASE}`;

async function withClient<T>(database: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: `${SERVER}/${database}` });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

const FIXTURE = `
DROP TABLE IF EXISTS child, parent, item, event, ${q(ODD_TABLE)};
CREATE TABLE parent (id int PRIMARY KEY, email varchar(100) NOT NULL UNIQUE, nickname varchar(50));
CREATE TABLE child (id int PRIMARY KEY, parent_id int NOT NULL REFERENCES parent (id), note varchar(50));
CREATE TABLE item (id int PRIMARY KEY, label varchar(20) NOT NULL);
CREATE TABLE event (id int PRIMARY KEY, kind varchar(10) NOT NULL, flagged boolean, at timestamptz NOT NULL);
CREATE TABLE ${q(ODD_TABLE)} (${q(ODD_KEY)} int PRIMARY KEY, ${q(ODD_VALUE)} varchar(20));
INSERT INTO parent SELECT i, 'p' || i || '@example.test', CASE WHEN i < 5 THEN 'n' || i END FROM generate_series(1, 5) i;
INSERT INTO child SELECT i, ((i - 1) % 5) + 1, 'c' || i FROM generate_series(1, 10) i;
INSERT INTO item SELECT i, 'item-' || i FROM generate_series(1, ${ITEM_COUNT}) i;
INSERT INTO event SELECT i, CASE WHEN i % 2 = 1 THEN 'a' ELSE 'b' END, CASE WHEN i % 5 = 0 THEN true WHEN i % 7 = 0 THEN NULL ELSE false END, timestamptz '2025-01-01 00:00:00+00' + i * interval '1 day' FROM generate_series(1, 20) i;
INSERT INTO ${q(ODD_TABLE)} SELECT i, 'v' || i FROM generate_series(1, 3) i;`;

beforeAll(() => withClient("postgres", (c) => c.query(`CREATE DATABASE ${q(DATABASE)}`)));
afterAll(() => withClient("postgres", (c) => c.query(`DROP DATABASE IF EXISTS ${q(DATABASE)} WITH (FORCE)`)));

runConformance({
  name: "postgres",
  connect: () => createPostgresConnector(URL),
  reset: () => withClient(DATABASE, (c) => c.query(FIXTURE)).then(() => undefined),
  create: createPostgresConnector,
  unreachableUrl: "postgres://alice:s3cret@127.0.0.1:1/app",
});

describe("postgres connector specifics", () => {
  it("quotes an identifier by doubling its double quotes", () => {
    expect(q('we"ird')).toBe('"we""ird"');
    expect(() => q("a\0b")).toThrow(RangeError);
  });

  it("refuses a URL of another scheme with STW_DB_BAD_URL, password hidden", async () => {
    const error = await createPostgresConnector("mysql://bob:s3cret@127.0.0.1/app").catch((e: Error) => e);
    expect(error).toMatchObject({ code: "STW_DB_BAD_URL" });
    expect((error as Error).message).not.toContain("s3cret");
  });
});
