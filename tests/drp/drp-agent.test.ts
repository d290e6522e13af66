/**
 * A test agent with its own Ed25519 key, listed in a test agent discovery document, runs every flow of the Data
 * Rights Protocol against the real server on loopback: the pair-wise key setup, each action, the status, the
 * callbacks it receives (one failed first, then retried), need_user_verification, revoke, and the refusals —
 * expired and not yet valid messages, a replay, a wrong or missing token, another agent's request, an unknown
 * agent, a wrong business, a changed byte. Every DRP request is an ordinary Steward request with the agent named.
 */
import { generateKeyPairSync } from "node:crypto";
import { writeFileSync } from "node:fs";
import { unzipSync } from "fflate";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiKey } from "../../src/auth/api-keys.ts";
import { drpTime } from "../../src/drp/drp-time.ts";
import { sha256 } from "../../src/secrets/keyed-hash.ts";
import { type Databases, referenceDatabases, unusedLearner } from "../requests/service-fixture.ts";
import { codeFor } from "../requests/smtp-sink.ts";
import { BUSINESS_ID, type DrpHarness, startDrpHarness } from "./drp-fixture.ts";
import type { TestAgent } from "./test-agent.ts";

let d: Databases;
let h: DrpHarness;
let pgc: pg.Client;
let agent: TestAgent;
let other: TestAgent;
const used = new Set<string>();
const learner = () => unusedLearner(pgc, used);

/** The keys §3.03 allows in a status object. */
const STATUS_KEYS = [
  "request_id",
  "received_at",
  "expected_by",
  "agent_request_id",
  "processing_details",
  "status",
  "reason",
  "user_verification_url",
  "expires_at",
];

function checkStatusShape(body: Record<string, unknown>): void {
  for (const key of Object.keys(body)) expect(STATUS_KEYS).toContain(key);
  expect(typeof body["received_at"]).toBe("string");
  for (const key of ["received_at", "expected_by", "expires_at"])
    if (body[key] !== undefined) expect(String(body[key])).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00$/);
  if (body["status"] === "in_progress") expect(body["expected_by"]).toBeDefined();
}

/**
 * The request's admin view once its trail holds `kind`: the agent has the callback a moment before the worker
 * records the delivery.
 */
async function viewWith(id: string, kind: string, timeoutMs = 60_000, times = 1) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const view = await h.service.show(id);
    if (view.audit.filter((e) => e.kind === kind).length >= times) return view;
    if (Date.now() > deadline) throw new Error(`no ${kind} in the trail of ${id} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function json(res: Response): Promise<Record<string, unknown>> {
  return (await res.json()) as Record<string, unknown>;
}

beforeAll(async () => {
  d = await referenceDatabases("drp", 40);
  h = await startDrpHarness(d, ["TEST_AGENT_ONE", "TEST_AGENT_TWO"]);
  agent = h.agents["TEST_AGENT_ONE"]!;
  other = h.agents["TEST_AGENT_TWO"]!;
  pgc = await d.dbs.pg();
}, 180_000);

afterAll(async () => {
  await pgc?.end();
  await h?.close();
  await d?.close();
});

describe("pair-wise key setup and agent information", () => {
  it("refuses every bad setup with 403 and an empty body", async () => {
    const stranger = h.newAgent("NOT_LISTED");
    const cases: [string, () => Promise<Response>][] = [
      ["unknown agent", () => stranger.setup()],
      ["signed with another key", () => agent.setup({}, generateKeyPairSync("ed25519").privateKey)],
      ["another business", () => agent.setup({ "business-id": "SOMEONE_ELSE" })],
      ["agent-id other than the URL's", () => agent.setup({ "agent-id": other.id })],
      [
        "expired",
        () =>
          agent.setup({
            "issued-at": drpTime(new Date(h.clock.now().getTime() - 20 * 60_000)),
            "expires-at": drpTime(new Date(h.clock.now().getTime() - 5 * 60_000)),
          }),
      ],
      ["issued in the future", () => agent.setup({ "issued-at": drpTime(new Date(h.clock.now().getTime() + 60_000)) })],
      [
        "not a signed message",
        () =>
          fetch(`${h.base}/v1/agent/${agent.id}`, {
            method: "POST",
            body: "hello",
            headers: { "content-type": "text/plain" },
          }),
      ],
    ];
    for (const [why, send] of cases) {
      const res = await send();
      expect(res.status, why).toBe(403);
      expect(await res.text(), why).toBe("");
    }
    expect(agent.token).toBeUndefined();
  });

  it("issues a token bound to the agent, stored only as its hash", async () => {
    const res = await agent.setup();
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body["agent-id"]).toBe(agent.id);
    expect(String(body["token"]).length).toBeGreaterThan(30);
    expect((await other.setup()).status).toBe(200);
    const rows = await h.store.db.selectFrom("drp_agent_tokens").selectAll().execute();
    expect(rows.map((r) => r.token_hash).sort()).toEqual([sha256(agent.token!), sha256(other.token!)].sort());
    expect(JSON.stringify(rows)).not.toContain(agent.token);
  });

  it("answers {} to the token's agent and 403 otherwise", async () => {
    const info = (id: string, token?: string) =>
      fetch(`${h.base}/v1/agent/${id}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    const ok = await info(agent.id, agent.token);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({});
    const mismatch = await info(other.id, agent.token);
    expect(mismatch.status).toBe(403);
    expect(await json(mismatch)).toMatchObject({ code: "403", message: expect.stringMatching(/^STW_DRP_WRONG_AGENT/) });
    expect((await info(agent.id, "not-a-token")).status).toBe(403);
    expect((await info(agent.id)).status).toBe(403);
  });
});

describe("data rights requests", () => {
  it("opts out of sale: answers open, then the callback says fulfilled; the ledger holds the opt-out", async () => {
    const person = await learner();
    const res = await agent.exercise(
      "sale:opt-out ",
      { name: "Doe, Jane", email: person.email, email_verified: false },
      { "agent-request-id": "agent-req-1" },
    );
    expect(res.status).toBe(200);
    const first = await json(res);
    checkStatusShape(first);
    expect(first).toMatchObject({ status: "open", agent_request_id: "agent-req-1" });
    const id = String(first["request_id"]);
    const done = await agent.callback(id, "fulfilled");
    checkStatusShape(done);
    // The worker moves it three times in one transaction (verified, in_progress, completed): each change is its own
    // callback, in order — in_progress, then fulfilled (the second in_progress is the same status, not sent twice).
    expect(agent.received.filter((r) => r.body["request_id"] === id).map((r) => r.body["status"])).toEqual([
      "in_progress",
      "fulfilled",
    ]);
    const delivered = agent.received.find((r) => r.body["request_id"] === id)!;
    expect(delivered.path).toBe("/update_status");
    expect(delivered.contentType).toMatch(/^application\/json/);
    const status = await json(await agent.status(id));
    expect(status).toMatchObject({ request_id: id, status: "fulfilled" });

    // An ordinary Steward request, with the agent named, in the admin view and the trail.
    const view = await viewWith(id, "drp.callback_delivered");
    expect(view).toMatchObject({ type: "opt_out_sale_sharing", status: "completed", source: "agent", agent: agent.id });
    const kinds = view.audit.map((e) => e.kind);
    expect(kinds).toEqual(
      expect.arrayContaining([
        "request.received",
        "drp.exercise_received",
        "request.completed",
        "drp.callback_delivered",
      ]),
    );
    const history = await h.service.ctx.consent.history(`email:${person.email}`);
    expect(history.some((e) => e.request_id === id && e.status === "withdrawn")).toBe(true);
  });

  it("opts back in to sale (sale:opt-in): the ledger records the grant for every sale and sharing purpose", async () => {
    const person = await learner();
    const subject = `email:${person.email}`;
    const out = await json(await agent.exercise("sale:opt-out", { email: person.email }));
    await agent.callback(String(out["request_id"]), "fulfilled");
    const res = await agent.exercise("sale:opt-in", { email: person.email }, { "agent-request-id": "opt-in-1" });
    expect(res.status).toBe(200);
    const first = await json(res);
    checkStatusShape(first);
    expect(first).toMatchObject({ status: "open", agent_request_id: "opt-in-1" });
    const id = String(first["request_id"]);
    expect(id).not.toBe(out["request_id"]);
    await agent.callback(id, "fulfilled");
    const view = await viewWith(id, "drp.callback_delivered");
    expect(view).toMatchObject({ type: "opt_out_sale_sharing", status: "completed", agent: agent.id });
    expect(view.outcome).toMatchObject({ choice: "granted" });
    // Named for what it is, wherever the request is shown (`type.<asked>`).
    expect(view.asked).toBe("opt_in_sale_sharing");
    expect(view.timeline[0]?.text).toContain("your opt-in to the sale and sharing of your personal data");
    expect((await h.service.show(String(out["request_id"]))).asked).toBe("opt_out_sale_sharing");
    const history = await h.service.ctx.consent.history(subject);
    const granted = history.filter((e) => e.request_id === id).map((e) => [e.purpose, e.status]);
    const withdrawn = history.filter((e) => e.request_id === out["request_id"]).map((e) => [e.purpose, e.status]);
    expect(granted.length).toBeGreaterThan(0);
    // The same purposes, the other way.
    expect(granted.map(([p]) => p).sort()).toEqual(withdrawn.map(([p]) => p).sort());
    expect(new Set(granted.map(([, st]) => st))).toEqual(new Set(["granted"]));
    const purpose = String(granted[0]![0]);
    expect((await h.service.ctx.consent.decide(subject, purpose, "us_ca")).allowed).toBe(true);
    // The person's mail says what they asked for.
    await h.smtp.waitFor(person.email, /your opt-in to the sale and sharing of your personal data/);
  });

  it("answers access:categories with the kinds of data held, their sources, purposes and recipients — no values", async () => {
    const person = await learner();
    const sent = h.smtp.mails.length;
    const first = await json(await agent.exercise("access:categories", { email: person.email, email_verified: true }));
    const id = String(first["request_id"]);
    await agent.callback(id, "fulfilled", 120_000);
    const view = await h.service.show(id);
    expect(view).toMatchObject({
      type: "access",
      asked: "access_categories",
      status: "completed",
      outcome: { scope: "categories" },
    });

    const ready = await h.smtp.waitFor(person.email, /kinds of personal data we hold about you is ready/, sent);
    const link = /https:\/\/privacy\.example\.org(\/api\/requests\/\S+)/.exec(ready.text)?.[1];
    const download = await h.app.inject({ url: link! });
    expect(download.statusCode).toBe(200);
    const files = unzipSync(new Uint8Array(download.rawPayload));
    expect(Object.keys(files).sort()).toEqual(["categories.json", "report.html"]);
    const text = Object.values(files)
      .map((b) => new TextDecoder().decode(b))
      .join("\n");
    // None of the person's values: not their e-mail address, not their name.
    expect(text).not.toContain(person.email);
    expect(text).not.toContain(person.first_name);
    const doc = JSON.parse(new TextDecoder().decode(files["categories.json"])) as {
      categories: {
        category: string;
        found_in: string[];
        purposes: unknown[];
        recipients: unknown[];
        sources: unknown[];
      }[];
    };
    const keys = doc.categories.map((c) => c.category);
    expect(keys).toEqual(expect.arrayContaining(["user.contact.email", "user.name.first"]));
    const email = doc.categories.find((c) => c.category === "user.contact.email")!;
    expect(email.found_in).toContain("learning_app.users");
    expect(email.purposes.length).toBeGreaterThan(0);
    expect(email.sources.length).toBeGreaterThan(0);
    expect(doc.categories.some((c) => c.recipients.length > 0)).toBe(true);
    const report = new TextDecoder().decode(files["report.html"]);
    expect(report).toContain("The kinds of personal data we hold about you");
    expect(report).toContain("Where it came from");
    expect(report).toContain("Who receives your data");

    // A full access (access:specific) of the same person is the data itself, and does not join the categories'.
    const full = await json(await agent.exercise("access:specific", { email: person.email }));
    const list = await json(await agent.exercise("access:categories", { email: person.email }));
    expect(full["request_id"]).not.toBe(list["request_id"]);
    expect((await json(await agent.exercise("access", { email: person.email })))["request_id"]).toBe(
      full["request_id"],
    );
  }, 180_000);

  // Before the tests that move the clock by days: the console's session would have run out.
  it("tells the agent the kind of denial the operator picked, in the API and the console, and Steward's own", async () => {
    const deletion = async () => {
      const person = await learner();
      const first = await json(await agent.exercise("deletion", { email: person.email, email_verified: true }));
      const id = String(first["request_id"]);
      await agent.callback(id, "in_progress"); // waiting for the operator's review
      return { id, person };
    };
    const { key } = await createApiKey(h.store.db, { name: "dpo", role: "approver" });
    const api = (id: string, body: Record<string, unknown>) =>
      h.app.inject({
        method: "POST",
        url: `/api/admin/requests/${id}/deny`,
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
        payload: JSON.stringify(body),
      });

    // The admin API: the kind is checked, then carried to the agent with the reason.
    const byApi = await deletion();
    const bad = await api(byApi.id, { reason: "no account", denial: "maybe" });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: "STW_REQUEST_BAD_DENIAL" });
    expect((await h.service.get(byApi.id)).status).toBe("awaiting_approval");
    const wrongAction = await h.app.inject({
      method: "POST",
      url: `/api/admin/requests/${byApi.id}/extend`,
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      payload: JSON.stringify({ reason: "more time", denial: "no_match" }),
    });
    expect(wrongAction.json()).toMatchObject({
      code: "STW_REQUEST_BAD_DENIAL",
      message: expect.stringMatching(/^a kind of denial \("no_match"\) goes only with deny, not with extend/),
    });
    expect((await h.service.get(byApi.id)).extended_at).toBeNull();
    expect(
      (await api(byApi.id, { reason: "We hold no account for this address", denial: "no_match" })).statusCode,
    ).toBe(200);
    const denied = await agent.callback(byApi.id, "denied");
    checkStatusShape(denied);
    expect(denied).toMatchObject({ reason: "no_match", processing_details: "We hold no account for this address" });

    // The console's deny form offers the kinds, "other" chosen unless the operator picks another.
    const byConsole = await deletion();
    const signIn = await h.app.inject({
      method: "POST",
      url: "/admin/sign-in",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      payload: new URLSearchParams({ key }).toString(),
    });
    const raw = signIn.headers["set-cookie"];
    const cookie = (Array.isArray(raw) ? raw : [String(raw)]).map((l) => l.split(";")[0]).join("; ");
    const page = await h.app.inject({ url: `/admin/requests/${byConsole.id}`, headers: { cookie } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<select id="deny-denial" name="denial"');
    expect(page.body).toContain('<option value="other" selected>Other</option>');
    expect(page.body).toContain('<option value="suspected_fraud">Suspected fraud</option>');
    const csrf = /name="csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? "";
    const posted = await h.app.inject({
      method: "POST",
      url: `/admin/requests/${byConsole.id}/deny`,
      headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
      payload: new URLSearchParams({
        csrf,
        reason: "The request came from a known fraud ring",
        denial: "suspected_fraud",
      }).toString(),
    });
    expect(posted.statusCode, posted.body).toBe(303);
    expect(await agent.callback(byConsole.id, "denied")).toMatchObject({ reason: "suspected_fraud" });

    // Steward's own denial: a legal hold keeps the person's data (the law's exemption): claim_not_covered.
    const held = await deletion();
    const hold = await h.app.inject({
      method: "POST",
      url: "/api/admin/holds",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      payload: JSON.stringify({ request_id: held.id, reason: "litigation 2026-52" }),
    });
    expect(hold.statusCode).toBe(201);
    await h.service.act(held.id, "approve", "key:dpo");
    const exempt = await agent.callback(held.id, "denied", 120_000);
    expect(exempt).toMatchObject({ status: "denied", reason: "claim_not_covered" });
    expect(String(exempt["processing_details"])).toContain("legal claim");
  }, 180_000);

  it("takes a voluntary request: the default jurisdiction, or California's where the default lacks the type", async () => {
    const person = await learner();
    const optOut = await json(await agent.exercise("sale:opt-out", { email: person.email }, { regime: "voluntary" }));
    expect(optOut["status"]).toBe("open");
    const access = await json(await agent.exercise("access", { email: person.email }, { regime: undefined }));
    expect((await h.service.show(String(optOut["request_id"]))).jurisdiction).toBe("us_ca");
    expect((await h.service.show(String(access["request_id"]))).jurisdiction).toBe("global");
  });

  it("runs an access request the agent verified through the engine; callbacks go forward only", async () => {
    const person = await learner();
    const res = await agent.exercise("access", {
      email: person.email,
      email_verified: true,
      power_of_attorney: "https://agent.test/poa/1",
    });
    const first = await json(res);
    expect(first["status"]).toBe("open");
    const id = String(first["request_id"]);
    await agent.callback(id, "fulfilled", 120_000);
    const order = agent.received.filter((r) => r.body["request_id"] === id).map((r) => String(r.body["status"]));
    const rank = (s: string) => (s === "open" ? 1 : s === "in_progress" ? 2 : 3);
    expect(order.map(rank)).toEqual([...order.map(rank)].sort());
    for (const r of agent.received.filter((r) => r.body["request_id"] === id)) checkStatusShape(r.body);
    const view = await h.service.show(id);
    expect(view).toMatchObject({ type: "access", status: "completed", agent: agent.id });
    expect(view.verification).toMatchObject({ level: "email", method: "agent" });
    expect(view.agents).toEqual([
      expect.objectContaining({
        agent: agent.id,
        exercise: "access",
        regime: "ccpa",
        power_of_attorney: "https://agent.test/poa/1",
      }),
    ]);

    // The admin console shows it like any other request, the agent and its power of attorney named.
    const { key } = await createApiKey(h.store.db, { name: "auditor", role: "viewer" });
    const signIn = await h.app.inject({
      method: "POST",
      url: "/admin/sign-in",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      payload: new URLSearchParams({ key }).toString(),
    });
    expect(signIn.statusCode).toBe(303);
    const raw = signIn.headers["set-cookie"];
    const cookie = (Array.isArray(raw) ? raw : [String(raw)]).map((l) => l.split(";")[0]).join("; ");
    const page = await h.app.inject({ url: `/admin/requests/${id}`, headers: { cookie } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(`${agent.id}, through the Data Rights Protocol: access (regime ccpa)`);
    expect(page.body).toContain("Power of attorney given: https://agent.test/poa/1");
    expect((await h.app.inject({ url: "/admin?status=all", headers: { cookie } })).body).toContain(id);

    // The package's download link runs out (STEWARD_PACKAGE_DAYS, 7): fulfilled until then, expired after.
    const fulfilled = await json(await agent.status(id));
    expect(fulfilled).toMatchObject({ status: "fulfilled", expires_at: expect.stringMatching(/\+00:00$/) });
    h.clock.shift(8 * 86_400_000);
    // The sweep tells the agent by callback (DRP §3.02: expired once past expires_at), once.
    expect(agent.received.some((r) => r.body["request_id"] === id && r.body["status"] === "expired")).toBe(false);
    expect((await h.service.sweepRequests()).packagesExpired).toBeGreaterThanOrEqual(1);
    const expiredCallback = await agent.callback(id, "expired");
    checkStatusShape(expiredCallback);
    expect(expiredCallback).toMatchObject({ status: "expired", expires_at: fulfilled["expires_at"] });
    expect((await h.service.sweepRequests()).packagesExpired).toBe(0);
    const expired = await json(await agent.status(id));
    checkStatusShape(expired);
    expect(expired).toMatchObject({ status: "expired", expires_at: fulfilled["expires_at"] });
    expect(agent.received.filter((r) => r.body["request_id"] === id).map((r) => r.body["status"])).toEqual([
      "in_progress",
      "fulfilled",
      "expired",
    ]);
  });

  it("holds a verified deletion for approval; the operator's extension and approval reach the agent by callback", async () => {
    const person = await learner();
    const claims = agent.exerciseClaims("deletion", { email: person.email, email_verified: "true" });
    const wire = agent.sign(claims);
    const first = await json(await agent.send(wire));
    const id = String(first["request_id"]);
    // Verified (in_progress), then waiting for the review (in_progress, with the details): two changes, two callbacks.
    const review = await agent.callbackWhere(
      id,
      (b) => b["processing_details"] === "Waiting for the business's review.",
    );
    checkStatusShape(review);
    expect(agent.received.filter((r) => r.body["request_id"] === id).map((r) => r.body["processing_details"])).toEqual([
      undefined,
      "Waiting for the business's review.",
    ]);

    await h.service.act(id, "extend", "key:dpo", "The analytics warehouse is searched as well");
    const extended = await agent.callbackWhere(id, (b) => String(b["processing_details"] ?? "").startsWith("Extended"));
    expect(extended).toMatchObject({
      status: "in_progress",
      processing_details: "Extended: The analytics warehouse is searched as well",
    });
    expect(Date.parse(String(extended["expected_by"]))).toBeGreaterThan(Date.parse(String(review["expected_by"])));

    await h.service.act(id, "approve", "key:dpo");
    await agent.callback(id, "fulfilled", 120_000);
    expect(await h.service.show(id)).toMatchObject({ type: "erasure", status: "completed", agent: agent.id });
    const { rows } = await pgc.query("SELECT count(*)::int AS n FROM users WHERE email = $1", [person.email]);
    expect(rows[0].n).toBe(0);

    // The same signed message again is a replay.
    const replay = await agent.send(wire);
    expect(replay.status).toBe(409);
    expect(await json(replay)).toMatchObject({ code: "409", message: expect.stringMatching(/^STW_DRP_REPLAYED/) });
  }, 180_000);

  it("retries a callback the agent did not take, with backoff, each attempt in the trail", async () => {
    const person = await learner();
    // The worker's one transaction moves the opt-out three times (verified, in_progress, completed): two statuses to
    // send, in order. The first fails four times (three jobs try it, then a retry after the backoff); nothing after
    // it is sent before it, so the agent hears in_progress, then fulfilled.
    agent.failing.set("retry-me", 4);
    const res = await agent.exercise("sale:opt-out", { email: person.email }, { "agent-request-id": "retry-me" });
    const id = String((await json(res))["request_id"]);
    await agent.callback(id, "fulfilled", 120_000);
    const audit = (await viewWith(id, "drp.callback_delivered", 60_000, 2)).audit;
    expect(audit.filter((e) => /^request\.(verified|in_progress|completed)$/.test(e.kind))).toHaveLength(3);
    const deliveries = audit
      .filter((e) => e.kind.startsWith("drp.callback_"))
      .map((e) => `${e.kind} ${(e.payload as { status: string }).status}`);
    expect(deliveries).toEqual([
      ...Array(4).fill("drp.callback_failed in_progress"),
      "drp.callback_delivered in_progress",
      "drp.callback_delivered fulfilled",
    ]);
    expect(audit.find((e) => e.kind === "drp.callback_failed")?.payload).toMatchObject({
      agent: agent.id,
      status: "in_progress",
      http_status: 500,
    });
    expect(agent.received.filter((r) => r.body["request_id"] === id).map((r) => r.body["status"])).toEqual([
      "in_progress",
      "fulfilled",
    ]);
  }, 180_000);

  it("asks the person to verify when the agent did not (need_user_verification), then goes on", async () => {
    const person = await learner();
    const sent = h.smtp.mails.length;
    const first = await json(await agent.exercise("access:specific", { email: person.email, phone: "+15555550100" }));
    checkStatusShape(first);
    expect(first).toMatchObject({
      status: "in_progress",
      reason: "need_user_verification",
      user_verification_url: `https://privacy.example.org/requests/${first["request_id"]}`,
    });
    const id = String(first["request_id"]);
    const code = await codeFor(h.smtp, person.email, sent);
    // §3.02.1: the agent sends the person to the URL with redirect_to and request_id; the privacy center takes a
    // return address only on the agent's own web site (its discovery entry), and sends them back once confirmed.
    const page = (redirect: string, rid = id) =>
      h.app.inject({
        url: `/requests/${id}?redirect_to=${encodeURIComponent(redirect)}&request_id=${rid}`,
      });
    const back = "https://agent.test/verified?case=7";
    expect((await page(back)).body).toContain(`name="redirect_to" value="${back.replace("&", "&amp;")}"`);
    expect((await page("https://elsewhere.example/")).body).not.toContain('name="redirect_to"');
    expect((await page(back, "00000000-0000-4000-8000-000000000000")).body).not.toContain('name="redirect_to"');
    const verify = await h.app.inject({
      method: "POST",
      url: `/requests/${id}/verify`,
      headers: { "content-type": "application/x-www-form-urlencoded" },
      payload: new URLSearchParams({ code, redirect_to: back }).toString(),
    });
    expect(verify.statusCode).toBe(303);
    expect(verify.headers.location).toBe(back);
    await agent.callback(id, "fulfilled", 120_000);
    expect((await h.service.show(id)).verification.method).toBe("email_code");
  });

  it("revokes a request that has not started; the same revoke again answers revoked; a callback says so", async () => {
    const person = await learner();
    const first = await json(await agent.exercise("access:categories", { email: person.email }));
    expect(first["reason"]).toBe("need_user_verification");
    const id = String(first["request_id"]);
    const revoked = await agent.revoke(id, "I changed my mind");
    expect(revoked.status).toBe(200);
    const body = JSON.parse(revoked.body) as Record<string, unknown>;
    checkStatusShape(body);
    expect(body["status"]).toBe("revoked");
    const again = await agent.revoke(id, "I changed my mind");
    expect(again.status).toBe(200);
    expect(JSON.parse(again.body)).toMatchObject({ status: "revoked" });
    await agent.callback(id, "revoked");
    expect(await h.service.show(id)).toMatchObject({ status: "cancelled", reason: "I changed my mind" });

    // A revoke with reason null (the reference agent sends it) of a finished request is refused and changes nothing.
    const done = agent.received.find((r) => r.body["status"] === "fulfilled")!;
    const refused = await agent.revoke(String(done.body["request_id"]), null);
    expect(refused.status).toBe(409);
    expect(JSON.parse(refused.body)).toMatchObject({
      code: "409",
      message: expect.stringMatching(/^STW_REQUEST_WRONG_STATE/),
    });
    expect((await json(await agent.status(String(done.body["request_id"]))))["status"]).toBe("fulfilled");
  });

  it("tells the agent denied / insuf_verification when the person never confirms", async () => {
    const person = await learner();
    const first = await json(await agent.exercise("deletion", { email: person.email }));
    expect(first).toMatchObject({ status: "in_progress", reason: "need_user_verification" });
    const id = String(first["request_id"]);
    h.clock.shift(73 * 3_600_000); // past STEWARD_UNVERIFIED_HOURS (72)
    expect(await h.service.expireUnverified()).toBeGreaterThan(0);
    const denied = await agent.callback(id, "denied");
    checkStatusShape(denied);
    expect(denied).toMatchObject({ reason: "insuf_verification" });
    expect(await json(await agent.status(id))).toMatchObject({ status: "denied", reason: "insuf_verification" });
    expect((await h.service.show(id)).status).toBe("expired");
  });

  it("refuses expired, future, tampered, wrong-business, wrong-agent and unsupported messages with §3.06 bodies", async () => {
    const person = await learner();
    const now = h.clock.now().getTime();
    const refusal = async (res: Response, status: number, code: string) => {
      expect(res.status, code).toBe(status);
      expect(res.headers.get("x-steward-error")).toBe(code);
      const body = await json(res);
      expect(body["code"]).toBe(String(status));
      expect(String(body["message"])).toMatch(new RegExp(`^${code}: `));
      return body;
    };
    const p = { email: person.email, email_verified: true };
    const expired = await refusal(
      await agent.exercise("access", p, {
        "issued-at": drpTime(new Date(now - 20 * 60_000)),
        "expires-at": drpTime(new Date(now - 10 * 60_000)),
      }),
      400,
      "STW_DRP_EXPIRED",
    );
    expect(expired["fatal"]).toBe(true);
    await refusal(
      await agent.exercise("access", p, { "issued-at": drpTime(new Date(now + 60_000)) }),
      400,
      "STW_DRP_NOT_YET_VALID",
    );
    // Valid for a day: longer than STEWARD_DRP_MAX_VALIDITY_SECONDS (default 900) allows, though not expired.
    await refusal(
      await agent.exercise("access", p, { "expires-at": drpTime(new Date(now + 86_400_000)) }),
      400,
      "STW_DRP_VALIDITY_TOO_LONG",
    );
    await refusal(await agent.exercise("access", p, { "business-id": "OTHER_CB" }), 403, "STW_DRP_WRONG_BUSINESS");
    await refusal(await agent.exercise("access", p, { "agent-id": other.id }), 403, "STW_DRP_WRONG_AGENT");
    await refusal(await agent.exercise("sale:opt-out-forever", p), 400, "STW_DRP_UNSUPPORTED_ACTION");
    // Colorado's access requests need the person signed in here (the harness's manifest): no agent can vouch for it.
    await refusal(await agent.exercise("access", p, { regime: "us_co" }), 400, "STW_DRP_CANNOT_VERIFY");
    const regime = await refusal(await agent.exercise("access", p, { regime: "lgpd" }), 400, "STW_DRP_BAD_CLAIM");
    expect(regime["message"]).toMatch(/"regime" is "lgpd"; allowed: "ccpa", "voluntary", "eea"/);
    const raw = Buffer.from(agent.sign(agent.exerciseClaims("access", p)), "base64");
    raw[raw.length - 3] = (raw[raw.length - 3] ?? 0) ^ 1;
    await refusal(await agent.send(raw.toString("base64")), 403, "STW_DRP_BAD_SIGNATURE");
    // Another agent's message under this agent's token: the signature is checked with the token's agent's key.
    await refusal(await agent.send(other.sign(other.exerciseClaims("access", p))), 403, "STW_DRP_BAD_SIGNATURE");
    await refusal(
      await agent.exercise("access", p).then(() => agent.send("x", "wrong-token")),
      403,
      "STW_DRP_TOKEN_INVALID",
    );
  });

  it("keeps each agent to its own requests", async () => {
    const mine = agent.received[0]!.body["request_id"] as string;
    const res = await other.status(mine);
    expect(res.status).toBe(403);
    expect(await json(res)).toMatchObject({ code: "403", message: expect.stringMatching(/^STW_DRP_NOT_YOURS/) });
    expect((await other.revoke(mine, "no")).status).toBe(403);
    expect((await agent.status(mine, "wrong-token")).status).toBe(403);
    expect((await agent.status("not-an-id")).status).toBe(403);
  });

  it("reads the agent discovery document again when it changes: a new agent sets up, a removed one's token stops", async () => {
    const until = async (what: string, test: () => Promise<boolean>) => {
      const deadline = Date.now() + 10_000;
      while (!(await test())) {
        if (Date.now() > deadline) throw new Error(`${what}: not within 10 s`);
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    const info = (a: TestAgent) =>
      fetch(`${h.base}/v1/agent/${a.id}`, { headers: { authorization: `Bearer ${a.token}` } }).then((r) => r.status);
    const newcomer = h.newAgent("TEST_AGENT_THREE");
    expect((await newcomer.setup()).status).toBe(403);
    expect(await info(other)).toBe(200);

    // The operators add an agent and remove another; the refresh interval is 300 s: the file's change is what counts.
    h.writeAgents([agent, newcomer]);
    await until("the new agent sets up", async () => (await newcomer.setup()).status === 200);
    expect(await info(newcomer)).toBe(200);
    await until("the removed agent's token stops working", async () => (await info(other)) === 403);
    const refused = await other.exercise("access", { email: "someone@example.net" });
    expect(refused.status).toBe(403);
    expect(await json(refused)).toMatchObject({ message: expect.stringMatching(/^STW_DRP_TOKEN_INVALID/) });
    expect(await info(agent)).toBe(200);
    expect(h.drp.agents.ids()).toEqual([agent.id, newcomer.id].sort());

    // A document that cannot be used keeps the last good list; listing the agent again lets its token work again.
    writeFileSync(h.agentsFile, "[{");
    await until("the server notes the unusable document", async () =>
      h.logs.some((l) => l.includes("agent discovery document not taken") && l.includes("STW_DRP_AGENTS_INVALID")),
    );
    expect(await info(newcomer)).toBe(200);
    h.writeAgents([agent, other]);
    await until("the agent listed again is known", async () => (await info(other)) === 200);
    expect(await info(newcomer)).toBe(403);
  });

  it("writes no identity of anyone to the server's log", async () => {
    const text = h.logs.join("");
    expect(text).toContain("/v1/data-rights-request");
    for (const email of used) expect(text).not.toContain(email);
    expect(text).not.toMatch(/[^\s@"]+@[^\s@"]+\.(example|test|net)/);
  });

  it("lists every DRP endpoint in the OpenAPI document", async () => {
    const spec = (await (await fetch(`${h.base}/docs/json`)).json()) as { paths: Record<string, unknown> };
    for (const path of ["/v1/agent/{agentId}", "/v1/data-rights-request", "/v1/data-rights-request/{id}"])
      expect(Object.keys(spec.paths)).toContain(path);
    // The admin deny action takes the kind of denial; summaries say what a request asks.
    const deny = (
      spec.paths["/api/admin/requests/{id}/{action}"] as {
        post: { requestBody: { content: Record<string, { schema: { properties: Record<string, unknown> } }> } };
      }
    ).post.requestBody.content["application/json"]!.schema.properties;
    expect(Object.keys(deny)).toEqual(["reason", "denial"]);
    expect(JSON.stringify(deny["denial"])).toContain("no_match");
    expect(JSON.stringify(spec)).toContain("opt_in_sale_sharing (an opt_out_sale_sharing that opts in)");
    const doc = await json(await fetch(`${h.base}/.well-known/data-rights.json`));
    expect(doc).toMatchObject({ id: BUSINESS_ID, api_base: "https://privacy.example.org" });
  });

  // Last: it moves the clock by years.
  it("deletes the records of closed DRP requests with their agent links after STEWARD_REQUEST_RECORD_MONTHS", async () => {
    const closed = await h.store.db
      .selectFrom("drp_requests as l")
      .innerJoin("requests as r", "r.id", "l.request_id")
      .select("r.id")
      .where("r.closed_at", "is not", null)
      .execute();
    const ids = closed.map((c) => c.id);
    expect(ids.length).toBeGreaterThan(1);
    h.clock.shift(3 * 365 * 86_400_000); // past the 24 months records are kept
    const { deleted } = await h.service.sweepRequests();
    expect(deleted.requests).toBeGreaterThan(0);
    // What is left is kept for the legal hold placed above; the rest went with its links and callbacks.
    const kept = await h.store.db.selectFrom("requests").select("id").where("id", "in", ids).execute();
    expect(kept.length).toBe(ids.length - deleted.requests);
    const links = await h.store.db
      .selectFrom("drp_requests")
      .select("request_id")
      .where("request_id", "in", ids)
      .execute();
    expect(links.map((l) => l.request_id).sort()).toEqual(kept.map((k) => k.id).sort());
    const callbacks = await h.store.db
      .selectFrom("drp_callbacks")
      .select("request_id")
      .where("request_id", "in", ids)
      .execute();
    expect(new Set(callbacks.map((c) => c.request_id))).toEqual(new Set(kept.map((k) => k.id)));
  });
});
