/**
 * A store whose collections are all deleted by key, keyed by rows that are final early in the search (the analytics
 * warehouse, keyed by the accounts' ids), is written while the other stores are still searched and decided — and
 * commits only once every decision is made. PostgreSQL holds the accounts and their orders (kept, so the account is
 * decided: masked while an order names it), MariaDB the events (deleted by the account's id). A search of the orders slowed down on purpose
 * shows the events' transaction open before it ends; a failure while deciding leaves the events as they were.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Connector, TransactionOptions } from "../../src/connectors/connector.ts";
import { runErasure } from "../../src/engine/run-request.ts";
import { Stores } from "../../src/engine/stores.ts";
import { writeChanges } from "../../src/engine/write-changes.ts";
import { loadManifestDir } from "../../src/fs/load-manifest-dir.ts";
import type { Manifest } from "../../src/manifest/types.ts";
import { buildPlan } from "../../src/plan/build-plan.ts";
import { scratchDatabases } from "../scratch-databases.ts";

const scratch = scratchDatabases("early_writes");
const CONNECTIONS = () => ({ shop: scratch.pgUrl, shop_events: scratch.myUrl });
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
      - name: orders
        erasure: { action: keep, reason: Orders stay in the books. }
        fields:
          - { name: id, data_categories: [system.operations], fides_meta: { primary_key: true } }
          - name: account_id
            data_categories: [user.unique_id]
            erasure: { action: mask, strategy: "null" }
            fides_meta: { references: [{ dataset: shop, field: accounts.id, direction: from }] }
          - { name: note, data_categories: [user.content], erasure: { action: mask, strategy: "null" } }
  - fides_key: shop_events
    collections:
      - name: events
        erasure: { action: delete }
        fields:
          - { name: id, data_categories: [system.operations], fides_meta: { primary_key: true } }
          - name: account_id
            data_categories: [user.unique_id]
            fides_meta: { references: [{ dataset: shop, field: accounts.id, direction: from }] }
          - { name: page, data_categories: [user.behavior] }
`;

/** Stores that slow down the search of the orders and record when each call and transaction ran. */
class SlowOrders extends Stores {
  readonly marks: { what: string; at: number }[] = [];

  override async get(dataset: string): Promise<Connector> {
    const real = await super.get(dataset);
    const marks = this.marks;
    return new Proxy(real, {
      get(target, property, receiver) {
        if (property === "readByKeys")
          return async function* (table: string, ...rest: unknown[]) {
            // biome-ignore lint/suspicious/noExplicitAny: the connector's own arguments, passed on as they came
            for await (const batch of (target.readByKeys as any)(table, ...rest)) yield batch;
            if (table === "orders") await new Promise((r) => setTimeout(r, 400));
            marks.push({ what: `read ${table}`, at: performance.now() });
          };
        if (property === "transaction")
          return async <T>(fn: (tx: Connector) => Promise<T>, options?: TransactionOptions) => {
            marks.push({ what: `begin ${dataset}`, at: performance.now() });
            try {
              return await target.transaction(fn, options);
            } finally {
              marks.push({ what: `end ${dataset}`, at: performance.now() });
            }
          };
        return Reflect.get(target, property, receiver);
      },
    });
  }
}

async function state(): Promise<{ accounts: number[]; notes: (string | null)[]; events: number[] }> {
  const pg = await scratch.pg();
  const my = await scratch.my();
  try {
    const accounts = await pg.query<{ id: number }>("SELECT id FROM accounts ORDER BY id");
    const orders = await pg.query<{ note: string | null }>("SELECT note FROM orders ORDER BY id");
    const [events] = await my.query("SELECT id FROM events ORDER BY id");
    return {
      accounts: accounts.rows.map((r) => r.id),
      notes: orders.rows.map((r) => r.note),
      events: (events as { id: number }[]).map((r) => Number(r.id)),
    };
  } finally {
    await pg.end();
    await my.end();
  }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "stw-early-"));
  await writeFile(join(dir, "shop.yml"), DATASETS);
  manifest = await loadManifestDir(dir);
  await scratch.createPg([
    `CREATE TABLE accounts (id int PRIMARY KEY, email text NOT NULL);
     CREATE TABLE orders (id int PRIMARY KEY, account_id int REFERENCES accounts (id), note text);`,
  ]);
  await scratch.createMy(["CREATE TABLE events (id INT PRIMARY KEY, account_id INT NOT NULL, page VARCHAR(50))"]);
});

beforeEach(async () => {
  const pg = await scratch.pg();
  const my = await scratch.my();
  await pg.query("TRUNCATE orders, accounts");
  await pg.query("INSERT INTO accounts VALUES (1, 'ada@example.com'), (2, 'alan@example.com')");
  await pg.query("INSERT INTO orders VALUES (10, 1, 'gift for mum'), (11, 2, 'office chair')");
  await my.query("DELETE FROM events");
  await my.query("INSERT INTO events VALUES (20, 1, '/cart'), (21, 1, '/checkout'), (22, 2, '/home')");
  await pg.end();
  await my.end();
});

afterAll(async () => {
  await scratch.drop();
  await rm(dir, { recursive: true, force: true });
});

describe("a store deleted by key only", () => {
  it("is written while the other store is still searched, and the request's outcome and proof are whole", async () => {
    const stores = new SlowOrders(manifest, { connections: CONNECTIONS() });
    const outcome = await runErasure(manifest, new Map([["email", ["ada@example.com"]]]), stores).finally(() =>
      stores.closeAll(),
    );
    expect(outcome.failed, outcome.failed?.why).toBeUndefined();
    expect(outcome.proof?.complete).toBe(true);
    expect(outcome.collections["shop_events.events"]).toMatchObject({ deleted: 2 });
    expect(outcome.collections["shop.orders"]).toMatchObject({ read: 1, kept: 1 });
    expect(outcome.collections["shop.accounts"]).toMatchObject({ read: 1, masked: 1 });
    // The order is kept (the books), so the account it names is masked, not deleted; Ada's events are gone.
    expect(await state()).toEqual({ accounts: [1, 2], notes: ["gift for mum", "office chair"], events: [22] });
    const at = (what: string) => stores.marks.find((m) => m.what === what)!.at;
    // The events' transaction began before the first search of the orders was over; the accounts' began after it.
    expect(at("begin shop_events")).toBeLessThan(at("read orders"));
    expect(at("begin shop")).toBeGreaterThan(at("read orders"));
    // Events are found through the accounts' rows, so they commit first.
    expect(at("end shop_events")).toBeLessThanOrEqual(at("end shop"));
  });

  it("rolls back when deciding fails: nothing is written anywhere", async () => {
    const plan = buildPlan(manifest, { action: "erasure", identities: ["email"] });
    const failure = new Error("deciding failed");
    const decided = Promise.reject(failure);
    decided.catch(() => {});
    const stores = new Stores(manifest, { connections: CONNECTIONS() });
    const outcome = await writeChanges(
      plan,
      async (dataset) => {
        if (dataset !== "shop_events") throw failure;
        return [
          {
            collection: "shop_events.events",
            dataset: "shop_events",
            table: "events",
            rows: [],
            changes: [],
            direct: true,
            byLookup: new Map([["account_id", ["1"]]]),
          },
        ];
      },
      stores,
      undefined,
      { decided },
    ).finally(() => stores.closeAll());
    expect(outcome.counts.size).toBe(0);
    expect(outcome.failed).toBeUndefined();
    expect([...outcome.skipped].sort()).toEqual(["shop", "shop_events"]);
    expect(await state()).toEqual({ accounts: [1, 2], notes: ["gift for mum", "office chair"], events: [20, 21, 22] });
  });
});
