/**
 * A described collection that is a view in the database (SC019) is read, never written: on PostgreSQL a view over
 * `customers` with a computed column (which the database refuses to update) is described beside the table. Erasure
 * deletes the customer from the table, writes nothing through the view, says so in the outcome's notes, and the proof
 * holds (the view shows the table's rows, now gone). Before, the mask written through the view failed and rolled back
 * the whole dataset.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runErasure, runRectification } from "../../src/engine/run-request.ts";
import { loadManifestDir } from "../../src/fs/load-manifest-dir.ts";
import type { Manifest } from "../../src/manifest/types.ts";
import { scratchDatabases } from "../scratch-databases.ts";
import { withStores } from "../with-stores.ts";

const scratch = scratchDatabases("view_collection");
let dir: string;
let manifest: Manifest;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "stw-view-"));
  await writeFile(
    join(dir, "shop.yml"),
    `dataset:
  - fides_key: shop
    collections:
      - name: customers
        erasure: { action: delete }
        fields:
          - { name: id, data_categories: [user.unique_id], fides_meta: { primary_key: true } }
          - { name: email, data_categories: [user.contact.email], fides_meta: { identity: email } }
          - { name: name, data_categories: [user.name] }
      - name: customer_emails
        fields:
          - { name: id, data_categories: [user.unique_id] }
          - { name: email, data_categories: [user.contact.email], fides_meta: { identity: email } }
`,
  );
  manifest = await loadManifestDir(dir);
  await scratch.createPg([
    `CREATE TABLE customers (id int PRIMARY KEY, email text NOT NULL, name text);
    CREATE VIEW customer_emails AS SELECT id, lower(email) AS email FROM customers;
    INSERT INTO customers VALUES (1, 'ada@example.com', 'Ada'), (2, 'alan@example.com', 'Alan');`,
  ]);
});

afterAll(async () => {
  await scratch.drop();
  await rm(dir, { recursive: true, force: true });
});

describe("a described collection that is a view", () => {
  it("erasure writes the table, not the view, notes why, and the proof holds", async () => {
    const outcome = await withStores(manifest, { shop: scratch.pgUrl }, (stores) =>
      runErasure(manifest, new Map([["email", ["ada@example.com"]]]), stores),
    );
    expect(outcome.failed, outcome.failed?.why).toBeUndefined();
    expect(outcome.collections["shop.customers"]).toMatchObject({ read: 1, deleted: 1 });
    expect(outcome.collections["shop.customer_emails"]).toMatchObject({ read: 1, deleted: 0, masked: 0 });
    expect(outcome.notes["shop.customer_emails"]?.join(" ")).toMatch(/is a view in the database: nothing was written/);
    expect(outcome.findings?.map((f) => f.code)).toEqual(["SC019"]);
    expect(outcome.proof).toMatchObject({ complete: true });
    const c = await scratch.pg();
    try {
      expect((await c.query("SELECT id, email FROM customers ORDER BY id")).rows).toEqual([
        { id: 2, email: "alan@example.com" },
      ]);
    } finally {
      await c.end();
    }
  });

  it("rectification writes the table, not the view, and notes why", async () => {
    const outcome = await withStores(manifest, { shop: scratch.pgUrl }, (stores) =>
      runRectification(manifest, new Map([["email", ["alan@example.com"]]]), stores, [
        { target: "user.name", value: "Alan M." },
        { target: "user.contact.email", value: "alan.m@example.com" },
      ]),
    );
    expect(outcome.failed, outcome.failed?.why).toBeUndefined();
    expect(outcome.collections["shop.customers"]).toMatchObject({ read: 1, updated: 1 });
    expect(outcome.collections["shop.customer_emails"]).toMatchObject({ read: 1, updated: 0 });
    expect(outcome.notes["shop.customer_emails"]?.join(" ")).toMatch(/is a view in the database: nothing was written/);
    const c = await scratch.pg();
    try {
      expect((await c.query("SELECT * FROM customers ORDER BY id")).rows).toEqual([
        { id: 2, email: "alan.m@example.com", name: "Alan M." },
      ]);
    } finally {
      await c.end();
    }
  });
});
