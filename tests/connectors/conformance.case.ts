/**
 * The ONE list of cases every SQL connector must pass, run against the real servers. Each `<kind>.test.ts` creates a
 * uniquely named database, supplies `reset` (which (re)creates the fixture below with its own DDL) and calls
 * `runConformance`. A connector may skip a case only with a written reason.
 *
 * Fixture (created by `reset`, same data on every store):
 * - `parent` (id int PK, email varchar(100) NOT NULL UNIQUE, nickname varchar(50) NULL): ids 1..5,
 *   email `p{id}@example.test`, nickname `n{id}` (NULL for id 5)
 * - `child` (id int PK, parent_id int NOT NULL FK → parent.id, note varchar(50) NULL): ids 1..10, parent_id ((id-1)%5)+1,
 *   note `c{id}`
 * - `item` (id int PK, label varchar(20) NOT NULL): ids 1..10000, label `item-{id}`
 * - ODD_TABLE (ODD_KEY int PK, ODD_VALUE varchar(20) NULL): ids 1..3, value `v{id}`
 * - `event` (id int PK, kind varchar(10) NOT NULL, flagged boolean NULL, at timestamp NOT NULL): ids 1..20, kind `a`
 *   for odd ids and `b` for even, flagged true when id % 5 = 0, NULL when id % 7 = 0 (not 35), false otherwise, at
 *   2025-01-01 + id days (UTC)
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Connector, Row } from "../../src/connectors/connector.ts";
import { isStewardError } from "../../src/errors.ts";

/** Names with both quote characters in them: only correct quoting lets them through. */
export const ODD_TABLE = 'we"ird`tab';
export const ODD_KEY = 'k"e`y';
export const ODD_VALUE = "va'l";
export const ITEM_COUNT = 10_000;
/** A value that would break out of naive string quoting (fits varchar(20)). */
const INJECTION = "x'\"`); --";

export const CASES = [
  "introspect finds tables, columns, primary and foreign keys, unique and nullable",
  "readByKeys returns exactly the rows of the keys, only the columns asked",
  "readByKeys yields one batch per chunk of keys",
  "readByKeys chunks 10,000 keys and more without exceeding the parameter limit",
  "deleteByKeys deletes only the rows of the keys and returns the count",
  "updateByKeys masks only the rows of the keys",
  "updateEach sets a different value on each row, in one call for many rows",
  "several key columns: rows matched by tuples of values, NULL matching NULL",
  "sample returns at most the limit, only the columns asked",
  "transaction commits when fn resolves",
  "transaction rolls back everything when fn throws",
  "countWhere, keysWhere and deleteWhere choose rows by age, values, exemptions, held keys and present values",
  "a quoted identifier works",
  "an unreachable server gives STW_DB_UNREACHABLE without the password",
] as const;
export type CaseName = (typeof CASES)[number];

export interface ConformanceHarness {
  readonly name: string;
  /** Opens a connector to the test database. */
  connect(): Promise<Connector>;
  /** Drops and recreates the fixture. Runs before every case. */
  reset(): Promise<void>;
  /** The connector's factory, called with `unreachableUrl`. */
  create(url: string): Promise<Connector>;
  /** A URL of the connector's scheme where no server answers, with the password `s3cret`. */
  readonly unreachableUrl: string;
  readonly skip?: readonly { readonly reason: string; readonly cases: readonly CaseName[] }[];
}

async function collect(batches: AsyncIterable<Row[]>): Promise<Row[][]> {
  const out: Row[][] = [];
  for await (const batch of batches) out.push(batch);
  return out;
}

const byId = (rows: readonly Row[], key = "id"): Row[] => [...rows].sort((a, b) => Number(a[key]) - Number(b[key]));
const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** Every row of a fixture table, flattened and sorted, for before/after comparisons. */
async function all(db: Connector, table: string, columns: readonly string[], ids: number[]): Promise<Row[]> {
  return byId((await collect(db.readByKeys(table, columns[0] ?? "id", ids, columns))).flat(), columns[0]);
}

export function runConformance(harness: ConformanceHarness): void {
  const skipped = new Map<string, string>();
  for (const { reason, cases } of harness.skip ?? []) {
    if (reason.trim().length < 10) throw new Error(`${harness.name}: a skipped case needs a written reason`);
    for (const name of cases) skipped.set(name, reason);
  }
  let db: Connector;

  const test = (name: CaseName, fn: () => Promise<void>): void => {
    const reason = skipped.get(name);
    if (reason) it.skip(`${name} — skipped: ${reason}`, fn);
    else it(name, fn);
  };

  describe(`connector conformance: ${harness.name}`, () => {
    beforeAll(async () => {
      db = await harness.connect();
    });
    afterAll(async () => {
      await db?.close();
    });
    beforeEach(() => harness.reset());

    test("introspect finds tables, columns, primary and foreign keys, unique and nullable", async () => {
      const tables = await db.introspect();
      expect(tables.map((t) => t.name)).toEqual(["child", "event", "item", "parent", ODD_TABLE].sort());
      const parent = tables.find((t) => t.name === "parent");
      const child = tables.find((t) => t.name === "child");
      expect(parent?.primaryKey).toEqual(["id"]);
      expect(parent?.columns.map((c) => c.name)).toEqual(["id", "email", "nickname"]);
      expect(parent?.columns.find((c) => c.name === "email")).toMatchObject({
        nullable: false,
        unique: true,
        maxLength: 100,
      });
      expect(parent?.columns.find((c) => c.name === "email")?.type).toMatch(/char/i);
      expect(parent?.columns.find((c) => c.name === "nickname")).toMatchObject({ nullable: true, unique: false });
      expect(parent?.columns.find((c) => c.name === "id")).toMatchObject({ nullable: false, unique: true });
      expect(parent?.foreignKeys).toEqual([]);
      expect(child?.columns.find((c) => c.name === "parent_id")).toMatchObject({ nullable: false, unique: false });
      expect(child?.foreignKeys).toMatchObject([
        { columns: ["parent_id"], referencedTable: "parent", referencedColumns: ["id"] },
      ]);
      expect(child?.foreignKeys[0]?.name).toBeTruthy();
      // No ON DELETE clause: the store's default, which refuses the parent's delete (MariaDB calls it RESTRICT).
      expect(["no_action", "restrict"]).toContain(child?.foreignKeys[0]?.onDelete);
    });

    test("readByKeys returns exactly the rows of the keys, only the columns asked", async () => {
      const batches = await collect(db.readByKeys("parent", "id", [4, 2, 99, 2], ["id", "email"]));
      expect(byId(batches.flat())).toEqual([
        { id: 2, email: "p2@example.test" },
        { id: 4, email: "p4@example.test" },
      ]);
      const children = (await collect(db.readByKeys("child", "parent_id", [3], ["id", "parent_id"]))).flat();
      expect(byId(children)).toEqual([
        { id: 3, parent_id: 3 },
        { id: 8, parent_id: 3 },
      ]);
      expect(await collect(db.readByKeys("parent", "id", [], ["id"]))).toEqual([]);
    });

    test("readByKeys yields one batch per chunk of keys", async () => {
      const batches = await collect(db.readByKeys("parent", "id", [1, 2, 3, 4, 5], ["id"], { batchSize: 2 }));
      expect(batches.map((b) => b.length)).toEqual([2, 2, 1]);
      expect(byId(batches.flat()).map((r) => r["id"])).toEqual([1, 2, 3, 4, 5]);
    });

    test("readByKeys chunks 10,000 keys and more without exceeding the parameter limit", async () => {
      const keys = range(1, ITEM_COUNT);
      const rows = (await collect(db.readByKeys("item", "id", keys, ["id", "label"]))).flat();
      expect(rows).toHaveLength(ITEM_COUNT);
      expect(new Set(rows.map((r) => r["id"])).size).toBe(ITEM_COUNT);
      expect(rows.find((r) => r["id"] === 1234)).toEqual({ id: 1234, label: "item-1234" });
      // More keys than one statement may carry, asked for in one batch: the connector must still split them.
      const many = range(1, ITEM_COUNT + 60_000);
      const big = (await collect(db.readByKeys("item", "id", many, ["id"], { batchSize: 1_000_000 }))).flat();
      expect(big).toHaveLength(ITEM_COUNT);
    });

    test("deleteByKeys deletes only the rows of the keys and returns the count", async () => {
      const childIds = range(1, 10);
      const before = await all(db, "child", ["id", "parent_id", "note"], childIds);
      expect(await db.deleteByKeys("child", "parent_id", [1, 2, 42])).toBe(4);
      const after = await all(db, "child", ["id", "parent_id", "note"], childIds);
      expect(after).toEqual(before.filter((r) => r["parent_id"] !== 1 && r["parent_id"] !== 2));
      expect(await db.deleteByKeys("child", "parent_id", [1])).toBe(0);
      expect(await db.deleteByKeys("child", "id", [])).toBe(0);
      expect(await db.deleteByKeys("item", "id", range(1, ITEM_COUNT - 1))).toBe(ITEM_COUNT - 1);
      expect((await collect(db.readByKeys("item", "id", range(1, ITEM_COUNT), ["id"]))).flat()).toEqual([
        { id: ITEM_COUNT },
      ]);
    });

    test("updateByKeys masks only the rows of the keys", async () => {
      const ids = range(1, 5);
      const before = await all(db, "parent", ["id", "email", "nickname"], ids);
      expect(await db.updateByKeys("parent", "id", [2, 3, 77], { nickname: "masked" })).toBe(2);
      expect(await db.updateByKeys("parent", "id", [4], { email: "masked-4@invalid", nickname: null })).toBe(1);
      expect(await db.updateByKeys("parent", "id", [], { nickname: "x" })).toBe(0);
      const expected = before.map((r) =>
        r["id"] === 2 || r["id"] === 3
          ? { ...r, nickname: "masked" }
          : r["id"] === 4
            ? { ...r, email: "masked-4@invalid", nickname: null }
            : r,
      );
      expect(await all(db, "parent", ["id", "email", "nickname"], ids)).toEqual(expected);
    });

    test("updateEach sets a different value on each row, in one call for many rows", async () => {
      const ids = range(1, 5);
      const before = await all(db, "parent", ["id", "email", "nickname"], ids);
      const updates = [2, 4, 99].map((id) => ({ key: id, set: { email: `m${id}@invalid`, nickname: null } }));
      expect(await db.updateEach("parent", "id", updates)).toBe(2);
      expect(await all(db, "parent", ["id", "email", "nickname"], ids)).toEqual(
        before.map((r) =>
          r["id"] === 2 || r["id"] === 4 ? { ...r, email: `m${String(r["id"])}@invalid`, nickname: null } : r,
        ),
      );
      expect(await db.updateEach("parent", "id", [])).toBe(0);
      await expect(
        db.updateEach("parent", "id", [
          { key: 1, set: { nickname: "a" } },
          { key: 2, set: { email: "b@invalid" } },
        ]),
      ).rejects.toThrow(RangeError);
      // Many rows at once: more than one statement's worth of parameters on every store.
      const items = range(1, ITEM_COUNT).map((id) => ({ key: id, set: { label: `m-${id}` } }));
      expect(await db.updateEach("item", "id", items)).toBe(ITEM_COUNT);
      const labels = (await collect(db.readByKeys("item", "id", [1, 5000, ITEM_COUNT], ["id", "label"]))).flat();
      expect(byId(labels)).toEqual([
        { id: 1, label: "m-1" },
        { id: 5000, label: "m-5000" },
        { id: ITEM_COUNT, label: `m-${ITEM_COUNT}` },
      ]);
    });

    test("several key columns: rows matched by tuples of values, NULL matching NULL", async () => {
      const key = ["parent_id", "note"];
      const ids = (rows: Row[][]) => byId(rows.flat()).map((r) => Number(r["id"]));
      expect(
        ids(
          await collect(
            db.readByKeys(
              "child",
              key,
              [
                [3, "c3"],
                [3, "c8"],
                [3, "c8"],
                [1, "c3"],
              ],
              ["id", "parent_id", "note"],
            ),
          ),
        ),
      ).toEqual([3, 8]);
      expect(await db.updateByKeys("child", key, [[1, "c1"]], { note: null })).toBe(1);
      expect(ids(await collect(db.readByKeys("child", key, [[1, null]], ["id"])))).toEqual([1]);
      const each = [
        { key: [2, "c2"], set: { note: "x2" } },
        { key: [2, "c7"], set: { note: "x7" } },
      ];
      expect(await db.updateEach("child", key, each)).toBe(2);
      expect(await all(db, "child", ["id", "note"], [2, 7])).toEqual([
        { id: 2, note: "x2" },
        { id: 7, note: "x7" },
      ]);
      expect(
        await db.deleteByKeys("child", key, [
          [1, null],
          [2, "x2"],
          [4, "nope"],
        ]),
      ).toBe(2);
      expect((await all(db, "child", ["id"], range(1, 10))).map((r) => Number(r["id"]))).toEqual([
        3, 4, 5, 6, 7, 8, 9, 10,
      ]);
    });

    test("sample returns at most the limit, only the columns asked", async () => {
      const rows = await db.sample("parent", ["email"], 3);
      expect(rows).toHaveLength(3);
      for (const r of rows) expect(Object.keys(r)).toEqual(["email"]);
      expect(rows.every((r) => /^p[1-5]@example\.test$/.test(String(r["email"])))).toBe(true);
      expect(await db.sample("parent", ["id"], 100)).toHaveLength(5);
    });

    test("transaction commits when fn resolves", async () => {
      const result = await db.transaction(async (tx) => {
        await tx.deleteByKeys("child", "parent_id", [4]);
        return tx.deleteByKeys("parent", "id", [4]);
      });
      expect(result).toBe(1);
      expect(await all(db, "parent", ["id"], range(1, 5))).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }, { id: 5 }]);
    });

    test("transaction rolls back everything when fn throws", async () => {
      const parents = await all(db, "parent", ["id", "email", "nickname"], range(1, 5));
      const children = await all(db, "child", ["id", "parent_id", "note"], range(1, 10));
      const failure = new Error("boom");
      await expect(
        db.transaction(async (tx) => {
          expect(await tx.deleteByKeys("child", "parent_id", [3])).toBe(2);
          expect(await tx.updateByKeys("parent", "id", [3], { nickname: "gone" })).toBe(1);
          await tx.transaction(async (inner) => inner.deleteByKeys("parent", "id", [3]));
          throw failure;
        }),
      ).rejects.toBe(failure);
      expect(await all(db, "parent", ["id", "email", "nickname"], range(1, 5))).toEqual(parents);
      expect(await all(db, "child", ["id", "parent_id", "note"], range(1, 10))).toEqual(children);
    });

    test("countWhere, keysWhere and deleteWhere choose rows by age, values, exemptions, held keys and present values", async () => {
      // Due: at before 2025-01-11 → ids 1..9 (id 10 is at 2025-01-11 itself: not before).
      const before = { column: "at", at: new Date("2025-01-11T00:00:00Z") };
      expect(await db.countWhere("event", { before })).toBe(9);
      // Only kind a (1,3,5,7,9), minus flagged ones (5), minus held keys (3); NULL flagged (7) is not exempt.
      const filter = {
        before,
        equals: { kind: "a" },
        except: [{ flagged: true }],
        notIn: { column: "id", values: [3] },
      };
      expect(await db.countWhere("event", filter)).toBe(3);
      expect(await db.keysWhere("event", "id", filter, { limit: 2 })).toEqual([1, 7]);
      expect(await db.keysWhere("event", "id", filter, { limit: 2, after: 7 })).toEqual([9]);
      // Deleting in batches of 2: 2, then 1 (short: the sweep ends), then nothing.
      expect(await db.deleteWhere("event", filter, 2)).toBe(2);
      expect(await db.deleteWhere("event", filter, 2)).toBe(1);
      expect(await db.deleteWhere("event", filter, 2)).toBe(0);
      const left = (
        await collect(
          db.readByKeys(
            "event",
            "id",
            Array.from({ length: 20 }, (_, i) => i + 1),
            ["id"],
          ),
        )
      )
        .flat()
        .map((r) => Number(r["id"]))
        .sort((a, b) => a - b);
      expect(left).toEqual([2, 3, 4, 5, 6, 8, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20]);
      // An exemption with no condition keeps every row; an empty filter covers every row.
      expect(await db.countWhere("event", { before, except: [{}] })).toBe(0);
      expect(await db.countWhere("event", {})).toBe(17);
      // notNull leaves out the rows without a value there (id 14's flagged is NULL; 7, the other, was deleted).
      expect(await db.countWhere("event", { notNull: ["flagged"] })).toBe(16);
      expect(await db.keysWhere("event", "id", { notNull: ["flagged"], before }, { limit: 20 })).toEqual([
        2, 3, 4, 5, 6, 8,
      ]);
      // Inside a transaction that rolls back, nothing is deleted.
      await expect(
        db.transaction(async (tx) => {
          await tx.deleteWhere("event", {}, 100);
          throw new Error("stop");
        }),
      ).rejects.toThrow("stop");
      expect(await db.countWhere("event", {})).toBe(17);
    });

    test("a quoted identifier works", async () => {
      const odd = (await db.introspect()).find((t) => t.name === ODD_TABLE);
      expect(odd?.primaryKey).toEqual([ODD_KEY]);
      expect(odd?.columns.map((c) => c.name)).toEqual([ODD_KEY, ODD_VALUE]);
      const rows = (await collect(db.readByKeys(ODD_TABLE, ODD_KEY, [1, 2], [ODD_KEY, ODD_VALUE]))).flat();
      expect(byId(rows, ODD_KEY)).toEqual([
        { [ODD_KEY]: 1, [ODD_VALUE]: "v1" },
        { [ODD_KEY]: 2, [ODD_VALUE]: "v2" },
      ]);
      expect(await db.updateByKeys(ODD_TABLE, ODD_KEY, [1], { [ODD_VALUE]: INJECTION })).toBe(1);
      expect(await db.deleteByKeys(ODD_TABLE, ODD_KEY, [2])).toBe(1);
      expect(await all(db, ODD_TABLE, [ODD_KEY, ODD_VALUE], [1, 2, 3])).toEqual([
        { [ODD_KEY]: 1, [ODD_VALUE]: INJECTION },
        { [ODD_KEY]: 3, [ODD_VALUE]: "v3" },
      ]);
    });

    test("an unreachable server gives STW_DB_UNREACHABLE without the password", async () => {
      const error = await harness.create(harness.unreachableUrl).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isStewardError(error) && error.code).toBe("STW_DB_UNREACHABLE");
      expect((error as Error).message).not.toContain("s3cret");
      expect((error as Error).message).toContain("***");
    });
  });
}
