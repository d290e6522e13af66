/**
 * A local stand-in for Stripe's REST API, following its reference for the endpoints Steward uses, over the recorded
 * fixtures in src/demo/fakes/fixtures/stripe.json:
 * - auth: `Authorization: Bearer <secret key>` (or Basic with the key as user name); otherwise 401;
 * - GET /v1/customers?email=&limit=&starting_after= — exact e-mail filter, newest first, `{object: "list", data,
 *   has_more}`; limit 1–100 (default 10);
 * - GET /v1/customers/{id} — the customer, or a `{id, object, deleted: true}` stub once deleted, or 404;
 * - POST /v1/customers/{id} — form-encoded update (`address[city]=…`; an empty value clears a field);
 * - DELETE /v1/customers/{id} — `{id, object: "customer", deleted: true}`; 404 (resource_missing) when already gone;
 * - GET /v1/charges?customer=&limit=&starting_after= — a customer's charges, newest first.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  copy,
  type FakeRequest,
  type FakeResponse,
  type FakeServer,
  type FakeServerOptions,
  startFakeServer,
} from "./fake-server.ts";

type Json = Record<string, unknown>;
interface StripeFixture {
  customers: Json[];
  charges: Json[];
  errors: Record<string, Json>;
}

export const STRIPE_FIXTURE: StripeFixture = JSON.parse(
  readFileSync(join(import.meta.dirname, "fixtures", "stripe.json"), "utf8"),
);

export interface FakeStripe extends FakeServer {
  /** The current customers (deleted ones are gone from here). */
  readonly customers: Map<string, Json>;
  /** Every charge, of customers deleted or not (Stripe keeps charges); push to add one. */
  readonly charges: Json[];
}

/** An error body from the fixture with its `{placeholders}` filled in. */
function error(status: number, name: string, fill: Record<string, string> = {}): FakeResponse {
  let text = JSON.stringify(STRIPE_FIXTURE.errors[name]);
  for (const [k, v] of Object.entries(fill)) text = text.replaceAll(`{${k}}`, v);
  return { status, body: JSON.parse(text) };
}

/** One page of a list, as Stripe pages: newest first, after the `starting_after` object, up to `limit`. */
function page(request: FakeRequest, all: Json[], url: string): FakeResponse {
  const rawLimit = request.query.get("limit") ?? "10";
  const limit = Number(rawLimit);
  if (!/^\d+$/.test(rawLimit) || limit < 1 || limit > 100) return error(400, "invalid_limit", { value: rawLimit });
  const sorted = [...all].sort((a, b) => Number(b["created"]) - Number(a["created"]));
  const after = request.query.get("starting_after");
  const start = after === null ? 0 : sorted.findIndex((o) => o["id"] === after) + 1;
  if (after !== null && start === 0) return error(400, "resource_missing", { id: after });
  const data = sorted.slice(start, start + limit);
  return { status: 200, body: { object: "list", url, has_more: start + limit < sorted.length, data } };
}

/** Applies a form-encoded update: `name=…`, `address[city]=…`; an empty value sets null. */
function applyForm(target: Json, body: string): void {
  for (const [key, value] of new URLSearchParams(body)) {
    const [first = "", ...rest] = key.replace(/\]/g, "").split("[");
    let node = target;
    for (const step of [first, ...rest].slice(0, -1)) {
      if (typeof node[step] !== "object" || node[step] === null) node[step] = {};
      node = node[step] as Json;
    }
    node[[first, ...rest].at(-1)!] = value === "" ? null : value;
  }
}

export async function startFakeStripe(secretKey: string, options: FakeServerOptions = {}): Promise<FakeStripe> {
  const customers = new Map(copy(STRIPE_FIXTURE.customers).map((c) => [String(c["id"]), c]));
  const deleted = new Set<string>();
  const charges = copy(STRIPE_FIXTURE.charges);
  const server = await startFakeServer(
    {
      authorized: (r) =>
        r.authorization === `Bearer ${secretKey}` ||
        r.authorization === `Basic ${Buffer.from(`${secretKey}:`).toString("base64")}`,
      unauthorized: () => error(401, "authentication", { masked: "sk_test_****" }),
      failureBody: (status) =>
        status === 429 ? STRIPE_FIXTURE.errors["rate_limit"] : STRIPE_FIXTURE.errors["api_error"],
      handle(r) {
        const one = /^\/v1\/customers\/([^/]+)$/.exec(r.path);
        if (r.method === "GET" && r.path === "/v1/customers") {
          const email = r.query.get("email");
          return page(
            r,
            [...customers.values()].filter((c) => email === null || c["email"] === email),
            "/v1/customers",
          );
        }
        if (r.method === "GET" && r.path === "/v1/charges") {
          const customer = r.query.get("customer");
          return page(
            r,
            charges.filter((c) => customer === null || c["customer"] === customer),
            "/v1/charges",
          );
        }
        if (one) {
          const id = decodeURIComponent(one[1]!);
          const customer = customers.get(id);
          if (r.method === "GET" && deleted.has(id))
            return { status: 200, body: { id, object: "customer", deleted: true } };
          if (!customer && ["GET", "POST", "DELETE"].includes(r.method)) return error(404, "resource_missing", { id });
          if (r.method === "GET") return { status: 200, body: customer };
          if (r.method === "POST" && customer) {
            applyForm(customer, r.body);
            return { status: 200, body: customer };
          }
          if (r.method === "DELETE") {
            customers.delete(id);
            deleted.add(id);
            return { status: 200, body: { id, object: "customer", deleted: true } };
          }
        }
        return error(404, "unrecognized_url", { method: r.method, path: r.path });
      },
    },
    options,
  );
  return { ...server, customers, charges };
}
