/**
 * How an erasure writes several stores: each in its own transaction, the stores at the same time, the commits one
 * after the other (a store found through another store's rows commits first); datasets in the same database but
 * reached by different URLs one after the other, and datasets reached by the same URL in one transaction. A real
 * failure (a MariaDB trigger that refuses the delete) in the store that commits first rolls back every store after
 * it; the same request, run again, finishes the job.
 *
 * Three Fides datasets: `shop` (customers, PostgreSQL), `shop_notes` (notes about customers, in the same PostgreSQL
 * database, with a real foreign key) and `shop_events` (events, MariaDB, referring to the customers across servers).
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import mysql from "mysql2/promise";
import pg from "pg";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Connector, TransactionOptions } from "../../src/connectors/connector.ts";
import { runErasure } from "../../src/engine/run-request.ts";
import { Stores } from "../../src/engine/stores.ts";
import { loadManifestDir } from "../../src/fs/load-manifest-dir.ts";
import type { Manifest } from "../../src/manifest/types.ts";

const NAME = `stw_write_stores_${process.pid}_${Date.now().toString(36)}`;
const PG_URL = `postgres://postgres@127.0.0.1:5432/${NAME}`;
const MY_URL = `mysql://root@127.0.0.1:3306/${NAME}`;
/** The notes' URL names the same database another way: same locks, another connection. */
const CONNECTIONS = { shop: PG_URL, shop_notes: `${PG_URL}?application_name=notes`, shop_events: MY_URL };

const DATASETS = `dataset:
  - fides_key: shop
    collections:
      - name: customers
        erasure: { action: delete }
        fields:
          - name: id
            data_categories: [user.unique_id]
            fides_meta: { primary_key: true, data_type: integer }
          - name: email
            data_categories: [user.contact.email]
            fides_meta: { identity: email, data_type: string }
  - fides_key: shop_notes
    collections:
      - name: notes
        erasure: { action: delete }
        fields:
          - name: id
            data_categories: [system.operations]
            fides_meta: { primary_key: true }
          - name: customer_id
            data_categories: [user.unique_id]
            fides_meta:
              references: [{ dataset: shop, field: customers.id, direction: from }]
          - name: body
            data_categories: [user.content]
  - fides_key: shop_events
    collections:
      - name: events
        erasure: { action: delete }
        fields:
          - name: id
            data_categories: [system.operations]
            fides_meta: { primary_key: true }
          - name: customer_id
            data_categories: [user.unique_id]
            fides_meta:
              references: [{ dataset: shop, field: customers.id, direction: from }]
          - name: page
            data_categories: [user.behavior]
`;

const PG_DDL = `
CREATE TABLE customers (id int PRIMARY KEY, email text NOT NULL UNIQUE);
CREATE TABLE notes (id int PRIMARY KEY, customer_id int NOT NULL REFERENCES customers (id), body text NOT NULL);`;
const MY_DDL = "CREATE TABLE events (id INT PRIMARY KEY, customer_id INT NOT NULL, page VARCHAR(100) NOT NULL)";
/** A real failure: MariaDB refuses to delete an event of customer 1. */
const REFUSE =
  "CREATE TRIGGER refuse_delete BEFORE DELETE ON events FOR EACH ROW " +
  "IF OLD.customer_id = 1 THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'events are frozen'; END IF";

let dir: string;
let manifest: Manifest;
let pgc: pg.Client;
let my: mysql.Connection;

/** Every row of the three tables, as "table:id". */
async function rows(): Promise<string[]> {
  const customers = await pgc.query<{ id: number }>("SELECT id FROM customers ORDER BY id");
  const notes = await pgc.query<{ id: number }>("SELECT id FROM notes ORDER BY id");
  const [events] = await my.query<mysql.RowDataPacket[]>("SELECT id FROM events ORDER BY id");
  return [
    ...customers.rows.map((r) => `customers:${r.id}`),
    ...notes.rows.map((r) => `notes:${r.id}`),
    ...events.map((r) => `events:${r["id"]}`),
  ];
}

/** Stores whose connectors record when each dataset's transaction ran (the real connectors do the work). */
class RecordingStores extends Stores {
  readonly transactions: { dataset: string; start: number; end: number; committed: boolean }[] = [];

  override async get(dataset: string): Promise<Connector> {
    const real = await super.get(dataset);
    const transactions = this.transactions;
    return new Proxy(real, {
      get(target, property, receiver) {
        if (property !== "transaction") return Reflect.get(target, property, receiver);
        return async <T>(fn: (tx: Connector) => Promise<T>, options?: TransactionOptions) => {
          const start = performance.now();
          let committed = false;
          try {
            const result = await target.transaction(fn, options);
            committed = true;
            return result;
          } finally {
            transactions.push({ dataset, start, end: performance.now(), committed });
          }
        };
      },
    });
  }
}

const erase = async (stores: Stores) =>
  runErasure(manifest, new Map([["email", ["ada@example.com"]]]), stores).finally(() => stores.closeAll());

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "stw-write-stores-"));
  await writeFile(join(dir, "shop.yml"), DATASETS);
  manifest = await loadManifestDir(dir);
  const admin = new pg.Client({ connectionString: "postgres://postgres@127.0.0.1:5432/postgres" });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${NAME}"`);
  await admin.end();
  pgc = new pg.Client({ connectionString: PG_URL });
  await pgc.connect();
  await pgc.query(PG_DDL);
  my = await mysql.createConnection({ uri: "mysql://root@127.0.0.1:3306" });
  await my.query(`CREATE DATABASE \`${NAME}\``);
  await my.query(`USE \`${NAME}\``);
  await my.query(MY_DDL);
});

beforeEach(async () => {
  await pgc.query("TRUNCATE notes, customers");
  await pgc.query("INSERT INTO customers VALUES (1, 'ada@example.com'), (2, 'alan@example.com')");
  await pgc.query("INSERT INTO notes VALUES (10, 1, 'called about a refund'), (11, 2, 'asked for an invoice')");
  await my.query("DROP TRIGGER IF EXISTS refuse_delete");
  await my.query("DELETE FROM events");
  await my.query("INSERT INTO events VALUES (20, 1, '/checkout'), (21, 1, '/cart'), (22, 2, '/home')");
});

afterAll(async () => {
  await pgc?.end();
  const admin = new pg.Client({ connectionString: "postgres://postgres@127.0.0.1:5432/postgres" });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${NAME}" WITH (FORCE)`);
  await admin.end();
  await my?.query(`DROP DATABASE IF EXISTS \`${NAME}\``);
  await my?.end();
  await rm(dir, { recursive: true, force: true });
});

describe("writing several stores", () => {
  it("writes stores on different servers at the same time, commits the found-through store first, and stores in one database one after the other", async () => {
    const stores = new RecordingStores(manifest, { connections: CONNECTIONS });
    const outcome = await erase(stores);
    expect(outcome.failed).toBeUndefined();
    expect(outcome.proof?.complete).toBe(true);
    expect(await rows()).toEqual(["customers:2", "notes:11", "events:22"]);
    const tx = new Map(stores.transactions.map((t) => [t.dataset, t]));
    expect([...tx.keys()].sort()).toEqual(["shop", "shop_events", "shop_notes"]);
    const [shop, notes, events] = [tx.get("shop")!, tx.get("shop_notes")!, tx.get("shop_events")!];
    // The customers' store commits last: the other two are found through its rows.
    expect(shop.end).toBeGreaterThanOrEqual(Math.max(notes.end, events.end));
    // MariaDB's transaction was open while a PostgreSQL one was.
    expect(events.start).toBeLessThan(Math.max(shop.end, notes.end));
    expect(events.end).toBeGreaterThan(Math.min(shop.start, notes.start));
    // The two datasets in one PostgreSQL database never had transactions open at the same time.
    expect(shop.start).toBeGreaterThanOrEqual(notes.end);
  });

  it("writes datasets reached by the same URL in one transaction, children first across them", async () => {
    const stores = new RecordingStores(manifest, { connections: { ...CONNECTIONS, shop_notes: PG_URL } });
    const outcome = await erase(stores);
    expect(outcome.failed).toBeUndefined();
    expect(outcome.proof?.complete).toBe(true);
    expect(await rows()).toEqual(["customers:2", "notes:11", "events:22"]);
    // One PostgreSQL transaction wrote both datasets (the notes, which the foreign key needs gone first, then the
    // customers), and one MariaDB transaction the events.
    const datasets = stores.transactions.map((t) => t.dataset);
    expect(datasets).toHaveLength(2);
    expect(datasets.filter((d) => d !== "shop_events")).toEqual([expect.stringMatching(/^shop(_notes)?$/)]);
    expect(outcome.collections["shop_notes.notes"]).toMatchObject({ deleted: 1 });
    expect(outcome.collections["shop.customers"]).toMatchObject({ deleted: 1 });
  });

  it("a store that fails rolls back every store that commits after it; running the request again finishes the job", async () => {
    await my.query(REFUSE);
    const first = await erase(new RecordingStores(manifest, { connections: CONNECTIONS }));
    expect(first.failed?.dataset).toBe("shop_events");
    expect(first.failed?.why).toMatch(/^STW_ENGINE_WRITE_FAILED/);
    expect(first.failed?.why).not.toContain("ada@example.com");
    // The customers commit after the events: rolled back, and so is everything reported as not written.
    expect(first.failed?.skipped).toContain("shop");
    const left = await rows();
    expect(left).toEqual(expect.arrayContaining(["customers:1", "events:20", "events:21"]));
    if (first.failed?.skipped.includes("shop_notes")) expect(left).toContain("notes:10");
    expect(first.collections["shop.customers"]).toMatchObject({ deleted: 0 });

    await my.query("DROP TRIGGER refuse_delete");
    const second = await erase(new Stores(manifest, { connections: CONNECTIONS }));
    expect(second.failed).toBeUndefined();
    expect(second.proof?.complete).toBe(true);
    expect(await rows()).toEqual(["customers:2", "notes:11", "events:22"]);
  });
});

describe("which stores share a database, and which a connection", () => {
  const of = (connections: Record<string, string>) => new Stores(manifest, { connections });

  it("the same URL is one connection and one place; another URL to the same database is the same place only", () => {
    const stores = of({
      shop: "postgres://app:s3cret@127.0.0.1:5432/shop",
      shop_notes: "postgres://app:s3cret@127.0.0.1:5432/shop",
      shop_events: "postgres://reader:0ther@localhost:5432/shop?application_name=events",
    });
    expect(stores.connectionOf("shop")).toBe(stores.connectionOf("shop_notes"));
    expect(stores.connectionOf("shop_events")).not.toBe(stores.connectionOf("shop"));
    expect(new Set(["shop", "shop_notes", "shop_events"].map((d) => stores.placeOf(d))).size).toBe(1);
    for (const d of ["shop", "shop_notes", "shop_events"])
      expect(`${stores.placeOf(d)} ${stores.connectionOf(d)}`).not.toMatch(/s3cret|0ther|app:|reader/);
  });

  it("scheme aliases and default ports name the same place; a MySQL server's databases are one place", () => {
    const stores = of({
      shop: "postgresql://postgres@127.0.0.1/shop",
      shop_notes: "postgres://postgres@localhost:5432/shop",
      shop_events: "mysql://root@127.0.0.1:3306/events",
    });
    expect(stores.placeOf("shop")).toBe(stores.placeOf("shop_notes"));
    const maria = of({ shop: "mariadb://root@localhost/shop", shop_notes: PG_URL, shop_events: MY_URL });
    expect(maria.placeOf("shop")).toBe(maria.placeOf("shop_events"));
    const files = of({ shop: "sqlite:shop.db", shop_notes: `sqlite://${process.cwd()}/shop.db`, shop_events: MY_URL });
    expect(files.placeOf("shop")).toBe(files.placeOf("shop_notes"));
  });

  it("another database, another server or a private SQLite database is another place", () => {
    const stores = of({
      shop: "postgres://postgres@127.0.0.1:5432/shop",
      shop_notes: "postgres://postgres@127.0.0.1:5432/notes",
      shop_events: "mysql://root@127.0.0.1:3306/shop",
    });
    expect(new Set(["shop", "shop_notes", "shop_events"].map((d) => stores.placeOf(d))).size).toBe(3);
    const memory = of({ shop: "sqlite::memory:", shop_notes: "sqlite::memory:", shop_events: MY_URL });
    expect(memory.placeOf("shop")).not.toBe(memory.placeOf("shop_notes"));
    expect(memory.connectionOf("shop")).not.toBe(memory.connectionOf("shop_notes"));
  });
});
