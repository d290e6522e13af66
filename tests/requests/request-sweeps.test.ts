/**
 * What the workers' sweep does by itself, on a clock the test moves: a partial answer (a store down) is tried again
 * with back-off until the store is back and the request completes — once, without redoing what the first run did —
 * or until the tries run out and it waits for an operator; an unverified request expires after the configured hours
 * and the person is told by mail (read from a real SMTP server).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildServer } from "../../src/api/build-server.ts";
import { verifyAuditChain } from "../../src/audit/verify-audit-chain.ts";
import { createApiKey } from "../../src/auth/api-keys.ts";
import { type SqliteService, startSqliteService } from "./sqlite-service.ts";

let s: SqliteService;
const MINUTE = 60_000;

beforeAll(async () => {
  // The worker sweeps every second; what is due is decided by the service's clock, which only the test moves.
  s = await startSqliteService({
    config: { retryTries: 2, retrySeconds: 600, unverifiedHours: 72, alertMail: "dpo@example.org" },
    sweepSeconds: 1,
  });
  s.addPerson(1, "alice@example.org", "Alice");
  s.addPerson(2, "bob@example.org", "Bob");
  s.addPerson(3, "carol@example.org", "Carol");
}, 60_000);

afterAll(async () => {
  await s?.close();
});

const trail = (id: string) =>
  s.store.db
    .selectFrom("audit_events")
    .select(["kind", "actor", "payload"])
    .where("request_id", "=", id)
    .orderBy("id")
    .execute();

describe("a partial answer is retried by the workers", () => {
  it("with back-off while the store is down, and completes once when it is back, redoing nothing", async () => {
    await s.takeDown("tickets");
    const id = await s.submitVerified("erasure", "alice@example.org");
    const first = await s.waitFor(id, (r) => r.status === "partially_completed");
    expect(first.auto_retries).toBe(0);
    expect(first.retry_at!.getTime() - first.closed_at!.getTime()).toBe(10 * MINUTE);
    expect(s.rows("accounts")[0]).toMatchObject({ id: 1, email: null, name: null });
    // The operator sees when it runs again, in the console and the admin API.
    const app = await buildServer({ manifest: s.manifest, store: s.store, requests: s.service, logger: false });
    try {
      const { key } = await createApiKey(s.store.db, { name: "ops", role: "viewer" });
      const signIn = await app.inject({
        method: "POST",
        url: "/admin/sign-in",
        payload: new URLSearchParams({ key }).toString(),
        headers: { "content-type": "application/x-www-form-urlencoded" },
      });
      const cookie = String([signIn.headers["set-cookie"]].flat()[0]).split(";")[0]!;
      const page = await app.inject({ url: `/admin/requests/${id}`, headers: { cookie } });
      expect(page.body).toMatch(/<dt>Next automatic run<\/dt><dd>[^<]+ \(0 made so far\)<\/dd>/);
      const api = await app.inject({ url: `/api/admin/requests/${id}`, headers: { authorization: `Bearer ${key}` } });
      expect(api.json()).toMatchObject({ retry_at: first.retry_at!.toISOString(), auto_retries: 0 });
    } finally {
      await app.close();
    }

    // Not due yet: a sweep a minute before the retry leaves it alone. (The clock is the real time plus what the test
    // added, so it is set from the retry's time: on a busy machine seconds pass between these lines.)
    s.advance(first.retry_at!.getTime() - s.now().getTime() - MINUTE);
    expect(await s.service.sweepRequests()).toMatchObject({ retried: 0 });
    expect((await s.service.get(id)).status).toBe("partially_completed");

    // Due: the worker's own sweep retries it; the store is still down, so the next one waits twice as long.
    s.advance(MINUTE);
    const second = await s.waitFor(id, (r) => r.status === "partially_completed" && r.auto_retries === 1);
    expect(second.retry_at!.getTime() - second.closed_at!.getTime()).toBe(20 * MINUTE);

    await s.bringBack("tickets");
    s.advance(20 * MINUTE);
    const done = await s.waitFor(id, (r) => r.status === "completed");
    expect(done.retry_at).toBeNull();
    expect(done.auto_retries).toBe(2);

    const events = await trail(id);
    const kinds = events.map((e) => e.kind);
    expect(kinds.filter((k) => k === "request.completed")).toHaveLength(1);
    expect(kinds.filter((k) => k === "request.partially_completed")).toHaveLength(2);
    const retries = events.filter((e) => e.kind === "request.retried");
    expect(retries.map((e) => [e.actor, e.payload])).toEqual([
      ["system", { from: "partially_completed", to: "in_progress", runs: "engine", automatic: true, retry: 1, of: 2 }],
      ["system", { from: "partially_completed", to: "in_progress", runs: "engine", automatic: true, retry: 2, of: 2 }],
    ]);
    const partials = events.filter((e) => e.kind === "request.partially_completed");
    expect(partials.map((e) => [e.payload["masked"], e.payload["retry"]])).toEqual([
      [1, 1], // the first run masked the account; retry 1 planned
      [0, 2], // the account was not masked again; retry 2 planned
    ]);
    // The run that completed changed only the ticket: the account it found nothing more of.
    const completed = events.find((e) => e.kind === "request.completed")!;
    expect(completed.payload).toMatchObject({ masked: 1 });
    // The answer adds up every run's changes.
    const collections = done.outcome!["collections"] as Record<string, { masked: number }>;
    expect([collections["accounts.account"]!.masked, collections["tickets.ticket"]!.masked]).toEqual([1, 1]);

    expect(s.rows("tickets")).toEqual([
      { id: 1, email: null, body: null },
      { id: 2, email: "bob@example.org", body: "Bob cannot sign in" },
      { id: 3, email: "carol@example.org", body: "Carol cannot sign in" },
    ]);
    expect(s.rows("accounts").slice(1)).toEqual([
      { id: 2, email: "bob@example.org", name: "Bob" },
      { id: 3, email: "carol@example.org", name: "Carol" },
    ]);
    await s.smtp.waitFor("alice@example.org", /^(?![\s\S]*could not be reached)[\s\S]*deleted your personal data/);
    expect(await verifyAuditChain(s.store.db)).toMatchObject({ ok: true });
  });

  it("stops after the configured tries and waits for the operator's retry", async () => {
    await s.takeDown("tickets");
    const mailsBefore = s.smtp.mails.length;
    const id = await s.submitVerified("erasure", "carol@example.org");
    await s.waitFor(id, (r) => r.status === "partially_completed" && r.auto_retries === 0);
    s.advance(10 * MINUTE);
    await s.waitFor(id, (r) => r.status === "partially_completed" && r.auto_retries === 1);
    s.advance(20 * MINUTE);
    const last = await s.waitFor(id, (r) => r.status === "partially_completed" && r.auto_retries === 2);
    expect(last.retry_at).toBeNull();
    const events = await trail(id);
    expect(events.findLast((e) => e.kind === "request.partially_completed")).toMatchObject({
      payload: { retries_left: 0 },
    });

    // The operator is told once, when the tries are used up — by request id and what failed, nothing of Carol's.
    const alert = await s.smtp.waitFor("dpo@example.org", /needs an operator/, mailsBefore);
    expect(alert.subject).toContain(`Request ${id.slice(0, 8)} needs an operator: erasure`);
    expect(alert.text).toContain("after 2 automatic retries");
    expect(alert.text).toMatch(/tickets/);
    expect(alert.text).toContain(`https://privacy.example.org/admin/requests/${id}`);
    expect(alert.text).toContain(`steward requests retry ${id}`);
    expect(alert.text + alert.subject).not.toMatch(/carol|Carol/);
    const recorded = async () =>
      (await trail(id)).filter((e) => e.kind === "mail.sent" && e.payload["mail"] === "needs_operator").length;
    for (let i = 0; i < 100 && (await recorded()) === 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect(await recorded()).toBe(1);
    expect(s.smtp.mails.slice(mailsBefore).filter((m) => m.to.includes("dpo@example.org"))).toHaveLength(1);

    // A day later nothing has moved by itself.
    s.advance(24 * 60 * MINUTE);
    expect(await s.service.sweepRequests()).toMatchObject({ retried: 0 });
    expect((await s.service.get(id)).status).toBe("partially_completed");

    await s.bringBack("tickets");
    await s.service.act(id, "retry", "key:dpo");
    await s.waitFor(id, (r) => r.status === "completed");
    const after = await trail(id);
    expect(after.filter((e) => e.kind === "request.completed")).toHaveLength(1);
    expect(after.filter((e) => e.kind === "request.retried").map((e) => e.actor)).toEqual([
      "system",
      "system",
      "key:dpo",
    ]);
    expect(s.rows("tickets")[2]).toEqual({ id: 3, email: null, body: null });
  });
});

describe("an unverified request", () => {
  it("expires after the configured hours by the worker's sweep, and the person is told by mail", async () => {
    const since = s.smtp.mails.length;
    const stale = await s.service.submit({
      type: "access",
      identity: { email: "dave@example.org" },
      jurisdiction: "eea",
    });
    s.advance(71 * 60 * MINUTE);
    const fresh = await s.service.submit({
      type: "access",
      identity: { email: "erin@example.org" },
      jurisdiction: "eea",
    });
    expect(await s.service.sweepRequests()).toMatchObject({ expired: 0 });

    // 72 hours and a minute after the first: the worker's sweep expires it, not the one an hour younger.
    s.advance(61 * MINUTE);
    const mail = await s.smtp.waitFor("dave@example.org", /has expired/, since);
    expect(mail.text).toContain("nothing was done");
    const expired = await s.waitFor(stale.row.id, (r) => r.status === "expired");
    expect(expired.closed_at).not.toBeNull();
    expect((await s.service.get(fresh.row.id)).status).toBe("awaiting_verification");
    const codes = await s.store.db
      .selectFrom("verification_codes")
      .select("request_id")
      .where("request_id", "=", stale.row.id)
      .execute();
    expect(codes).toEqual([]);
    const events = await trail(stale.row.id);
    expect(events.filter((e) => e.kind === "request.expired")).toEqual([
      { kind: "request.expired", actor: "system", payload: { from: "awaiting_verification", to: "expired" } },
    ]);
    await expect(s.service.verify(stale.row.id, "123456")).rejects.toMatchObject({ code: expect.any(String) });
    expect(s.smtp.mails.filter((m) => m.to.includes("erin@example.org") && /has expired/.test(m.subject))).toEqual([]);
  });
});
