/**
 * Conformance with Fides' reference semantics on Fides' own sample project (tests/fixtures/fides/sample-project, Apache
 * 2.0, see its README): the SQL is loaded into a scratch PostgreSQL database and the dataset file is the folder's only
 * manifest file, as a Fides user would bring it. `direction: to` references (a customer's `address_id`, an order's
 * `shipping_address_id`, a card's `billing_address_id`, an order line's `product_id`) are followed to the rows they
 * name. What access must return is derived here from the SQL, by hand-written queries, not from the engine.
 *
 * Erasure: an address other people's rows also name (customer 2 lives at the address customer 1 ships to) is kept
 * whole; an address only the subject's rows name is masked, as the defaults say.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jsonSafe } from "../../src/engine/find-rows.ts";
import { runAccess, runErasure } from "../../src/engine/run-request.ts";
import type { Stores } from "../../src/engine/stores.ts";
import { loadManifestDir } from "../../src/fs/load-manifest-dir.ts";
import type { Manifest } from "../../src/manifest/types.ts";
import { buildPlan } from "../../src/plan/build-plan.ts";
import { steward } from "../cli/run-cli.ts";
import { scratchDatabases } from "../scratch-databases.ts";
import { withStores } from "../with-stores.ts";

const FIXTURE = join(import.meta.dirname, "../fixtures/fides/sample-project");
const scratch = scratchDatabases("fides_sample");
const URL = scratch.pgUrl;
const DATASET = "postgres_example_test_dataset";
const C = (name: string) => `${DATASET}.${name}`;
let dir: string;
let client: pg.Client;
let manifest: Manifest;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "stw-fides-sample-"));
  await writeFile(join(dir, "dataset.yml"), await readFile(join(FIXTURE, "postgres_example_test_dataset.yml")));
  await scratch.createPg([await readFile(join(FIXTURE, "postgres_sample.sql"), "utf8")]);
  client = await scratch.pg();
  // A fourth customer of our own, whose addresses nobody else's rows name: erasure may mask them.
  await client.query(`INSERT INTO address VALUES (20, 7, 'Lone Road', 'Solitude', 'VT', '05001'),
      (21, 9, 'Quiet Lane', 'Solitude', 'VT', '05002');
    INSERT INTO customer VALUES (4, 'customer-4@example.com', 'Kim Customer', '2020-04-01 11:47:42', 20);
    INSERT INTO orders VALUES ('ord_fff-fff', 4, 21, NULL);`);
  manifest = await loadManifestDir(dir);
});

afterAll(async () => {
  await client?.end();
  await scratch.drop();
  await rm(dir, { recursive: true, force: true });
});

const run = <T>(fn: (stores: Stores) => Promise<T>): Promise<T> => withStores(manifest, { [DATASET]: URL }, fn);

/** Rows as comparable strings, order-free. */
const asSet = (rows: readonly Record<string, unknown>[]) =>
  rows.map((r) => JSON.stringify(Object.fromEntries(Object.entries(r).sort()), jsonSafe)).sort();

/**
 * What Fides' traversal reaches for an e-mail, written as plain SQL over the sample schema: the identity finds
 * customer, employee, report, service_request (email and alt_email) and visit; `from` references lead from customer
 * to login, orders and payment_card, from orders to order_item, from employee to service_request; `to` references
 * lead from customer, orders and payment_card to address and from order_item to product.
 */
async function expected(email: string): Promise<Map<string, Record<string, unknown>[]>> {
  const q = async (sql: string) => (await client.query(sql, [email])).rows;
  const customers = `SELECT id FROM customer WHERE email = $1`;
  const employees = `SELECT id FROM employee WHERE email = $1`;
  const orders = `SELECT id FROM orders WHERE customer_id IN (${customers})`;
  return new Map([
    [C("customer"), await q(`SELECT email, id, name FROM customer WHERE email = $1`)],
    [C("employee"), await q(`SELECT email, id, name FROM employee WHERE email = $1`)],
    [C("report"), await q(`SELECT email FROM report WHERE email = $1`)],
    [C("visit"), await q(`SELECT email FROM visit WHERE email = $1`)],
    [
      C("service_request"),
      await q(`SELECT alt_email, employee_id FROM service_request
        WHERE email = $1 OR alt_email = $1 OR employee_id IN (${employees})`),
    ],
    [C("login"), await q(`SELECT customer_id, time FROM login WHERE customer_id IN (${customers})`)],
    [C("orders"), await q(`SELECT customer_id FROM orders WHERE customer_id IN (${customers})`)],
    [
      C("payment_card"),
      await q(`SELECT ccn, code, customer_id, name, preferred FROM payment_card WHERE customer_id IN (${customers})`),
    ],
    [
      C("address"),
      await q(`SELECT city, house, state, street, zip FROM address WHERE id IN (
        SELECT address_id FROM customer WHERE email = $1
        UNION SELECT shipping_address_id FROM orders WHERE customer_id IN (${customers})
        UNION SELECT billing_address_id FROM payment_card WHERE customer_id IN (${customers})
        UNION SELECT address_id FROM employee WHERE email = $1)`),
    ],
    [C("order_item"), await q(`SELECT order_id FROM order_item WHERE order_id IN (${orders})`)],
    [
      C("product"),
      await q(`SELECT id FROM product WHERE id IN (SELECT product_id FROM order_item WHERE order_id IN (${orders}))`),
    ],
  ]);
}

describe("Fides' sample project, with Fides' own dataset file", () => {
  it("plans the lookups Fides' references declare, `to` ones included", () => {
    const plan = buildPlan(manifest, { action: "access", identities: ["email"] });
    const lookups = (c: string) =>
      plan.steps
        .find((s) => s.collection === C(c))!
        .lookups.map((l) => `${l.field} ← ${l.source.kind === "field" ? l.source.field : l.source.identity}`)
        .sort();
    expect(lookups("address")).toEqual([
      "id ← address_id",
      "id ← address_id",
      "id ← billing_address_id",
      "id ← shipping_address_id",
    ]);
    expect(lookups("product")).toEqual(["id ← product_id"]);
    expect(plan.unreached).toEqual([]);
    // `steward check` sees the same graph: nothing personal is unreachable.
    const check = steward(["check", dir, "--json"]);
    const report = JSON.parse(check.stdout) as { errors: { code: string }[]; warnings: { code: string }[] };
    expect([...report.errors, ...report.warnings].filter((f) => f.code === "SC005")).toEqual([]);
  });

  it("access for customer-1@example.com returns, per collection, the rows Fides' traversal reaches", async () => {
    const want = await expected("customer-1@example.com");
    const outcome = await run((stores) =>
      runAccess(manifest, new Map([["email", ["customer-1@example.com"]]]), stores),
    );
    expect(outcome.unreached).toEqual([]);
    const got = new Map(outcome.access!.collections.map((c) => [c.collection, c]));
    for (const [collection, rows] of want) {
      expect(outcome.collections[collection]!.read, collection).toBe(rows.length);
      // Collections without personal fields (order_item, product) are read to follow references and counted; the
      // package leaves them out.
      const collected = got.get(collection);
      if (!collected) {
        expect(["order_item", "product"], collection).toContain(collection.split(".")[1]);
        continue;
      }
      // A value that names another person is withheld (Art. 15(4)): service_request is found by `email`, and its
      // `alt_email`, an identity field that did not match, may be someone else's. Fides returns it; Steward leaves it
      // out and says so.
      const withheld = new Set((collected.withheld ?? []).map((w) => w.field));
      const personal = collected.fields.map((f) => f.name).filter((name) => !withheld.has(name));
      const project = (r: Record<string, unknown>) =>
        Object.fromEntries(
          personal.map((name) => [name, r[name] instanceof Date ? (r[name] as Date).toISOString() : r[name]]),
        );
      expect(asSet(collected.rows.map(project)), collection).toEqual(asSet(rows.map(project)));
    }
    expect(got.get(C("service_request"))!.withheld).toEqual([{ field: "alt_email", rows: 1 }]);
    for (const [collection, c] of got)
      if (collection !== C("service_request")) expect(c.withheld ?? [], collection).toEqual([]);
    // The figures the SQL gives, spelled out for a reader: the two addresses, three orders, four order lines, two
    // products, six logins.
    expect(Object.fromEntries([...want].map(([c, rows]) => [c.split(".")[1], rows.length]))).toMatchObject({
      address: 2,
      orders: 3,
      order_item: 4,
      product: 2,
      login: 6,
      customer: 1,
      payment_card: 1,
    });
  });

  it("erasure keeps an address other people's rows also name, whole, and masks one only the subject's rows name", async () => {
    const before = (await client.query("SELECT * FROM address ORDER BY id")).rows;
    const outcome = await run((stores) =>
      runErasure(manifest, new Map([["email", ["customer-1@example.com"]]]), stores),
    );
    expect(outcome.failed).toBeUndefined();
    expect(outcome.collections[C("address")]).toMatchObject({ read: 2, deleted: 0, masked: 0, kept: 2 });
    expect(outcome.notes[C("address")]!.join(" ")).toMatch(
      /kept whole: rows of .* that are not the subject's refer to it too/,
    );
    expect((await client.query("SELECT * FROM address ORDER BY id")).rows).toEqual(before);
    // The subject's own rows are masked (the defaults); customer 2's are untouched.
    const customers = (await client.query("SELECT id, email, name FROM customer ORDER BY id")).rows;
    expect(customers[0]).toEqual({ id: 1, email: null, name: null });
    expect(customers[1]).toEqual({ id: 2, email: "customer-2@example.com", name: "Jill Customer" });
    expect(outcome.proof, JSON.stringify(outcome, null, 1)).toMatchObject({ complete: true });

    const lone = await run((stores) => runErasure(manifest, new Map([["email", ["customer-4@example.com"]]]), stores));
    expect(lone.collections[C("address")]).toMatchObject({ read: 2, deleted: 0, masked: 2, kept: 0 });
    const masked = (await client.query("SELECT * FROM address WHERE id IN (20, 21) ORDER BY id")).rows;
    expect(masked).toEqual([
      { id: 20, house: null, street: null, city: null, state: null, zip: null },
      { id: 21, house: null, street: null, city: null, state: null, zip: null },
    ]);
    expect((await client.query("SELECT * FROM address WHERE id < 20 ORDER BY id")).rows).toEqual(
      before.filter((r) => r.id < 20),
    );
    expect(lone.proof?.complete).toBe(true);
  });
});
