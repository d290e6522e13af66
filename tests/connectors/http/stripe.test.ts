/**
 * The HTTP connector with the shipped Stripe spec, against a local server that follows Stripe's documented API.
 */
import { rmSync } from "node:fs";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Connector, Row } from "../../../src/connectors/connector.ts";
import { createHttpConnector } from "../../../src/connectors/http/index.ts";
import { type FakeStripe, STRIPE_FIXTURE, startFakeStripe } from "../../../src/demo/fakes/fake-stripe.ts";
import { specVariant } from "./spec-variant.ts";

const KEY = "sk_test_51StewardFakeKey7Qm2xYp0000";
const env = { STRIPE_SECRET_KEY: KEY };
const ADA = "ada.lindqvist@example.com";
// Pages of 2 and a back-off of a few milliseconds: the fixtures then span pages, and retries stay quick.
const variant = specVariant("stripe", [
  ["limit: 100", "limit: 2"],
  ["initial_delay_ms: 500", "initial_delay_ms: 5"],
]);

async function rows(batches: AsyncIterable<Row[]>): Promise<Row[]> {
  const out: Row[] = [];
  for await (const batch of batches) out.push(...batch);
  return out;
}

let stripe: FakeStripe;
let db: Connector;
beforeEach(async () => {
  stripe = await startFakeStripe(KEY);
  db = await createHttpConnector(stripe.url, variant.ref, { root: variant.root, env });
});
afterEach(async () => {
  await db.close();
  await stripe.close();
});
afterAll(() => rmSync(variant.root, { recursive: true }));

describe("Stripe through the HTTP connector", () => {
  it("finds every customer of an e-mail across pages, with the columns asked and nothing else", async () => {
    const found = await rows(db.readByKeys("customers", "email", [ADA], ["id", "name", "address.city", "phone"]));
    const expected = STRIPE_FIXTURE.customers.filter((c) => c["email"] === ADA);
    expect(expected).toHaveLength(3);
    expect(found.map((r) => r["id"]).sort()).toEqual(expected.map((c) => c["id"]).sort());
    expect(found.find((r) => r["id"] === "cus_Ql0sR8eYc1ZuNh")).toEqual({
      id: "cus_Ql0sR8eYc1ZuNh",
      name: "Ada Lindqvist",
      "address.city": "Stockholm",
      phone: null,
    });
    const lists = stripe.requests.filter((r) => r.path === "/v1/customers");
    expect(lists.map((r) => r.query.get("starting_after"))).toEqual([null, "cus_Ql0sR8eYc1ZuNh"]);
    expect(lists.every((r) => r.query.get("email") === ADA && r.query.get("limit") === "2")).toBe(true);
  });

  it("reads one batch per distinct e-mail address, skipping addresses nobody has and empty ones", async () => {
    const batches: Row[][] = [];
    const emails = [
      "bruno.okafor@example.org",
      "nobody@example.com",
      "mei.chen@example.net",
      "bruno.okafor@example.org",
    ];
    for await (const batch of db.readByKeys("customers", "email", [...emails, null, ""], ["email"]))
      batches.push(batch);
    expect(batches).toEqual([[{ email: "bruno.okafor@example.org" }], [{ email: "mei.chen@example.net" }]]);
    // An empty key is never sent: `?email=` could list every customer.
    expect(stripe.requests.map((r) => r.query.get("email"))).toEqual(emails.slice(0, 3));
  });

  it("follows a customer to its charges, card and billing details mapped from nested objects", async () => {
    const charges = await rows(
      db.readByKeys(
        "charges",
        "customer",
        ["cus_QkT4vA9mWb2xLp"],
        ["id", "amount", "card.last4", "billing_details.name"],
      ),
    );
    expect(charges).toHaveLength(3);
    expect(charges.every((c) => c["card.last4"] === "4242" && c["billing_details.name"] === "Ada Lindqvist")).toBe(
      true,
    );
    expect(stripe.requests.filter((r) => r.path === "/v1/charges")).toHaveLength(2);
  });

  it("deletes by id; a second delete and a find afterwards find nothing, and neither is an error", async () => {
    const ids = (await rows(db.readByKeys("customers", "email", [ADA], ["id"]))).map((r) => r["id"]);
    expect(await db.deleteByKeys("customers", "id", ids)).toBe(3);
    expect(await rows(db.readByKeys("customers", "email", [ADA], ["id"]))).toEqual([]);
    expect(await rows(db.readByKeys("customers", "id", ids, ["id"]))).toEqual([]);
    expect(await db.deleteByKeys("customers", "id", ids)).toBe(0);
    expect([...stripe.customers.values()].map((c) => c["email"])).not.toContain(ADA);
  });

  it("deletes by e-mail: finds the ids first, then deletes each", async () => {
    expect(await db.deleteByKeys("customers", "email", ["bruno.okafor@example.org"])).toBe(1);
    expect(stripe.customers.has("cus_QmB7pJ3kVz6RqE")).toBe(false);
    expect(stripe.requests.filter((r) => r.method === "DELETE").map((r) => r.path)).toEqual([
      "/v1/customers/cus_QmB7pJ3kVz6RqE",
    ]);
  });

  it("masks through the form-encoded update, nested fields as address[city]", async () => {
    const n = await db.updateByKeys("customers", "email", ["mei.chen@example.net"], {
      name: "redacted",
      phone: null,
      "address.city": null,
    });
    expect(n).toBe(1);
    const mei = stripe.customers.get("cus_QoC1nF8sTy4MwD")!;
    expect(mei["name"]).toBe("redacted");
    expect((mei["address"] as Record<string, unknown>)["city"]).toBeNull();
    const post = stripe.requests.find((r) => r.method === "POST")!;
    expect(post.contentType).toBe("application/x-www-form-urlencoded");
    expect(new URLSearchParams(post.body).get("address[city]")).toBe("");
    const each = await db.updateEach("customers", "id", [
      { key: "cus_QoC1nF8sTy4MwD", set: { name: "x1" } },
      { key: "cus_gone", set: { name: "x2" } },
    ]);
    expect(each).toBe(1);
  });

  it("refuses what the spec does not offer with STW_PROCESSOR_UNSUPPORTED", async () => {
    await expect(db.deleteByKeys("charges", "id", ["ch_3PkT5xA9mWb2xLp0aQ1"])).rejects.toMatchObject({
      code: "STW_PROCESSOR_UNSUPPORTED",
    });
    await expect(db.updateByKeys("charges", "id", ["ch_1"], { description: "x" })).rejects.toMatchObject({
      code: "STW_PROCESSOR_UNSUPPORTED",
    });
    await expect(db.updateByKeys("customers", "id", ["cus_1"], { created: 0 })).rejects.toThrow(
      /no update of created on "customers"; it offers: "email", "name"/,
    );
    await expect(rows(db.readByKeys("customers", "phone", ["+46"], ["id"]))).rejects.toThrow(
      /no find by phone on "customers"; it offers: "find by email", "find by id"/,
    );
    await expect(rows(db.readByKeys("invoices", "id", ["in_1"], ["id"]))).rejects.toMatchObject({
      code: "STW_PROCESSOR_UNKNOWN_RESOURCE",
    });
    await expect(rows(db.readByKeys("customers", "email", [ADA], ["shoe_size"]))).rejects.toMatchObject({
      code: "STW_PROCESSOR_UNKNOWN_FIELD",
    });
    expect(stripe.requests.filter((r) => r.method !== "GET")).toEqual([]);
  });

  it("retries a 429 (honouring Retry-After) and a 500, then succeeds", async () => {
    stripe.failNext(1, 429, "0");
    stripe.failNext(2, 500);
    const found = await rows(db.readByKeys("customers", "email", ["mei.chen@example.net"], ["id"]));
    expect(found).toEqual([{ id: "cus_QoC1nF8sTy4MwD" }]);
    expect(stripe.requests).toHaveLength(4);
  });

  it("gives up after max_attempts with STW_PROCESSOR_FAILED naming vendor, path and status, never the e-mail or key", async () => {
    stripe.failNext(10, 503);
    const error = await rows(db.readByKeys("customers", "email", [ADA], ["id"])).catch((e: Error) => e);
    expect(error).toMatchObject({ code: "STW_PROCESSOR_FAILED" });
    const message = (error as Error).message;
    expect(message).toContain("stripe GET /v1/customers failed with HTTP 503 after 4 attempt(s)");
    expect(message).not.toContain(ADA);
    expect(message).not.toContain("ada.lindqvist");
    expect(message).not.toContain(KEY);
    expect(stripe.requests).toHaveLength(4);
  });

  it("retries a vendor that does not answer, then fails naming the connection problem", async () => {
    const gone = await startFakeStripe(KEY);
    await gone.close();
    const offline = await createHttpConnector(gone.url, variant.ref, { root: variant.root, env });
    const error = await offline.deleteByKeys("customers", "id", ["cus_QoC1nF8sTy4MwD"]).catch((e: Error) => e);
    expect(error).toMatchObject({ code: "STW_PROCESSOR_FAILED" });
    expect((error as Error).message).toContain(
      "DELETE /v1/customers/{id} failed with no connection (ECONNREFUSED) after 4",
    );
  });

  it("does not retry a refused key, and names the variable, not the key", async () => {
    const wrong = await createHttpConnector(stripe.url, "stripe", {
      root: ".",
      env: { STRIPE_SECRET_KEY: "sk_test_wrong0000" },
    });
    const error = await wrong.deleteByKeys("customers", "id", ["cus_QoC1nF8sTy4MwD"]).catch((e: Error) => e);
    expect(error).toMatchObject({ code: "STW_PROCESSOR_FAILED" });
    expect((error as Error).message).toContain("HTTP 401 after 1 attempt(s)");
    expect((error as Error).message).toContain("/v1/customers/{id}");
    expect((error as Error).message).toContain("STRIPE_SECRET_KEY");
    expect((error as Error).message).not.toContain("sk_test_wrong0000");
    expect((error as Error).message).not.toContain("cus_QoC1nF8sTy4MwD");
  });
});

describe("the HTTP connector's contract", () => {
  it("says what it cannot do: no transactions, no batches, no RETURNING", () => {
    expect(db.kind).toBe("http");
    expect(db.capabilities).toEqual({
      supportsReturning: false,
      supportsTransactions: false,
      supportsTransactionalDdl: false,
      supportsArrayParameters: false,
      supportsConditions: false,
      readsBesideWrites: true,
      concurrentTransactions: 1,
      maxParameters: 1,
    });
  });

  it("introspects the spec's resources and fields; sample returns nothing; transaction runs fn on itself", async () => {
    const tables = await db.introspect();
    expect(tables.map((t) => t.name)).toEqual(["charges", "customers"]);
    const customers = tables.find((t) => t.name === "customers")!;
    expect(customers.primaryKey).toEqual(["id"]);
    expect(customers.columns.map((c) => c.name)).toContain("address.postal_code");
    expect(customers.columns.find((c) => c.name === "id")).toMatchObject({ unique: true, nullable: false });
    expect(await db.sample("customers", ["id"], 10)).toEqual([]);
    expect(await db.transaction(async (tx) => tx === db)).toBe(true);
    expect(stripe.requests).toEqual([]);
  });

  it("needs the secret's variable to be set, and names it", async () => {
    const error = await createHttpConnector(stripe.url, "stripe", { root: ".", env: {} }).catch((e: Error) => e);
    expect(error).toMatchObject({ code: "STW_PROCESSOR_MISSING_SECRET" });
    expect((error as Error).message).toContain("STRIPE_SECRET_KEY");
  });

  it("refuses plain http:// to a host other than this machine (the key would travel unencrypted)", async () => {
    const error = await createHttpConnector("http://api.example.com", "stripe", { root: ".", env }).catch(
      (e: Error) => e,
    );
    expect(error).toMatchObject({ code: "STW_DB_BAD_URL" });
  });
});
