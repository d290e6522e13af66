/**
 * Rows the manifest gives no key are told apart by the table's real key, or by every column where the table has none
 * — never by the fields the manifest happens to list. On each SQL store kind: `notes` has no primary key at all and a
 * column the manifest does not list (`tag`), `marks` has a composite primary key (user_id, course) whose second
 * column the manifest does not list. Two of the subject's rows agree on every declared field; both are in the access
 * package, both are masked (a third, NULL already, needs nothing), and the other person's rows are untouched.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runAccess, runErasure } from "../../src/engine/run-request.ts";
import type { Stores } from "../../src/engine/stores.ts";
import { loadManifestDir } from "../../src/fs/load-manifest-dir.ts";
import type { Manifest } from "../../src/manifest/types.ts";
import { scratchDatabases, sqliteRun } from "../scratch-databases.ts";
import { withStores } from "../with-stores.ts";

const scratch = scratchDatabases("keyless");
let dir: string;

const DDL = [
  "CREATE TABLE notes (user_id int NOT NULL, body varchar(40), tag varchar(10))",
  "CREATE TABLE marks (user_id int NOT NULL, course int NOT NULL, grade varchar(4), PRIMARY KEY (user_id, course))",
  "INSERT INTO notes VALUES (1, 'hello', 'a'), (1, 'hello', 'b'), (1, NULL, NULL), (2, 'hello', 'a')",
  "INSERT INTO marks VALUES (1, 10, 'A'), (1, 11, 'A'), (2, 10, 'A')",
];

const dataset = (key: string) => `  - fides_key: ${key}
    collections:
      - name: notes
        fields:
          - name: user_id
            data_categories: [user.unique_id]
            fides_meta: { identity: user_id }
            erasure: { action: keep, reason: Test fixture keeps the owner to check the rows. }
          - { name: body, data_categories: [user.content] }
      - name: marks
        fields:
          - { name: user_id, data_categories: [system.operations], fides_meta: { identity: user_id } }
          - { name: grade, data_categories: [user.content] }
`;

const KINDS = ["postgres", "mariadb", "sqlite"] as const;
const urls: Record<(typeof KINDS)[number], string> = {
  postgres: scratch.pgUrl,
  mariadb: scratch.myUrl,
  sqlite: "",
};
let manifest: Manifest;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "stw-keyless-"));
  urls.sqlite = `sqlite://${join(dir, "app.db")}`;
  await writeFile(join(dir, "datasets.yml"), `dataset:\n${KINDS.map(dataset).join("")}`);
  manifest = await loadManifestDir(dir);

  await scratch.createPg(DDL);
  await scratch.createMy(DDL);
  sqliteRun(join(dir, "app.db"), DDL);
});

afterAll(async () => {
  await scratch.drop();
  await rm(dir, { recursive: true, force: true });
});

const run = <T>(fn: (stores: Stores) => Promise<T>): Promise<T> => withStores(manifest, urls, fn);

/** Every row of a table, as plain sorted tuples, read straight from the store. */
async function rowsOf(kind: (typeof KINDS)[number], table: string): Promise<unknown[][]> {
  const sql = `SELECT * FROM ${table}`;
  let rows: Record<string, unknown>[];
  if (kind === "postgres") {
    const c = await scratch.pg();
    rows = (await c.query(sql)).rows;
    await c.end();
  } else if (kind === "mariadb") {
    const c = await scratch.my();
    rows = (await c.query(sql))[0] as Record<string, unknown>[];
    await c.end();
  } else {
    const c = new Database(join(dir, "app.db"), { readonly: true });
    rows = c.prepare(sql).all() as Record<string, unknown>[];
    c.close();
  }
  return rows.map((r) => Object.values(r)).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
}

describe("rows without a declared key", () => {
  it("access shows every row, also two that agree on every declared field", async () => {
    const outcome = await run((stores) => runAccess(manifest, new Map([["user_id", [1]]]), stores));
    expect(outcome.unreached).toEqual([]);
    for (const kind of KINDS) {
      const notes = outcome.access!.collections.find((c) => c.collection === `${kind}.notes`)!;
      expect(notes.rows, kind).toHaveLength(3);
      expect(
        notes.rows.filter((r) => r["body"] === "hello"),
        kind,
      ).toHaveLength(2);
      expect(notes.rows[0], kind).not.toHaveProperty("tag"); // read to tell rows apart, never shown
      const marks = outcome.access!.collections.find((c) => c.collection === `${kind}.marks`)!;
      expect(marks.rows, kind).toEqual([{ grade: "A" }, { grade: "A" }]);
    }
  });

  it("erasure deletes and masks each of the subject's rows, counts them right, and leaves the other person's", async () => {
    const outcome = await run((stores) => runErasure(manifest, new Map([["user_id", [1]]]), stores));
    expect(outcome.failed).toBeUndefined();
    for (const kind of KINDS) {
      expect(outcome.collections[`${kind}.notes`], kind).toMatchObject({ read: 3, deleted: 0, masked: 2 });
      expect(outcome.collections[`${kind}.marks`], kind).toMatchObject({ read: 2, masked: 2 });
      expect(await rowsOf(kind, "notes"), kind).toEqual([
        [1, null, "a"],
        [1, null, "b"],
        [1, null, null],
        [2, "hello", "a"],
      ]);
      expect(await rowsOf(kind, "marks"), kind).toEqual([
        [1, 10, null],
        [1, 11, null],
        [2, 10, "A"],
      ]);
    }
    expect(outcome.proof).toMatchObject({ complete: true });
  });
});
