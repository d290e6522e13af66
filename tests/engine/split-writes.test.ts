/**
 * A store written by key only (the analytics warehouse: every collection deleted by the accounts' ids) is split over
 * several transactions at once when a batch brings many keys — and stays all-or-nothing: no share commits before every
 * share has written and every decision is made. PostgreSQL holds the accounts; the events store is MariaDB in one
 * case and PostgreSQL in the other (both pool their connections).
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Connector, ConnectorCapabilities, TransactionOptions } from "../../src/connectors/connector.ts";
import { EventLog } from "../../src/engine/events.ts";
import { runErasure } from "../../src/engine/run-request.ts";
import { Stores } from "../../src/engine/stores.ts";
import { type CollectionChanges, SHARE_KEYS, sharesOf, writeChanges } from "../../src/engine/write-changes.ts";
import { loadManifestDir } from "../../src/fs/load-manifest-dir.ts";
import type { Manifest } from "../../src/manifest/types.ts";
import { buildPlan } from "../../src/plan/build-plan.ts";
import { scratchDatabases } from "../scratch-databases.ts";

const scratch = scratchDatabases("split_writes");
const events = scratchDatabases("split_events");
const ACCOUNTS = 40_000;
/** Accounts 1..ERASED are erased: 3 shares (the pool's 4 connections, less one) of 1,000 keys or more. */
const ERASED = 4_000;
let dir: string;
let manifest: Manifest;

const DATASETS = `dataset:
  - fides_key: shop
    collections:
      - name: accounts
        erasure: { action: delete }
        fields:
          - { name: id, data_categories: [user.unique_id], fides_meta: { primary_key: true } }
          - { name: email, data_categories: [user.contact.email], fides_meta: { identity: email } }
      - name: devices
        erasure: { action: delete }
        fields:
          - { name: id, data_categories: [user.device.device_id], fides_meta: { primary_key: true } }
          - name: account_id
            data_categories: [user.unique_id]
            fides_meta: { references: [{ dataset: shop, field: accounts.id, direction: from }] }
  - fides_key: shop_events
    collections:
      - name: events
        erasure: { action: delete }
        fields:
          - { name: id, data_categories: [system.operations], fides_meta: { primary_key: true } }
          - name: account_id
            data_categories: [user.unique_id]
            fides_meta: { references: [{ dataset: shop, field: accounts.id, direction: from }] }
          - name: device_id
            data_categories: [user.device.device_id]
            fides_meta: { references: [{ dataset: shop, field: devices.id, direction: from }] }
          - { name: page, data_categories: [user.behavior] }
      - name: visits
        erasure: { action: delete }
        fields:
          - { name: id, data_categories: [system.operations], fides_meta: { primary_key: true } }
          - name: account_id
            data_categories: [user.unique_id]
            fides_meta: { references: [{ dataset: shop, field: accounts.id, direction: from }] }
`;

const STORES = {
  mariadb: () => ({ shop: scratch.pgUrl, shop_events: scratch.myUrl }),
  postgresql: () => ({ shop: scratch.pgUrl, shop_events: events.pgUrl }),
} as const;
type Kind = keyof typeof STORES;

/** Stores that count the transactions each dataset opens. */
class CountingStores extends Stores {
  readonly transactions = new Map<string, number>();

  override async get(dataset: string): Promise<Connector> {
    const real = await super.get(dataset);
    const counts = this.transactions;
    return new Proxy(real, {
      get(target, property, receiver) {
        if (property === "transaction")
          return <T>(fn: (tx: Connector) => Promise<T>, options?: TransactionOptions) => {
            counts.set(dataset, (counts.get(dataset) ?? 0) + 1);
            return target.transaction(fn, options);
          };
        return Reflect.get(target, property, receiver);
      },
    });
  }
}

/** Each account has two events and one visit; the events of account `failOn` refuse to be deleted. */
async function seed(kind: Kind, failOn?: number): Promise<void> {
  const pg = await scratch.pg();
  await pg.query("TRUNCATE accounts, devices");
  await pg.query(`INSERT INTO accounts SELECT i, 'p' || i || '@example.com' FROM generate_series(1, ${ACCOUNTS}) AS i`);
  // Device ids sort as text, accounts as numbers: an account's device falls in another share's run of devices.
  await pg.query(`INSERT INTO devices SELECT 'dev-' || i, i FROM generate_series(1, ${ACCOUNTS}) AS i`);
  await pg.end();
  const statements = [
    "DELETE FROM events",
    "DELETE FROM visits",
    `INSERT INTO events (id, account_id, device_id, page) SELECT 2 * i, i, CONCAT('dev-', i), '/a' FROM seq WHERE i <= ${ACCOUNTS}`,
    `INSERT INTO events (id, account_id, device_id, page) SELECT 2 * i + 1, i, CONCAT('dev-', i), '/b' FROM seq WHERE i <= ${ACCOUNTS}`,
    `INSERT INTO visits (id, account_id) SELECT i, i FROM seq WHERE i <= ${ACCOUNTS}`,
    // Fresh statistics, as a table in use has: with stale ones MariaDB scans the whole table (see the case without an
    // index below).
    kind === "mariadb" ? "ANALYZE TABLE events, visits" : "ANALYZE events, visits",
  ];
  if (kind === "mariadb") {
    const my = await scratch.my();
    await my.query("DROP TRIGGER IF EXISTS refuse");
    for (const sql of statements) await my.query(sql);
    if (failOn !== undefined)
      await my.query(
        `CREATE TRIGGER refuse BEFORE DELETE ON events FOR EACH ROW
         IF OLD.account_id = ${failOn} THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'refused by the test'; END IF`,
      );
    await my.end();
  } else {
    const c = await events.pg();
    await c.query("DROP TRIGGER IF EXISTS refuse ON events");
    for (const sql of statements) await c.query(sql);
    if (failOn !== undefined)
      await c.query(
        `CREATE TRIGGER refuse BEFORE DELETE ON events FOR EACH ROW WHEN (OLD.account_id = ${failOn})
         EXECUTE FUNCTION refuse()`,
      );
    await c.end();
  }
}

/** Account ids left in each events table, in order. */
async function left(kind: Kind): Promise<{ events: number[]; visits: number[]; accounts: number }> {
  const pg = await scratch.pg();
  const accounts = Number((await pg.query("SELECT count(*) AS n FROM accounts")).rows[0].n);
  await pg.end();
  const q = (table: string) => `SELECT DISTINCT account_id AS a FROM ${table} ORDER BY 1`;
  if (kind === "mariadb") {
    const my = await scratch.my();
    const [e] = await my.query(q("events"));
    const [v] = await my.query(q("visits"));
    await my.end();
    const ids = (rows: unknown) => (rows as { a: number }[]).map((r) => Number(r.a));
    return { events: ids(e), visits: ids(v), accounts };
  }
  const c = await events.pg();
  const e = await c.query(q("events"));
  const v = await c.query(q("visits"));
  await c.end();
  return { events: e.rows.map((r) => Number(r.a)), visits: v.rows.map((r) => Number(r.a)), accounts };
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const emails = (n: number) => new Map([["email", range(1, n).map((i) => `p${i}@example.com`)]]);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "stw-split-"));
  await writeFile(join(dir, "shop.yml"), DATASETS);
  manifest = await loadManifestDir(dir);
  await scratch.createPg([
    "CREATE TABLE accounts (id int PRIMARY KEY, email text NOT NULL)",
    "CREATE TABLE devices (id text PRIMARY KEY, account_id int NOT NULL REFERENCES accounts)",
  ]);
  const tables = [
    "CREATE TABLE events (id INT PRIMARY KEY, account_id INT NOT NULL, device_id VARCHAR(20), page VARCHAR(50))",
    "CREATE INDEX events_account ON events (account_id)",
    "CREATE INDEX events_device ON events (device_id)",
    "CREATE TABLE visits (id INT PRIMARY KEY, account_id INT NOT NULL)",
    "CREATE INDEX visits_account ON visits (account_id)",
  ];
  await scratch.createMy([
    ...tables,
    "CREATE TABLE seq (i INT PRIMARY KEY)",
    "SET SESSION max_recursive_iterations = 100000",
    `INSERT INTO seq WITH RECURSIVE s (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < ${ACCOUNTS}) SELECT i FROM s`,
  ]);
  await events.createPg([
    ...tables,
    `CREATE VIEW seq AS SELECT generate_series(1, ${ACCOUNTS}) AS i`,
    `CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused by the test'; END $$`,
  ]);
}, 60_000);

afterAll(async () => {
  await scratch.drop();
  await events.drop();
  await rm(dir, { recursive: true, force: true });
});

describe("splitting a store written by key only", () => {
  it("splits only many keys, by contiguous runs of the sorted keys, and only where transactions can be open at once", () => {
    const pooled: ConnectorCapabilities = {
      supportsReturning: false,
      supportsTransactions: true,
      supportsTransactionalDdl: false,
      supportsArrayParameters: false,
      maxParameters: 65_535,
      supportsConditions: true,
      readsBesideWrites: true,
      concurrentTransactions: 4,
    };
    const direct = (values: string[]): CollectionChanges => ({
      collection: "shop_events.events",
      dataset: "shop_events",
      table: "events",
      rows: [],
      changes: [],
      direct: true,
      byLookup: new Map([["account_id", values]]),
    });
    // Ids as text, shuffled: sorted by value, not as text ("10" after "9").
    const ids = range(1, 2 * SHARE_KEYS)
      .map(String)
      .sort();
    const two = sharesOf([direct(ids)], pooled);
    expect(two).toHaveLength(2);
    expect(two[0]![0]!.byLookup!.get("account_id")).toEqual(range(1, SHARE_KEYS).map(String));
    expect(two[1]![0]!.byLookup!.get("account_id")).toEqual(range(SHARE_KEYS + 1, 2 * SHARE_KEYS).map(String));
    expect(sharesOf([direct(ids.slice(1))], pooled)).toHaveLength(1);
    // One fewer than the pool's connections: one is left for reads from outside.
    expect(sharesOf([direct(range(1, 10 * SHARE_KEYS).map(String))], pooled)).toHaveLength(3);
    // One connection (SQLite), no transactions (a processor), or a collection that is not deleted by key alone.
    expect(sharesOf([direct(ids)], { ...pooled, concurrentTransactions: 1 })).toHaveLength(1);
    expect(sharesOf([direct(ids)], { ...pooled, supportsTransactions: false })).toHaveLength(1);
    expect(sharesOf([direct(ids), { ...direct(["1"]), direct: false }], pooled)).toHaveLength(1);
    // Found by two fields: a row could be in two shares (the engine addresses such a collection by its own key first).
    const twoFields = { ...direct(ids), byLookup: new Map([...direct(ids).byLookup!, ["device_id", ["d1"]]]) };
    expect(sharesOf([twoFields], pooled)).toHaveLength(1);
  });

  for (const kind of ["mariadb", "postgresql"] as const) {
    describe(`on ${kind}`, () => {
      beforeEach(() => seed(kind), 60_000);

      it("erases a batch in three transactions at once, every erased account's rows and nobody else's", async () => {
        const stores = new CountingStores(manifest, { connections: STORES[kind]() });
        const log = new EventLog();
        const outcome = await runErasure(manifest, emails(ERASED), stores, { events: log }).finally(() =>
          stores.closeAll(),
        );
        expect(outcome.failed, outcome.failed?.why).toBeUndefined();
        expect(outcome.proof?.complete).toBe(true);
        expect(outcome.collections["shop_events.events"]).toMatchObject({ deleted: 2 * ERASED });
        expect(outcome.collections["shop_events.visits"]).toMatchObject({ deleted: ERASED });
        expect(outcome.collections["shop.accounts"]).toMatchObject({ deleted: ERASED });
        expect(stores.transactions.get("shop_events")).toBe(3);
        expect(log.events).toContainEqual({ kind: "store_committed", dataset: "shop_events", transactions: 3 });
        expect(await left(kind)).toEqual({
          events: range(ERASED + 1, ACCOUNTS),
          visits: range(ERASED + 1, ACCOUNTS),
          accounts: ACCOUNTS - ERASED,
        });
      }, 60_000);

      it("one person's erasure is one transaction", async () => {
        const stores = new CountingStores(manifest, { connections: STORES[kind]() });
        const outcome = await runErasure(manifest, emails(1), stores).finally(() => stores.closeAll());
        expect(outcome.collections["shop_events.events"]).toMatchObject({ deleted: 2 });
        expect(stores.transactions.get("shop_events")).toBe(1);
      });

      it("rolls every share back when one share fails to write, and the accounts wait for it", async () => {
        // Account 3,500 is in the last of three shares: the other two have written by then or are writing.
        await seed(kind, 3_500);
        const stores = new CountingStores(manifest, { connections: STORES[kind]() });
        const outcome = await runErasure(manifest, emails(ERASED), stores).finally(() => stores.closeAll());
        expect(outcome.failed?.dataset).toBe("shop_events");
        expect(outcome.failed?.why).toMatch(/^STW_ENGINE_WRITE_FAILED: .*events.*refused by the test/s);
        expect(outcome.failed?.skipped).toEqual(["shop"]);
        expect(outcome.collections["shop_events.events"]).toMatchObject({ deleted: 0 });
        // Three shares, then the store in one transaction, which failed the same way.
        expect(stores.transactions.get("shop_events")).toBe(4);
        // Nothing went: not another share's events, nor the accounts that commit after them.
        expect(await left(kind)).toEqual({
          events: range(1, ACCOUNTS),
          visits: range(1, ACCOUNTS),
          accounts: ACCOUNTS,
        });
      }, 60_000);

      it("writes the store in one transaction when the shares would wait on each other (no index on the key)", async () => {
        const indexes = ["events_account ON events", "events_device ON events", "visits_account ON visits"];
        const run = async (statements: string[]) => {
          if (kind === "mariadb") {
            const my = await scratch.my();
            for (const sql of statements) await my.query(sql);
            await my.end();
          } else {
            const c = await events.pg();
            // PostgreSQL names an index without its table when it drops it.
            for (const sql of statements) await c.query(sql.startsWith("DROP") ? sql.replace(/ ON \w+$/, "") : sql);
            await c.end();
          }
        };
        await run(indexes.map((i) => `DROP INDEX ${i}`));
        try {
          const stores = new CountingStores(manifest, { connections: STORES[kind]() });
          const log = new EventLog();
          const outcome = await runErasure(manifest, emails(ERASED), stores, { events: log }).finally(() =>
            stores.closeAll(),
          );
          expect(outcome.failed, outcome.failed?.why).toBeUndefined();
          expect(outcome.proof?.complete).toBe(true);
          expect(outcome.collections["shop_events.events"]).toMatchObject({ deleted: 2 * ERASED });
          expect(await left(kind)).toEqual({
            events: range(ERASED + 1, ACCOUNTS),
            visits: range(ERASED + 1, ACCOUNTS),
            accounts: ACCOUNTS - ERASED,
          });
          // InnoDB locks the rows a scan passes: the shares gave up and one transaction wrote the store. PostgreSQL
          // locks only the rows it deletes: the shares did not meet.
          const split = kind === "mariadb" ? undefined : 3;
          expect(stores.transactions.get("shop_events")).toBe(kind === "mariadb" ? 4 : 3);
          expect(log.events.find((e) => e.kind === "store_committed" && e.dataset === "shop_events")).toEqual({
            kind: "store_committed",
            dataset: "shop_events",
            ...(split ? { transactions: split } : {}),
          });
        } finally {
          await run(
            indexes.map((i) => `CREATE INDEX ${i} (${i.startsWith("events_device") ? "device_id" : "account_id"})`),
          );
        }
      }, 60_000);

      it("leaves a connection for what deciding still reads of the store while its shares wait", async () => {
        const plan = buildPlan(manifest, { action: "erasure", identities: ["email"] });
        const stores = new CountingStores(manifest, { connections: STORES[kind]() });
        const keys = range(1, ERASED).map(String);
        let start!: () => void;
        const started = new Promise<void>((resolve) => {
          start = resolve;
        });
        // Deciding reads the events store (as the check of other people's rows does) once the shares are open.
        const decided = started.then(async () => {
          const events = await stores.get("shop_events");
          let n = 0;
          for await (const batch of events.readByKeys("visits", "account_id", [String(ACCOUNTS)], ["id"]))
            n += batch.length;
          return n;
        });
        const outcome = await writeChanges(
          plan,
          async (dataset) => {
            if (dataset === "shop") return [];
            setTimeout(start, 200);
            return [
              {
                collection: "shop_events.visits",
                dataset: "shop_events",
                table: "visits",
                rows: [],
                changes: [],
                direct: true,
                byLookup: new Map([["account_id", keys]]),
              },
            ];
          },
          stores,
          undefined,
          { decided },
        ).finally(() => stores.closeAll());
        expect(await decided).toBe(1);
        expect(outcome.failed, outcome.failed?.why).toBeUndefined();
        expect(outcome.counts.get("shop_events.visits")).toMatchObject({ deleted: ERASED });
        expect(stores.transactions.get("shop_events")).toBe(3);
      }, 60_000);

      it("rolls every share back when deciding fails after they wrote", async () => {
        const plan = buildPlan(manifest, { action: "erasure", identities: ["email"] });
        let fail!: (e: Error) => void;
        const decided = new Promise((_, reject) => {
          fail = reject;
        });
        decided.catch(() => {});
        const stores = new CountingStores(manifest, { connections: STORES[kind]() });
        const keys = range(1, ERASED).map(String);
        const outcome = await writeChanges(
          plan,
          async (dataset) => {
            if (dataset === "shop") return [];
            // Deciding fails once the shares are under way.
            setTimeout(() => fail(new Error("deciding failed")), 200);
            return ["events", "visits"].map((table) => ({
              collection: `shop_events.${table}`,
              dataset: "shop_events",
              table,
              rows: [],
              changes: [],
              direct: true,
              byLookup: new Map([["account_id", keys]]),
            }));
          },
          stores,
          undefined,
          { decided },
        ).finally(() => stores.closeAll());
        expect(stores.transactions.get("shop_events")).toBe(3);
        expect(outcome.failed).toBeUndefined();
        expect(outcome.counts.size).toBe(0);
        expect(outcome.skipped).toContain("shop_events");
        expect((await left(kind)).events).toEqual(range(1, ACCOUNTS));
      }, 60_000);
    });
  }
});
