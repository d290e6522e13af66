/**
 * Partitioned and inherited tables, and views, in a schema we did not write (the shape of a public rental-shop
 * sample: a `payment` table partitioned by month with a composite primary key and an ON DELETE RESTRICT key). A
 * partitioned table is one collection: introspection folds its partitions in and sees the table's own keys,
 * `steward discover` says so, and an erasure reads and writes through it. A table inheriting from another is folded
 * into its parent; a view is listed as not writable and left out.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openConnector } from "../../src/connectors/open-connector.ts";
import { runErasure } from "../../src/engine/run-request.ts";
import { loadManifestDir } from "../../src/fs/load-manifest-dir.ts";
import { steward } from "../cli/run-cli.ts";
import { scratchDatabases } from "../scratch-databases.ts";
import { withStores } from "../with-stores.ts";

const scratch = scratchDatabases("partitions");
const PG_URL = scratch.pgUrl;
const MY_URL = scratch.myUrl;
const MONTHS = Array.from({ length: 24 }, (_, i) => {
  const from = new Date(Date.UTC(2024, i, 1)).toISOString().slice(0, 10);
  const to = new Date(Date.UTC(2024, i + 1, 1)).toISOString().slice(0, 10);
  return { name: `payment_p${from.slice(0, 7).replace("-", "_")}`, from, to };
});
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "stw-partitions-"));
  await scratch.createPg([
    `
    CREATE TABLE customer (customer_id int PRIMARY KEY, email text NOT NULL UNIQUE);
    CREATE TABLE payment (payment_id int NOT NULL, customer_id int NOT NULL REFERENCES customer ON DELETE RESTRICT,
      amount numeric(5, 2) NOT NULL, payment_date timestamptz NOT NULL, PRIMARY KEY (payment_date, payment_id))
      PARTITION BY RANGE (payment_date);
    ${MONTHS.map((m) => `CREATE TABLE ${m.name} PARTITION OF payment FOR VALUES FROM ('${m.from}') TO ('${m.to}');`).join("\n")}
    CREATE TABLE note (id int PRIMARY KEY, customer_id int, body text);
    CREATE TABLE staff_note (staff text) INHERITS (note);
    CREATE VIEW customer_list AS SELECT customer_id, email FROM customer;
    INSERT INTO customer VALUES (1, 'mary@example.com'), (2, 'pat@example.com');
    INSERT INTO payment VALUES (1, 1, 2.99, '2024-02-14'), (2, 1, 4.99, '2024-07-01'), (3, 1, 0.99, '2025-11-30'),
      (1, 2, 3.99, '2024-07-01'), (5, 2, 1.99, '2025-01-05');`,
  ]);
  await scratch.createMy([
    `CREATE TABLE events (id int NOT NULL, at date NOT NULL, email varchar(60), PRIMARY KEY (id, at))
    PARTITION BY RANGE (YEAR(at)) (PARTITION p2024 VALUES LESS THAN (2025), PARTITION p2025 VALUES LESS THAN (2026),
    PARTITION pmax VALUES LESS THAN MAXVALUE)`,
    "CREATE VIEW recent_events AS SELECT id, email FROM events",
  ]);
});

afterAll(async () => {
  await scratch.drop();
  await rm(dir, { recursive: true, force: true });
});

describe("partitioned and inherited tables, and views", () => {
  it("PostgreSQL: a partitioned table is one table with its own keys; inheritance and views are marked", async () => {
    const db = await openConnector(PG_URL);
    try {
      const tables = new Map((await db.introspect()).map((t) => [t.name, t]));
      expect([...tables.keys()].sort()).toEqual(["customer", "customer_list", "note", "payment", "staff_note"]);
      const payment = tables.get("payment")!;
      expect(payment.partitions).toEqual(MONTHS.map((m) => m.name));
      expect(payment.primaryKey).toEqual(["payment_date", "payment_id"]);
      expect(payment.foreignKeys).toMatchObject([
        {
          columns: ["customer_id"],
          referencedTable: "customer",
          referencedColumns: ["customer_id"],
          onDelete: "restrict",
        },
      ]);
      expect(tables.get("customer")!.foreignKeys).toEqual([]);
      expect(tables.get("customer_list")!.kind).toBe("view");
      expect(tables.get("note")!.inheritedBy).toEqual(["staff_note"]);
    } finally {
      await db.close();
    }
  });

  it("MariaDB: a partitioned table is one table with its partitions; a view is marked", async () => {
    const db = await openConnector(MY_URL);
    try {
      const tables = new Map((await db.introspect()).map((t) => [t.name, t]));
      expect([...tables.keys()].sort()).toEqual(["events", "recent_events"]);
      expect(tables.get("events")).toMatchObject({ partitions: ["p2024", "p2025", "pmax"], primaryKey: ["id", "at"] });
      expect(tables.get("recent_events")!.kind).toBe("view");
    } finally {
      await db.close();
    }
  });

  it("`steward discover` folds partitions and inheriting tables into their table and leaves views out, saying so", () => {
    const r = steward(["discover", PG_URL, "--json", "--dataset", "rental"]);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { notes: string[]; file: string };
    const notes = out.notes.join("\n");
    expect(notes).toMatch(
      /table "payment" is partitioned \(24 partition\(s\): payment_p2024_01, payment_p2024_02, payment_p2024_03, …\): one collection/,
    );
    expect(notes).toMatch(/table "staff_note" inherits from "note"/);
    expect(notes).toMatch(/"customer_list" is a view: it cannot be written/);
    const my = steward(["discover", MY_URL, "--json", "--dataset", "events_db"]);
    expect(my.code, my.stderr).toBe(0);
    expect((JSON.parse(my.stdout) as { notes: string[] }).notes.join("\n")).toMatch(
      /table "events" is partitioned \(3 partition/,
    );
  });

  it("an erasure reads and deletes through the partitioned table, by its composite key, in the order its RESTRICT key needs", async () => {
    await writeFile(
      join(dir, "rental.yml"),
      `dataset:
  - fides_key: rental
    collections:
      - name: customer
        erasure: { action: delete }
        fields:
          - { name: customer_id, data_categories: [user.unique_id], fides_meta: { primary_key: true } }
          - { name: email, data_categories: [user.contact.email], fides_meta: { identity: email } }
      - name: payment
        erasure: { action: delete }
        fields:
          - name: customer_id
            data_categories: [user.unique_id]
            fides_meta: { references: [{ dataset: rental, field: customer.customer_id, direction: from }] }
          - { name: amount, data_categories: [user.financial] }
`,
    );
    const manifest = await loadManifestDir(dir);
    const outcome = await withStores(manifest, { rental: PG_URL }, (stores) =>
      runErasure(manifest, new Map([["email", ["mary@example.com"]]]), stores),
    );
    expect(outcome.failed).toBeUndefined();
    expect(outcome.collections["rental.payment"]).toMatchObject({ deleted: 3 });
    expect(outcome.collections["rental.customer"]).toMatchObject({ deleted: 1 });
    expect(outcome.proof).toMatchObject({ complete: true });
    const c = await scratch.pg();
    const left = (await c.query("SELECT customer_id, payment_id FROM payment ORDER BY payment_id")).rows;
    await c.end();
    expect(left).toEqual([
      { customer_id: 2, payment_id: 1 },
      { customer_id: 2, payment_id: 5 },
    ]);
  });
  it("`steward check --connection` warns of a described collection that is a view (SC019)", async () => {
    const dirView = await mkdtemp(join(tmpdir(), "stw-view-"));
    try {
      await writeFile(
        join(dirView, "rental.yml"),
        `dataset:
  - fides_key: rental
    collections:
      - name: customer_list
        fields:
          - { name: customer_id, data_categories: [user.unique_id] }
          - { name: email, data_categories: [user.contact.email], fides_meta: { identity: email } }
`,
      );
      const r = steward(["check", dirView, "--json", "--connection", `rental=${PG_URL}`]);
      const report = JSON.parse(r.stdout) as { warnings: { code: string; message: string }[] };
      expect(report.warnings.filter((w) => w.code === "SC019")).toMatchObject([
        { message: expect.stringContaining("rental.customer_list is a view in the database") },
      ]);
    } finally {
      await rm(dirView, { recursive: true, force: true });
    }
  });
});
