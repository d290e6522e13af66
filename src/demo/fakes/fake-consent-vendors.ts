/**
 * Local stand-ins for the downstream systems that hear of consent changes, over recorded fixtures
 * (src/demo/fakes/fixtures/):
 * - Mailchimp's Marketing API: `PUT /3.0/lists/{list_id}/members/{md5 of the lower-cased address}` with
 *   `{email_address, status_if_new, status}` adds or updates a member; Basic auth with the API key as password;
 *   errors as Mailchimp's problem documents ({type, title, status, detail, instance}); 404 for another list;
 * - Meta's Custom Audience users edge: `POST` adds and `DELETE` removes `{payload: {schema: "EMAIL_SHA256", data:
 *   [[hash]]}}` at `/{audience_id}/users`, with the access token; answers `{audience_id, session_id, num_received,
 *   num_invalid_entries, invalid_entry_samples}`; errors as Graph API `{error: {message, type, code, fbtrace_id}}`;
 * - a webhook receiver that checks Steward's signature itself (HMAC-SHA256 over "<t>.<body>", five-minute window)
 *   and keeps each delivery id once, as a receiver that honours idempotency does.
 */
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { copy, type FakeRequest, type FakeServer, type FakeServerOptions, startFakeServer } from "./fake-server.ts";

type Json = Record<string, unknown>;
const fixture = (name: string) => JSON.parse(readFileSync(join(import.meta.dirname, "fixtures", name), "utf8")) as Json;

export const MAILCHIMP = fixture("mailchimp.json") as {
  list_id: string;
  members: Json[];
  errors: Record<string, Json>;
};
export const META = fixture("meta-custom-audience.json") as {
  audience_id: string;
  members: string[];
  errors: Record<string, Json>;
};

export interface FakeMailchimp extends FakeServer {
  /** md5 → member */
  readonly members: Map<string, Json>;
}

export async function startFakeMailchimp(apiKey: string, options: FakeServerOptions = {}): Promise<FakeMailchimp> {
  const members = new Map<string, Json>(
    copy(MAILCHIMP.members).map((m) => [
      createHash("md5").update(String(m["email_address"]).toLowerCase()).digest("hex"),
      m,
    ]),
  );
  const server = await startFakeServer(
    {
      authorized: (r) => {
        const basic = r.authorization?.startsWith("Basic ")
          ? Buffer.from(r.authorization.slice(6), "base64").toString("utf8")
          : "";
        return basic.slice(basic.indexOf(":") + 1) === apiKey;
      },
      unauthorized: () => ({ status: 401, body: MAILCHIMP.errors["401"] }),
      failureBody: (status) => MAILCHIMP.errors[String(status)] ?? MAILCHIMP.errors["500"],
      handle(r: FakeRequest) {
        const m = /^\/3\.0\/lists\/([^/]+)\/members\/([0-9a-f]{32})$/.exec(r.path);
        if (!m || m[1] !== MAILCHIMP.list_id || r.method !== "PUT")
          return { status: 404, body: MAILCHIMP.errors["404"] };
        const body = JSON.parse(r.body || "{}") as Json;
        const hash = m[2] as string;
        const email = String(body["email_address"] ?? "").toLowerCase();
        if (createHash("md5").update(email).digest("hex") !== hash)
          return { status: 400, body: { ...MAILCHIMP.errors["404"], title: "Invalid Resource", status: 400 } };
        const existing = members.get(hash);
        const status = existing ? body["status"] : (body["status_if_new"] ?? body["status"]);
        const member = { ...(existing ?? { email_address: email, email_type: "html" }), status, id: hash };
        members.set(hash, member);
        return { status: 200, body: { ...member, list_id: MAILCHIMP.list_id } };
      },
    },
    options,
  );
  return { ...server, members };
}

export interface FakeMeta extends FakeServer {
  readonly members: Set<string>;
}

export async function startFakeMeta(token: string, options: FakeServerOptions = {}): Promise<FakeMeta> {
  const members = new Set<string>(copy(META.members));
  let session = 1;
  const server = await startFakeServer(
    {
      authorized: (r) => r.authorization === `Bearer ${token}`,
      unauthorized: () => ({ status: 400, body: META.errors["190"] }),
      failureBody: () => META.errors["500"],
      handle(r: FakeRequest) {
        const m = /^\/v\d+\.\d+\/(\d+)\/users$/.exec(r.path);
        if (!m || m[1] !== META.audience_id || !["POST", "DELETE"].includes(r.method))
          return { status: 400, body: META.errors["100"] };
        const payload = (JSON.parse(r.body || "{}") as { payload?: { schema?: string; data?: string[][] } }).payload;
        if (payload?.schema !== "EMAIL_SHA256" || !Array.isArray(payload.data))
          return { status: 400, body: META.errors["100"] };
        const hashes = payload.data.map((row) => row[0] ?? "");
        const invalid = hashes.filter((h) => !/^[0-9a-f]{64}$/.test(h));
        for (const h of hashes) if (!invalid.includes(h)) r.method === "POST" ? members.add(h) : members.delete(h);
        return {
          status: 200,
          body: {
            audience_id: META.audience_id,
            session_id: String(session++),
            num_received: hashes.length,
            num_invalid_entries: invalid.length,
            invalid_entry_samples: {},
          },
        };
      },
    },
    options,
  );
  return { ...server, members };
}

export interface WebhookReceiver extends FakeServer {
  /** delivery id → the body first received with it. */
  readonly received: Map<string, Json>;
  /** Deliveries that arrived again with an id already seen (acknowledged, not applied twice). */
  readonly repeats: string[];
}

export async function startWebhookReceiver(secret: string, options: FakeServerOptions = {}): Promise<WebhookReceiver> {
  const received = new Map<string, Json>();
  const repeats: string[] = [];
  const signed = (r: FakeRequest) => {
    const raw = r.headers["steward-signature"];
    const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(typeof raw === "string" ? raw : "");
    if (!m) return false;
    if (Math.abs(Date.now() / 1000 - Number(m[1])) > 300) return false;
    const expected = createHmac("sha256", secret).update(`${m[1]}.${r.body}`).digest();
    return timingSafeEqual(expected, Buffer.from(m[2] as string, "hex"));
  };
  const server = await startFakeServer(
    {
      authorized: signed,
      unauthorized: () => ({ status: 401, body: { error: "bad signature" } }),
      failureBody: (status) => ({ error: `failure ${status}` }),
      handle(r) {
        const id = String(r.headers["steward-delivery"] ?? "");
        if (received.has(id)) repeats.push(id);
        else received.set(id, JSON.parse(r.body) as Json);
        return { status: 204 };
      },
    },
    options,
  );
  return { ...server, received, repeats };
}
