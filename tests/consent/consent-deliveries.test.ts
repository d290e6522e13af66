import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listDeliveries } from "../../src/consent/consent-views.ts";
import {
  type FakeMailchimp,
  type FakeMeta,
  MAILCHIMP,
  META,
  startFakeMailchimp,
  startFakeMeta,
  startWebhookReceiver,
  type WebhookReceiver,
} from "../../src/demo/fakes/fake-consent-vendors.ts";
import { type ConsentHarness, startConsentHarness } from "./consent-fixture.ts";

const KEYS = { mailchimp: "mc-key-us21", meta: "EAAB-meta-token", webhook: "whsec_fullstory_test" };

let h: ConsentHarness;
let mailchimp: FakeMailchimp;
let meta: FakeMeta;
let hook: WebhookReceiver;

beforeAll(async () => {
  mailchimp = await startFakeMailchimp(KEYS.mailchimp);
  meta = await startFakeMeta(KEYS.meta);
  hook = await startWebhookReceiver(KEYS.webhook);
  h = await startConsentHarness(
    { inMemory: true },
    {
      env: {
        MAILCHIMP_API_URL: mailchimp.url,
        MAILCHIMP_API_KEY: KEYS.mailchimp,
        MAILCHIMP_LIST_ID: MAILCHIMP.list_id,
        META_GRAPH_URL: `${meta.url}/v21.0`,
        META_ACCESS_TOKEN: KEYS.meta,
        META_AUDIENCE_ID: META.audience_id,
        FULLSTORY_CONSENT_WEBHOOK_URL: `${hook.url}/steward/consent`,
        FULLSTORY_CONSENT_WEBHOOK_SECRET: KEYS.webhook,
      },
      baseDelayMs: 50,
      pollMs: 100,
    },
  );
}, 60_000);

afterAll(async () => {
  await h?.close();
  await mailchimp?.close();
  await meta?.close();
  await hook?.close();
});

const md5 = (s: string) => createHash("md5").update(s).digest("hex");
const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

async function until<T>(read: () => Promise<T> | T, ok: (v: T) => boolean, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (ok(v) || Date.now() > end) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
}

const record = (subject: string, purpose: string, status: "granted" | "withdrawn", jurisdiction = "us_ca") =>
  h.service.ctx.consent.record({ subject, purpose, status, method: "preferences", jurisdiction, actor: "host" });

const settled = (recordId: string) =>
  until(
    () => listDeliveries(h.store.db, { record_id: recordId }),
    (list) => list.length > 0 && list.every((d) => d.state !== "pending"),
  );

describe("consent changes reach the downstream systems the manifest names", () => {
  it("unsubscribes the member on Mailchimp when marketing e-mail is refused, and re-subscribes on a yes", async () => {
    expect(mailchimp.members.get(md5("ivy@example.com"))?.["status"]).toBe("subscribed");
    const [out] = await record("email:ivy@example.com", "marketing_email", "withdrawn");
    const deliveries = await settled(out!.record_id);
    expect(deliveries).toMatchObject([
      { system: "email_delivery", kind: "mailchimp", state: "delivered", attempts: 1 },
    ]);
    expect(mailchimp.members.get(md5("ivy@example.com"))?.["status"]).toBe("unsubscribed");
    const put = mailchimp.requests.find((r) => r.method === "PUT");
    expect(put?.path).toBe(`/3.0/lists/${MAILCHIMP.list_id}/members/${md5("ivy@example.com")}`);

    const [back] = await record("email:ivy@example.com", "marketing_email", "granted");
    await settled(back!.record_id);
    expect(mailchimp.members.get(md5("ivy@example.com"))?.["status"]).toBe("subscribed");
  });

  it("removes the hashed address from Meta's custom audience on an opt-out of targeted advertising", async () => {
    expect(meta.members.has(sha256("ivy@example.com"))).toBe(true);
    const [out] = await record("email:ivy@example.com", "targeted_advertising", "withdrawn");
    expect(await settled(out!.record_id)).toMatchObject([{ system: "meta_ads", state: "delivered" }]);
    expect(meta.members.has(sha256("ivy@example.com"))).toBe(false);
    expect(meta.requests.at(-1)).toMatchObject({ method: "DELETE", path: `/v21.0/${META.audience_id}/users` });
  });

  it("sends the session-replay vendor a signed webhook the receiver verifies", async () => {
    const [out] = await record("email:jon@example.com", "session_replay", "withdrawn");
    const [delivery] = await settled(out!.record_id);
    expect(delivery).toMatchObject({ system: "fullstory", kind: "webhook", state: "delivered" });
    expect(hook.received.get(delivery!.id)).toMatchObject({
      type: "consent.changed",
      record_id: out!.record_id,
      purpose: "session_replay",
      status: "withdrawn",
      subject: { type: "email", value: "jon@example.com" },
    });
  });

  it("retries a vendor's 503 with backoff and logs every attempt", async () => {
    mailchimp.failNext(2, 503);
    const [out] = await record("email:kim@example.com", "marketing_email", "withdrawn");
    const [d] = await settled(out!.record_id);
    expect(d).toMatchObject({ state: "delivered", attempts: 3 });
    expect(d!.log.map((l) => l.outcome)).toEqual([
      "retry: http 503 (Internal Server Error)",
      "retry: http 503 (Internal Server Error)",
      "delivered: http 200",
    ]);
  });

  it("tells every system of a restriction, and skips what a vendor cannot take", async () => {
    const admin = await h.key("admin");
    const res = await h.app.inject({
      method: "POST",
      url: "/api/admin/consent/events",
      payload: { subject: "email:ivy@example.com", purpose: "*", status: "restricted", jurisdiction: "eea" },
      headers: { authorization: `Bearer ${admin}` },
    });
    const deliveries = await settled(res.json().id);
    expect(deliveries.map((d) => [d.system, d.state]).sort()).toEqual([
      ["email_delivery", "delivered"],
      ["fullstory", "delivered"],
      ["meta_ads", "delivered"],
    ]);
    const [device] = await record("device:dev_no_email_0000000001", "session_replay", "withdrawn");
    expect(await settled(device!.record_id)).toMatchObject([{ system: "fullstory", state: "delivered" }]);
    const [dm] = await record("device:dev_no_email_0000000001", "marketing_email", "withdrawn");
    expect(await settled(dm!.record_id)).toMatchObject([
      {
        system: "email_delivery",
        state: "skipped",
        log: [{ outcome: "skipped: the subject is a device, which has no e-mail address" }],
      },
    ]);
  });

  it("tells the e-mail vendors of a user_id subject's change under the e-mail the host's token names with it", async () => {
    const events = async (token: string, subject: string, purpose: string) => {
      const res = await h.app.inject({
        method: "POST",
        url: "/api/consent/events",
        payload: { subject, purpose, status: "withdrawn", method: "api", jurisdiction: "us_ca" },
        headers: { authorization: `Bearer ${token}` },
      });
      expect(res.statusCode).toBe(201);
      return res.json().id as string;
    };
    const both = await h.hostToken({ email: "Uma@Example.com", sub: "7001" });
    const mail = await settled(await events(both, "user_id:7001", "marketing_email"));
    expect(mail).toMatchObject([{ system: "email_delivery", kind: "mailchimp", state: "delivered" }]);
    expect(mailchimp.members.get(md5("uma@example.com"))).toMatchObject({
      email_address: "uma@example.com",
      status: "unsubscribed",
    });
    const ads = await settled(await events(both, "user_id:7001", "targeted_advertising"));
    expect(ads).toMatchObject([{ system: "meta_ads", state: "delivered" }]);
    expect(meta.requests.at(-1)?.body).toContain(sha256("uma@example.com"));
    // The ledger keeps the user_id subject it was given, and nothing under the address.
    expect(await h.service.ctx.consent.history("email:uma@example.com")).toEqual([]);
    expect((await h.service.ctx.consent.history("user_id:7001")).map((e) => e.subject_type)).toEqual([
      "user_id",
      "user_id",
    ]);

    // A token that names the user only: the e-mail vendors cannot be told, and the log says why.
    const only = await h.hostToken({ sub: "7002" });
    const skipped = await settled(await events(only, "user_id:7002", "marketing_email"));
    expect(skipped).toMatchObject([
      {
        system: "email_delivery",
        state: "skipped",
        log: [
          {
            outcome:
              "skipped: no e-mail address is known for this user_id subject (the host's token named none with it)",
          },
        ],
      },
    ]);
  });

  it("keeps the order of one person's changes to one system, even when the first has to be retried", async () => {
    mailchimp.failNext(2, 503);
    const subject = "email:noa@example.com";
    const [yes] = await record(subject, "marketing_email", "granted");
    const [no] = await record(subject, "marketing_email", "withdrawn");
    await settled(yes!.record_id);
    await settled(no!.record_id);
    const puts = mailchimp.requests
      .filter((r) => r.method === "PUT" && r.path.endsWith(md5("noa@example.com")))
      .map((r) => (JSON.parse(r.body) as { status: string }).status);
    // The two failures were the consent's; the withdrawal went out only after it, and is what the vendor holds.
    expect(puts.at(-1)).toBe("unsubscribed");
    expect(puts.indexOf("unsubscribed")).toBeGreaterThan(puts.lastIndexOf("subscribed"));
    expect(mailchimp.members.get(md5("noa@example.com"))?.["status"]).toBe("unsubscribed");
    // Final rows keep no sealed address.
    const sealed = await h.store.db
      .selectFrom("consent_deliveries")
      .select("subject_enc")
      .where("record_id", "in", [yes!.record_id, no!.record_id])
      .execute();
    expect(sealed.map((r) => r.subject_enc)).toEqual(["", ""]);
  });

  it("gives up at once on an answer that will not change, and shows the log to operators", async () => {
    mailchimp.failNext(1, 400);
    const [out] = await record("email:lee@example.com", "marketing_email", "granted");
    const [d] = await settled(out!.record_id);
    expect(d).toMatchObject({
      state: "failed",
      attempts: 1,
      log: [{ outcome: "failed: http 400 (Invalid Resource)" }],
    });
    const viewer = await h.key("viewer");
    const res = await h.app.inject({
      url: "/api/admin/consent/deliveries?state=failed",
      headers: { authorization: `Bearer ${viewer}` },
    });
    expect(res.json().deliveries).toMatchObject([{ record_id: out!.record_id, system: "email_delivery" }]);
    expect(JSON.stringify(res.json())).not.toContain("lee@example.com");
  });

  it("keeps a withdrawal waiting, not failed, when the vendor refuses the credentials", async () => {
    mailchimp.failNext(1, 401);
    const [out] = await record("email:ola@example.com", "marketing_email", "withdrawn");
    const d = await until(
      () => listDeliveries(h.store.db, { record_id: out!.record_id }),
      (list) => (list[0]?.log.length ?? 0) > 0,
    );
    expect(d).toMatchObject([
      {
        state: "pending",
        attempts: 0,
        log: [{ outcome: "waiting: http 401 (API Key Invalid): the credentials were refused" }],
      },
    ]);
  });
});

describe("a downstream system that is not configured here", () => {
  it("keeps its deliveries waiting, counts no attempt, and logs the reason once", async () => {
    const bare = await startConsentHarness({ inMemory: true }, { env: {}, pollMs: 50, waitMs: 100 });
    try {
      const [row] = await bare.service.ctx.consent.record({
        subject: "email:mia@example.com",
        purpose: "marketing_email",
        status: "withdrawn",
        method: "preferences",
        jurisdiction: "eea",
        actor: "host",
      });
      // Several looks at it (every 100 ms) happen in this time.
      await new Promise((r) => setTimeout(r, 700));
      const [d] = await listDeliveries(bare.store.db, { record_id: row!.record_id });
      expect(d).toMatchObject({ state: "pending", attempts: 0 });
      expect(d!.log).toEqual([
        {
          at: expect.any(String),
          outcome: "waiting: not configured: set ${MAILCHIMP_API_URL}, ${MAILCHIMP_API_KEY}, ${MAILCHIMP_LIST_ID}",
        },
      ]);
    } finally {
      await bare.close();
    }
  });
});

describe("the webhook signature a receiver checks", () => {
  it("holds for the exact body and a fresh time, and not for a changed body, another key or an old time", async () => {
    const { signWebhook, verifyWebhook } = await import("../../src/consent/deliver-consent.ts");
    const body = JSON.stringify({ id: "d1", purpose: "session_replay", status: "withdrawn" });
    const now = Date.parse("2026-12-02T12:00:00Z");
    const header = signWebhook("whsec_a", body, now);
    expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(verifyWebhook("whsec_a", body, header, now + 1_000)).toBe(true);
    expect(verifyWebhook("whsec_a", body.replace("withdrawn", "granted"), header, now)).toBe(false);
    expect(verifyWebhook("whsec_b", body, header, now)).toBe(false);
    expect(verifyWebhook("whsec_a", body, header, now + 301_000)).toBe(false);
    expect(verifyWebhook("whsec_a", body, undefined, now)).toBe(false);
  });
});
