/**
 * A Fides user's first minute: a folder holding nothing but a Fides dataset file (no organization, no purposes, no
 * erasure settings, no connection) is enough for `steward plan` and `steward request`, with the defaults — personal
 * fields masked, in a way the table's constraints accept — and `--connection` for the URL.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { steward } from "../cli/run-cli.ts";
import { scratchDatabases } from "../scratch-databases.ts";

const scratch = scratchDatabases("fides_only");
const URL = scratch.pgUrl;
let dir: string;
let client: pg.Client;

const DATASET = `dataset:
  - fides_key: shop
    name: Shop database
    collections:
      - name: customers
        fields:
          - name: id
            data_categories: [user.unique_id]
            fides_meta: { primary_key: true, data_type: integer }
          - name: email
            data_categories: [user.contact.email]
            fides_meta: { identity: email, data_type: string }
          - name: full_name
            data_categories: [user.name]
          - name: phone
            data_categories: [user.contact.phone_number]
          - name: created_at
            data_categories: [system.operations]
      - name: orders
        fields:
          - name: id
            data_categories: [system.operations]
            fides_meta: { primary_key: true }
          - name: customer_id
            data_categories: [user.unique_id]
            fides_meta:
              references: [{ dataset: shop, field: customers.id, direction: from }]
          - name: ship_to
            data_categories: [user.contact.address]
          - name: total_cents
            data_categories: [system.operations]
`;

const DDL = `
CREATE TABLE customers (id int PRIMARY KEY, email text NOT NULL UNIQUE, full_name varchar(40) NOT NULL, phone text,
  created_at date NOT NULL);
CREATE TABLE orders (id int PRIMARY KEY, customer_id int NOT NULL REFERENCES customers (id), ship_to varchar(12) NOT NULL,
  total_cents int NOT NULL);
INSERT INTO customers VALUES (1, 'ada@example.com', 'Ada Lovelace', '+44 20 7946 0001', '2024-01-02'),
  (2, 'alan@example.com', 'Alan Turing', NULL, '2024-02-03');
INSERT INTO orders VALUES (10, 1, '1 Bay Road', 1200), (11, 1, '1 Bay Road', 800), (12, 2, '9 Hill St', 500);`;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "stw-fides-only-"));
  await writeFile(join(dir, "shop.yml"), DATASET);
  await scratch.createPg([DDL]);
  client = await scratch.pg();
});

afterAll(async () => {
  await client?.end();
  await scratch.drop();
  await rm(dir, { recursive: true, force: true });
});

/** `steward request ACTION` for Ada on the shop database, as JSON. */
const request = (action: "access" | "erasure") =>
  steward(["request", action, dir, "--identity", "email=ada@example.com", "--connection", `shop=${URL}`, "--json"]);

describe("a folder of bare Fides datasets", () => {
  it("plans an erasure with the default: personal fields masked", () => {
    const r = steward(["plan", dir, "--identity", "email=ada@example.com", "--action", "erasure"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/shop\.orders[\s\S]*shop\.customers/);
    expect(r.stdout).toMatch(/no erasure setting: masking by default/);
    expect(r.stdout).not.toContain("ada@example.com");
  });

  it("runs access and erasure with --connection, masking within the table's constraints", async () => {
    const access = request("access");
    expect(access.code, access.stderr).toBe(0);
    expect(JSON.parse(access.stdout).collections).toEqual({
      "shop.customers": { read: 1, deleted: 0, masked: 0, kept: 0 },
      "shop.orders": { read: 2, deleted: 0, masked: 0, kept: 0 },
    });

    const erasure = request("erasure");
    expect(erasure.code, erasure.stderr).toBe(0);
    const outcome = JSON.parse(erasure.stdout);
    expect(outcome.collections["shop.customers"]).toEqual({ read: 1, deleted: 0, masked: 1, kept: 0 });
    expect(outcome.collections["shop.orders"]).toEqual({ read: 2, deleted: 0, masked: 2, kept: 0 });
    expect(outcome.proof.complete).toBe(true);
    expect(outcome.notes["shop.orders"].join(" ")).toMatch(/customer_id kept: NOT NULL reference/);
    expect(erasure.stdout).not.toContain("ada@example.com");

    const { rows: customers } = await client.query("SELECT * FROM customers ORDER BY id");
    expect(customers[0].email).toMatch(/^~r[0-9a-f]{22}$/); // NOT NULL UNIQUE: a distinct random mask
    expect(customers[0].full_name).toMatch(/^~r/);
    expect(customers[0].phone).toBeNull();
    expect(customers[0].created_at.getFullYear()).toBe(2024); // not personal: untouched
    expect(customers[1]).toMatchObject({ id: 2, email: "alan@example.com", full_name: "Alan Turing" });
    const { rows: orders } = await client.query("SELECT * FROM orders ORDER BY id");
    expect(orders.map((o) => [o.id, o.customer_id, o.ship_to.length <= 12, o.ship_to.startsWith("~r")])).toEqual([
      [10, 1, true, true],
      [11, 1, true, true],
      [12, 2, true, false],
    ]);
    expect(orders[2]).toMatchObject({ ship_to: "9 Hill St", total_cents: 500 });

    // The masked e-mail no longer finds the customer: a second erasure has nothing to do.
    const again = request("erasure");
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout).collections["shop.customers"]).toEqual({ read: 0, deleted: 0, masked: 0, kept: 0 });
  });

  it("without a connection, names the dataset and the way to give one", () => {
    const r = steward(["request", "access", dir, "--identity", "email=ada@example.com"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /unreached shop\.customers: STW_ENGINE_NO_CONNECTION: dataset "shop" has no connection: set --connection shop=URL/,
    );
  });
});
