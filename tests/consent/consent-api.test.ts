import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyConsentChain } from "../../src/consent/verify-consent-chain.ts";
import { type ConsentHarness, startConsentHarness } from "./consent-fixture.ts";

let h: ConsentHarness;
beforeAll(async () => {
  h = await startConsentHarness();
}, 60_000);
afterAll(async () => {
  await h?.close();
});

const DEVICE = "dev_3f9c0a7e5b2d4c1f";

async function post(url: string, payload: unknown, headers: Record<string, string> = {}) {
  return h.app.inject({ method: "POST", url, payload: payload as Record<string, unknown>, headers });
}

async function decision(subject: string, purpose: string, headers: Record<string, string> = {}, jurisdiction = "") {
  const q = new URLSearchParams({ subject, purpose, ...(jurisdiction ? { jurisdiction } : {}) });
  return h.app.inject({ url: `/api/consent/decision?${q}`, headers });
}

describe("choices from the browser and the host application", () => {
  it("records a device's consent and its withdrawal, and the decision follows at once", async () => {
    const subject = `device:${DEVICE}`;
    expect((await decision(subject, "marketing_email", {}, "eea")).json()).toMatchObject({
      allowed: false,
      code: "default_opt_in",
    });
    const given = await post("/api/consent/events", {
      subject,
      purpose: "marketing_email",
      status: "granted",
      method: "banner",
      jurisdiction: "eea",
    });
    expect(given.statusCode).toBe(201);
    expect(given.json()).toMatchObject({
      decision: { allowed: true, code: "consent_given", notice_version: "2025-01-01" },
    });
    expect(given.json().id).toMatch(/^[0-9a-f-]{36}$/);
    // The jurisdiction of the latest event is the person's from then on.
    expect((await decision(subject, "marketing_email")).json()).toMatchObject({ allowed: true, jurisdiction: "eea" });
    await post("/api/consent/events", {
      subject,
      purpose: "marketing_email",
      status: "withdrawn",
      method: "preferences",
    });
    expect((await decision(subject, "marketing_email")).json()).toMatchObject({ allowed: false, code: "withdrawn" });
  });

  it("refuses a person's subject without the host's token for that person", async () => {
    const anonymous = await post("/api/consent/events", {
      subject: "email:ada@example.com",
      purpose: "marketing_email",
      status: "granted",
      method: "api",
    });
    expect(anonymous.statusCode).toBe(403);
    expect(anonymous.json()).toMatchObject({ code: "STW_CONSENT_NOT_YOURS" });
    const bob = await h.hostToken({ email: "bob@example.com" });
    const other = await decision("email:ada@example.com", "marketing_email", { authorization: `Bearer ${bob}` });
    expect(other.statusCode).toBe(403);
    const ada = await h.hostToken({ email: "ada@example.com", sub: "4242" });
    const own = await post(
      "/api/consent/events",
      {
        subject: "email:Ada@Example.com",
        purpose: "marketing_email",
        status: "granted",
        method: "api",
        jurisdiction: "uk",
      },
      { authorization: `Bearer ${ada}` },
    );
    expect(own.statusCode).toBe(201);
    expect(own.json().decision).toMatchObject({ allowed: true, code: "consent_given", jurisdiction: "uk" });
  });

  it("answers a choice the purpose does not offer, or an unknown purpose, with a coded error", async () => {
    const subject = `device:${DEVICE}`;
    const none = await post("/api/consent/events", {
      subject,
      purpose: "payments",
      status: "withdrawn",
      method: "api",
    });
    expect(none.statusCode).toBe(422);
    expect(none.json().code).toBe("STW_CONSENT_NO_CHOICE");
    expect(none.json().message).toContain('purpose "payments" offers no "withdrawn"');
    const typo = await decision(subject, "marketing_emial");
    expect(typo.statusCode).toBe(400);
    expect(typo.json().message).toContain('did you mean "marketing_email"');
    const bad = await decision("device:short", "marketing_email");
    expect(bad.json().code).toBe("STW_CONSENT_BAD_SUBJECT");
  });

  it("joins a device's history to the person who signs in on it", async () => {
    const device = "dev_linked_000000000001";
    await post("/api/consent/events", {
      subject: `device:${device}`,
      purpose: "session_replay",
      status: "withdrawn",
      method: "banner",
      jurisdiction: "us_ca",
    });
    const token = await h.hostToken({ email: "cleo@example.com" });
    const auth = { authorization: `Bearer ${token}` };
    expect((await decision("email:cleo@example.com", "session_replay", auth, "us_ca")).json()).toMatchObject({
      allowed: true,
    });
    const link = await post(
      "/api/consent/links",
      { device: `device:${device}`, subject: "email:cleo@example.com" },
      auth,
    );
    expect(link.statusCode).toBe(201);
    expect((await decision("email:cleo@example.com", "session_replay", auth, "us_ca")).json()).toMatchObject({
      allowed: false,
      code: "withdrawn",
    });
    const unlinked = await post("/api/consent/links", {
      device: `device:${device}`,
      subject: "email:cleo@example.com",
    });
    expect(unlinked.statusCode).toBe(403);
  });
});

describe("the fast path for cached browser decisions", () => {
  it("answers what the route answers, byte for byte, and leaves everything else to the route", async () => {
    const { fastDecision } = await import("../../src/api/fast-decision.ts");
    const { createServer } = await import("node:http");
    const consent = h.service.ctx.consent;
    const subject = "device:dev_fast_00000000000001";
    await consent.decide(subject, "session_replay", "us_ca");
    const served: string[] = [];
    const server = createServer((req, res) => {
      if (fastDecision(consent, req, res)) served.push("fast");
      else {
        served.push("route");
        res.writeHead(599).end();
      }
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.address() as { port: number }).port;
    const path = `/api/consent/decision?subject=${encodeURIComponent(subject)}&purpose=session_replay&jurisdiction=us_ca`;
    const fast = await fetch(`http://127.0.0.1:${port}${path}`);
    const route = await h.app.inject({ url: path });
    expect(served).toEqual(["fast"]);
    expect(fast.headers.get("content-type")).toBe(route.headers["content-type"]);
    expect(await fast.text()).toBe(route.body);
    // A credential, a signal, an unknown parameter, a person's subject, an unknown purpose: not answered here.
    const others: [string, Record<string, string>][] = [
      [path, { authorization: "Bearer x" }],
      [path, { "sec-gpc": "1" }],
      [`${path}&extra=1`, {}],
      [path.replace("purpose=session_replay", "purpose=no_such_purpose"), {}],
      [`/api/consent/decision?subject=email%3Aada%40example.com&purpose=session_replay`, {}],
    ];
    for (const [url, headers] of others) await fetch(`http://127.0.0.1:${port}${url}`, { headers });
    expect(served).toEqual(["fast", "route", "route", "route", "route", "route"]);
    await new Promise((r) => server.close(r));
  });
});

describe("Global Privacy Control", () => {
  it("serves /.well-known/gpc.json", async () => {
    const res = await h.app.inject({ url: "/.well-known/gpc.json" });
    expect(res.json()).toEqual({ gpc: true, lastUpdate: "2025-01-01" });
  });

  it("records the opt-out of sale and sharing once, names it, and lets a later opt-in stand", async () => {
    const subject = "device:dev_gpc_000000000000001";
    const gpc = { "sec-gpc": "1" };
    const first = await h.app.inject({
      method: "POST",
      url: "/api/consent/decisions",
      payload: { subject, jurisdiction: "us_ca", purposes: ["targeted_advertising", "marketing_email"] },
      headers: gpc,
    });
    expect(first.json().gpc_recorded).toBe(1);
    expect(first.json().decisions).toMatchObject([
      { purpose: "targeted_advertising", allowed: false, code: "gpc" },
      { purpose: "marketing_email", allowed: true, code: "default_opt_out" },
    ]);
    const again = await h.app.inject({
      method: "POST",
      url: "/api/consent/decisions",
      payload: { subject, purposes: ["targeted_advertising"] },
      headers: gpc,
    });
    expect(again.json().gpc_recorded).toBe(0);
    // The person, told of the conflict, opts back in while the browser still sends the signal: that choice stands.
    const optIn = await post(
      "/api/consent/events",
      { subject, purpose: "targeted_advertising", status: "granted", method: "preferences" },
      gpc,
    );
    expect(optIn.json()).toMatchObject({ gpc_recorded: 0, decision: { allowed: true, code: "consent_given" } });
    expect((await decision(subject, "targeted_advertising", gpc)).json()).toMatchObject({ allowed: true });
  });
});

describe("the GPP string", () => {
  it("encodes the usnat and California sections, and decodes back to the person's opt-outs", async () => {
    const subject = "device:dev_gpp_000000000000001";
    const before = (await h.app.inject({ url: `/api/consent/gpp?subject=${subject}&jurisdiction=us_ca` })).json();
    expect(before.gpp).toMatch(/^DBA/);
    expect(before.applicable_sections).toEqual([7, 8]);
    expect(before.sections.usnat).toMatchObject({ SaleOptOut: 2, TargetedAdvertisingOptOut: 2, Gpc: false });
    expect(before.sections.usca).toMatchObject({ SaleOptOut: 2, SharingOptOut: 2, SaleOptOutNotice: 1 });

    const after = await h.app.inject({
      url: `/api/consent/gpp?subject=${subject}&jurisdiction=us_ca`,
      headers: { "sec-gpc": "1" },
    });
    const body = after.json();
    expect(body.gpp).not.toBe(before.gpp);
    // Decoded independently of the server's own object: the library reads the string the server sent.
    const { GppModel } = await import("@iabgpp/cmpapi");
    const decoded = new GppModel(body.gpp).toObject() as Record<string, Record<string, unknown>>;
    expect(decoded["usnat"]).toMatchObject({
      SaleOptOut: 1,
      SharingOptOut: 1,
      TargetedAdvertisingOptOut: 1,
      Gpc: true,
    });
    expect(decoded["usca"]).toMatchObject({ SaleOptOut: 1, SharingOptOut: 1, MspaCoveredTransaction: 2, Gpc: true });
    // Virginia's section has no sharing field; it is left out, not guessed.
    const va = (await h.app.inject({ url: `/api/consent/gpp?subject=${subject}&jurisdiction=us_va` })).json();
    expect(va.applicable_sections).toEqual([7, 9]);
    expect(va.sections.usva).toMatchObject({ SaleOptOut: 1, TargetedAdvertisingOptOut: 1 });
    expect(va.sections.usva.SharingOptOut).toBeUndefined();
  });
});

describe("requests that change processing", () => {
  it("a withdrawal of consent needs no code, completes at once, and the decisions change", async () => {
    const res = await post("/api/requests", {
      type: "withdraw_consent",
      identity: { email: "dora@example.com" },
      jurisdiction: "eea",
    });
    expect(res.statusCode).toBe(202);
    expect(res.json()).toMatchObject({ status: "completed" });
    const admin = await h.key("viewer");
    const state = await h.app.inject({
      url: "/api/admin/consent/state?subject=email:dora@example.com",
      headers: { authorization: `Bearer ${admin}` },
    });
    const decisions = state.json().decisions as { purpose: string; allowed: boolean; code: string }[];
    expect(decisions.find((d) => d.purpose === "session_replay")).toMatchObject({ allowed: false, code: "withdrawn" });
    expect(decisions.find((d) => d.purpose === "provide_platform")).toMatchObject({ allowed: true });
    const shown = await h.service.show(res.json().id);
    expect(JSON.stringify(shown)).toContain("session_replay");
  });

  it("an opt-out of sale and sharing in California stops targeted advertising", async () => {
    const res = await post("/api/requests", {
      type: "opt_out_sale_sharing",
      identity: { email: "eve@example.com" },
      jurisdiction: "us_ca",
    });
    expect(res.json()).toMatchObject({ status: "completed" });
    const token = await h.hostToken({ email: "eve@example.com" });
    const d = await decision("email:eve@example.com", "targeted_advertising", { authorization: `Bearer ${token}` });
    expect(d.json()).toMatchObject({ allowed: false, code: "withdrawn" });
    const m = await h.smtp.waitFor("eve@example.com", /is done/);
    expect(m.subject).toContain("is done");
  });

  it("a restriction, verified by the signed-in account, stops all but what the law needs", async () => {
    const token = await h.hostToken({ email: "finn@example.com" });
    const res = await post("/api/requests", {
      type: "restriction",
      identity: { email: "finn@example.com" },
      jurisdiction: "eea",
      account_token: token,
    });
    expect(res.json()).toMatchObject({ status: "completed" });
    const auth = { authorization: `Bearer ${token}` };
    expect((await decision("email:finn@example.com", "analytics_and_improvement", auth)).json()).toMatchObject({
      allowed: false,
      code: "restriction",
    });
    expect((await decision("email:finn@example.com", "government_requests", auth)).json()).toMatchObject({
      allowed: true,
    });
    // An operator lifts it (Art. 18(3): the person is told first).
    const approver = await h.key("approver");
    const lift = await post(
      "/api/admin/consent/events",
      { subject: "email:finn@example.com", purpose: "*", status: "unrestricted" },
      { authorization: `Bearer ${approver}` },
    );
    expect(lift.statusCode).toBe(201);
    expect((await decision("email:finn@example.com", "analytics_and_improvement", auth)).json()).toMatchObject({
      allowed: true,
    });
  });

  it("a user reported under age is denied every purpose but what the law requires", async () => {
    const admin = await h.key("admin");
    const res = await post(
      "/api/admin/events",
      { type: "subject.under_age", identity: { email: "gus@example.com" } },
      { authorization: `Bearer ${admin}` },
    );
    expect(res.statusCode).toBeLessThan(300);
    const token = await h.hostToken({ email: "gus@example.com" });
    const auth = { authorization: `Bearer ${token}` };
    expect((await decision("email:gus@example.com", "provide_platform", auth)).json()).toMatchObject({
      allowed: false,
      code: "under_age",
    });
    expect((await decision("email:gus@example.com", "under_13_deletion", auth)).json()).toMatchObject({
      allowed: true,
    });
  });
});

describe("the operators' view and the chain", () => {
  it("lists events newest first with filters, and counts them; a viewer cannot record", async () => {
    const viewer = await h.key("viewer");
    const auth = { authorization: `Bearer ${viewer}` };
    const list = await h.app.inject({ url: "/api/admin/consent/events?method=gpc", headers: auth });
    const events = list.json().events as { method: string; seq: string; subject_type: string }[];
    expect(events.length).toBeGreaterThan(0);
    expect(events.every((e) => e.method === "gpc")).toBe(true);
    const all = (await h.app.inject({ url: "/api/admin/consent/events", headers: auth })).json().events as {
      seq: string;
    }[];
    expect(all.map((e) => Number(e.seq))).toEqual([...all.map((e) => Number(e.seq))].sort((a, b) => b - a));
    const counts = (await h.app.inject({ url: "/api/admin/consent/counts", headers: auth })).json();
    expect(counts.by_method["gpc"]).toBe(events.length);
    expect(counts.by_method["request"]).toBeGreaterThan(0);
    const denied = await post(
      "/api/admin/consent/events",
      { subject: "email:x@example.com", purpose: "*", status: "restricted" },
      auth,
    );
    expect(denied.statusCode).toBe(403);
  });

  it("keeps one hash chain that detects a changed entry, and logs no identity", async () => {
    const verdict = await verifyConsentChain(h.store.db);
    expect(verdict).toMatchObject({ ok: true });
    expect(verdict.events).toBeGreaterThan(10);
    await expect(sql`update consent_events set status = 'granted' where seq = 2`.execute(h.store.db)).rejects.toThrow(
      /append-only/,
    );
    await sql`alter table consent_events disable trigger consent_events_immutable`.execute(h.store.db);
    await sql`update consent_events set purpose = 'surveys' where seq = 2`.execute(h.store.db);
    await sql`alter table consent_events enable trigger consent_events_immutable`.execute(h.store.db);
    const broken = await verifyConsentChain(h.store.db);
    expect(broken).toMatchObject({ ok: false, brokenAt: { id: 2 } });
    const logs = h.logs.join("");
    expect(logs.length).toBeGreaterThan(0);
    for (const who of ["ada@example.com", "dora@example.com", "finn@example.com", DEVICE])
      expect(logs).not.toContain(who);
  });
});
