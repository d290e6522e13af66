/**
 * The per-address limit of the consent API's reads: one budget per client address for GET /api/consent/decision
 * (also when the fast path answers it, before Fastify), POST /api/consent/decisions and GET /api/consent/gpp; a
 * caller with a valid host token is not counted; a made-up token is.
 */
import type { AddressInfo } from "node:net";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildServer } from "../../src/api/build-server.ts";
import { CONSENT_READS_PER_MINUTE, ReadLimit } from "../../src/api/read-limit.ts";
import { type ConsentHarness, startConsentHarness } from "./consent-fixture.ts";

let h: ConsentHarness;
let app: FastifyInstance;
let base: string;
/** The server's budget: CONSENT_READS_PER_MINUTE × the scale below. */
const MAX = 6;

beforeAll(async () => {
  h = await startConsentHarness();
  // A second server on the same service, with the limits as they would be at 6 reads a minute.
  app = await buildServer({
    manifest: h.manifest,
    store: h.store,
    requests: h.service,
    logger: false,
    rateLimitScale: MAX / CONSENT_READS_PER_MINUTE,
  });
  await app.listen({ port: 0, host: "127.0.0.1" });
  base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
}, 60_000);

afterAll(async () => {
  await app?.close();
  await h?.close();
});

const decisionPath = (device: string) =>
  `/api/consent/decision?subject=${encodeURIComponent(`device:${device}`)}&purpose=session_replay&jurisdiction=us_ca`;

describe("the read limit of the consent API", () => {
  it("answers 429 with a coded body once an address has used its budget, on every read route and the fast path", async () => {
    const device = "dev_limit_000000000001";
    // Cached: from now on the fast path answers this decision before Fastify.
    await h.service.ctx.consent.decide(`device:${device}`, "session_replay", "us_ca");
    const codes: number[] = [];
    for (let i = 0; i < MAX; i++) codes.push((await fetch(`${base}${decisionPath(device)}`)).status);
    expect(codes).toEqual(Array(MAX).fill(200));
    const over = await fetch(`${base}${decisionPath(device)}`);
    expect(over.status).toBe(429);
    expect(Number(over.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await over.json()).toEqual({
      code: "STW_API_RATE_LIMITED",
      message: expect.stringMatching(/^too many requests from this client; try again in \d+ s/),
    });
    // One budget for the three reads: the others are refused too from this address.
    const many = await fetch(`${base}/api/consent/decisions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ subject: `device:${device}`, jurisdiction: "us_ca" }),
    });
    expect(many.status).toBe(429);
    expect(await many.json()).toMatchObject({ code: "STW_API_RATE_LIMITED" });
    const gpp = await fetch(`${base}/api/consent/gpp?subject=${encodeURIComponent(`device:${device}`)}`);
    expect(gpp.status).toBe(429);
    expect(await gpp.json()).toMatchObject({ code: "STW_API_RATE_LIMITED" });
    // Writes have their own limit: a choice is still recorded from this address.
    const choice = await fetch(`${base}/api/consent/events`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        subject: `device:${device}`,
        purpose: "session_replay",
        status: "withdrawn",
        method: "banner",
        jurisdiction: "us_ca",
      }),
    });
    expect(choice.status).toBe(201);
  });

  it("counts each address on its own, does not count a host's token, and counts a made-up one", async () => {
    const device = "dev_limit_000000000002";
    const from = (remoteAddress: string, headers: Record<string, string> = {}) =>
      app.inject({ url: decisionPath(device), remoteAddress, headers });
    for (let i = 0; i < MAX; i++) expect((await from("203.0.113.7")).statusCode).toBe(200);
    expect((await from("203.0.113.7")).statusCode).toBe(429);
    expect((await from("203.0.113.8")).statusCode).toBe(200);
    // A host's backend asks for all its users from one address, with each user's token.
    const token = await h.hostToken({ email: "lena@example.com" });
    const person = `/api/consent/decision?subject=${encodeURIComponent("email:lena@example.com")}&purpose=marketing_email`;
    for (let i = 0; i < MAX + 3; i++) {
      const res = await app.inject({
        url: person,
        remoteAddress: "203.0.113.9",
        headers: { authorization: `Bearer ${token}` },
      });
      expect(res.statusCode).toBe(200);
    }
    // A token that does not verify is answered 401 while the budget lasts, then 429.
    const made = { authorization: "Bearer not-a-token" };
    const answers: number[] = [];
    for (let i = 0; i < MAX + 1; i++) answers.push((await from("203.0.113.10", made)).statusCode);
    expect(answers).toEqual([...Array(MAX).fill(401), 429]);
  });

  it("opens a new budget with the next minute", () => {
    let now = 60_000 * 1000 + 59_500;
    const limit = new ReadLimit(2, () => now);
    expect([limit.take("a"), limit.take("a")]).toEqual([0, 0]);
    expect(limit.take("a")).toBe(1);
    expect(limit.take("b")).toBe(0);
    now += 600;
    expect(limit.take("a")).toBe(0);
    expect(() => new ReadLimit(0)).toThrow(RangeError);
  });
});
