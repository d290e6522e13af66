/**
 * A row two people share, reached through a reference without a direction (Fides: followed both ways): Alice's
 * request reaches the shared address, but never walks from it back down to Bob, who lives there too — access does
 * not show him, erasure does not touch him, and the address is kept whole. (Found in review: the walk back down
 * leaked and erased Bob's row.)
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
import { sqliteRun } from "../scratch-databases.ts";
import { withStores } from "../with-stores.ts";

let dir: string;
let manifest: Manifest;
let url: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "stw-shared-"));
  await writeFile(
    join(dir, "d.yml"),
    `dataset:
  - fides_key: shop
    collections:
      - name: address
        fields:
          - { name: id, data_categories: [system.operations], fides_meta: { primary_key: true } }
          - { name: street, data_categories: [user.contact.address.street] }
      - name: customer
        fields:
          - { name: id, data_categories: [user.unique_id], fides_meta: { primary_key: true } }
          - { name: email, data_categories: [user.contact.email], fides_meta: { identity: email } }
          - { name: name, data_categories: [user.name] }
          - { name: address_id, data_categories: [system.operations], fides_meta: { references: [{ dataset: shop, field: address.id }] } }
`,
  );
  sqliteRun(join(dir, "s.db"), [
    `CREATE TABLE address (id int PRIMARY KEY, street text);
    CREATE TABLE customer (id int PRIMARY KEY, email text, name text, address_id int);
    INSERT INTO address VALUES (10, 'Main St');
    INSERT INTO customer VALUES (1, 'alice@example.org', 'Alice', 10), (2, 'bob@example.org', 'Bob', 10);`,
  ]);
  url = `sqlite://${join(dir, "s.db")}`;
  manifest = await loadManifestDir(dir);
});

afterAll(() => rm(dir, { recursive: true, force: true }));

const run = <T>(fn: (stores: Stores) => Promise<T>): Promise<T> => withStores(manifest, { shop: url }, fn);

describe("a row two people share", () => {
  it("access reaches the shared address but not the other person living there", async () => {
    const outcome = await run((s) => runAccess(manifest, new Map([["email", ["alice@example.org"]]]), s));
    const customers = outcome.access!.collections.find((c) => c.collection === "shop.customer")!;
    expect(customers.rows.map((r) => r["email"])).toEqual(["alice@example.org"]);
    expect(outcome.collections["shop.address"]!.read).toBe(1);
  });

  it("erasure masks only Alice, and keeps the address Bob still names whole", async () => {
    const outcome = await run((s) => runErasure(manifest, new Map([["email", ["alice@example.org"]]]), s));
    expect(outcome.proof).toMatchObject({ complete: true });
    const db = new Database(join(dir, "s.db"), { readonly: true });
    const customers = db.prepare("SELECT * FROM customer ORDER BY id").all();
    const addresses = db.prepare("SELECT * FROM address").all();
    db.close();
    expect(customers).toEqual([
      { id: 1, email: null, name: null, address_id: 10 },
      { id: 2, email: "bob@example.org", name: "Bob", address_id: 10 },
    ]);
    expect(addresses).toEqual([{ id: 10, street: "Main St" }]);
  });
});
