/**
 * A material notice change reaches exactly the people it concerns, once: the reference deployment is published, then a
 * version that adds a purpose on consent, sends an advertising recipient's data to a country outside the EEA no recipient went to, keeps
 * financial-aid applications longer and shortens the clickstream's period. The diff classes each change; the people
 * concerned are computed here from the reference database by hand (the open accounts with a financial-aid
 * application, and those who consent to targeted advertising now); the mails arrive in a real SMTP server, once per
 * person, also when the run is interrupted and resumed; the SDK's config carries the banner; a worker does it all
 * by itself for a second store.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordCurrentNotice } from "../../src/api/record-current-notice.ts";
import { createApiKey } from "../../src/auth/api-keys.ts";
import { loadManifestDir } from "../../src/fs/load-manifest-dir.ts";
import { createMailer } from "../../src/mail/mailer.ts";
import type { Manifest } from "../../src/manifest/types.ts";
import type { NoticeDiff } from "../../src/notice/diff-notice.ts";
import { notifyNoticeChange } from "../../src/notify/notify-notice-change.ts";
import { executeRequest } from "../../src/requests/execute-request.ts";
import {
  type Databases,
  EXAMPLE,
  type Harness,
  referenceDatabases,
  startHarness,
} from "../requests/service-fixture.ts";
import { startSmtpSink } from "../requests/smtp-sink.ts";

let d: Databases;
let h: Harness;
let dir: string;
let after: Manifest;
let version: string;
let effective: string;
/** The addresses the change concerns, from the reference database. */
let expected: string[];
let consenting: { id: number; email: string }[];
/** Those of them with a financial-aid application (a store without the consents reaches only these). */
let aidHolders: string[];

const edit = async (file: string, from: string, to: string) => {
  const text = await readFile(join(dir, file), "utf8");
  if (!text.includes(from)) throw new Error(`${file} has no "${from}"`);
  await writeFile(join(dir, file), text.replace(from, to));
};

const recipientsOf = (mails: readonly { to: readonly string[] }[]) => mails.flatMap((m) => m.to).sort();

beforeAll(async () => {
  d = await referenceDatabases("notify", 40);
  dir = await mkdtemp(join(tmpdir(), "steward-notify-"));
  await cp(EXAMPLE, dir, { recursive: true });
  effective = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
  version = `${effective}-test`;
  await edit(
    "notice.yml",
    '  version: "2025-01-01"\n  effective_date: 2025-01-01',
    `  version: "${version}"\n  effective_date: ${effective}`,
  );
  await edit(
    "purposes.yml",
    "  - key: research_with_content_providers\n",
    [
      "  - key: tutor_matching",
      "    name: Tutor matching",
      "    description: Suggest a volunteer tutor from a partner, from the answers to our optional surveys.",
      "    data_use: functional.service.improve",
      "    legal_basis: consent",
      "    consent: { default: opt_in }",
      "    data_subjects: [learner]",
      "    data_categories: [user.demographic.gender]",
      "    recipients: [content_providers]",
      "",
      "  - key: research_with_content_providers\n",
    ].join("\n"),
  );
  await edit("systems.yml", "    countries: [US, IE]\n", "    countries: [US, IE, BR]\n");
  await edit("retention.yml", "    period: P3Y\n    from: submitted_at", "    period: P5Y\n    from: submitted_at");
  await edit(
    "retention.yml",
    "    collections: [learning_analytics.clickstream_events]\n    period: P13M",
    "    collections: [learning_analytics.clickstream_events]\n    period: P12M",
  );
  after = await loadManifestDir(dir);

  // Close one account that has a financial-aid application: it is not written to.
  const db = new pg.Client({ connectionString: d.engine.connections["learning_app"] });
  await db.connect();
  try {
    // A few more learners apply for financial aid (the seed has few at this size), one of whom then closes the account.
    const open = await db.query<{ id: string; email: string }>(
      `select id, email from users where closed_at is null
       and id not in (select user_id from financial_aid_applications) order by id limit 8`,
    );
    expect(open.rows).toHaveLength(8);
    const course = await db.query<{ id: string }>("select id from courses order by id limit 1");
    for (const r of open.rows.slice(0, 4))
      await db.query(
        `insert into financial_aid_applications
           (user_id, course_id, annual_income, income_currency, statement, status, submitted_at)
         values ($1, $2, 12000, 'EUR', 'Notice test application.', 'submitted', now() - interval '10 days')`,
        [r.id, course.rows[0]!.id],
      );
    await db.query("update users set closed = true, closed_at = now() - interval '1 day' where id = $1", [
      open.rows[0]!.id,
    ]);
    consenting = open.rows.slice(4).map((r) => ({ id: Number(r.id), email: r.email.toLowerCase() }));
    expect(consenting).toHaveLength(4);
    h = await startHarness(d, { worker: false });
    // Three consent to targeted advertising now (by user id, by e-mail); the fourth did and took it back.
    const ledger = h.service.ctx.consent;
    const give = (subject: string, status: "granted" | "withdrawn") =>
      ledger.record({
        subject,
        purpose: "targeted_advertising",
        status,
        method: "banner",
        jurisdiction: "eea",
        actor: "subject",
      });
    await give(`user_id:${consenting[0]!.id}`, "granted");
    await give(`user_id:${consenting[1]!.id}`, "granted");
    await give(`email:${consenting[2]!.email}`, "granted");
    await give(`user_id:${consenting[3]!.id}`, "granted");
    await give(`user_id:${consenting[3]!.id}`, "withdrawn");
    const concerned = await db.query<{ email: string }>(
      `select lower(email) as email from users where closed_at is null
       and (id in (select user_id from financial_aid_applications) or id = any($1::bigint[]))`,
      [consenting.slice(0, 3).map((c) => c.id)],
    );
    expected = concerned.rows.map((r) => r.email).sort();
    const aid = await db.query<{ email: string }>(
      `select lower(email) as email from users where closed_at is null
       and id in (select user_id from financial_aid_applications)`,
    );
    aidHolders = aid.rows.map((r) => r.email).sort();
    expect(aidHolders.length).toBeGreaterThan(2);
    expect(expected).toHaveLength(aidHolders.length + 3);
  } finally {
    await db.end();
  }
}, 180_000);

afterAll(async () => {
  await h?.close();
  await d?.close();
  await rm(dir, { recursive: true, force: true });
});

describe("notice change notifications", () => {
  it("publishes the new version with each change classed, and announces it until the day it applies", async () => {
    const published = await recordCurrentNotice(h.store, after);
    expect(published.outcome).toBe("recorded");
    const diff = (published as { diff: NoticeDiff }).diff;
    const rule = (area: string, key: string) =>
      diff.changes.filter((c) => c.area === area && c.key === key).map((c) => [c.rule, c.material]);
    expect(rule("purpose", "tutor_matching")).toEqual([["new_purpose", true]]);
    expect(rule("recipient", "meta_ads")).toEqual([["new_third_country", true]]);
    expect(rule("retention", "financial_aid_applications")).toEqual([["longer_retention", true]]);
    expect(rule("retention", "clickstream")).toEqual([["shorter_retention", false]]);

    await h.service.ctx.consent.loadNoticeChanges();
    const config = await h.app.inject({ method: "GET", url: "/api/consent/config?jurisdiction=eea" });
    expect(config.statusCode).toBe(200);
    const banner = config.json().notice_change;
    expect(banner).toMatchObject({ version, effective_date: effective, url: `/notice/versions/${version}` });
    expect(banner.changes).toHaveLength(3);
    expect(banner.changes.join("\n")).toMatch(/Tutor matching/);
  });

  it("the dry run counts exactly the people concerned and says what it read; nothing is written", async () => {
    const plan = await h.service.planNotification(version);
    expect(plan.material).toBe(true);
    expect(plan.recipients).toBe(expected.length);
    expect(plan.scope).toMatchObject({
      everyone: false,
      purposes: ["targeted_advertising", "tutor_matching"],
      collections: ["learning_app.financial_aid_applications"],
      consents: 3,
    });
    expect(plan.scope?.read["learning_app.financial_aid_applications"]).toBe("via users");
    const rows = await h.store.db.selectFrom("notice_notifications").selectAll().execute();
    expect(rows).toHaveLength(0);
    expect(h.smtp.mails).toHaveLength(0);
  });

  it("mails each person concerned once, in steps that resume; a mail in doubt after a crash is not sent again", async () => {
    const first = await h.service.notify({ version }, { step: 3, perMinute: 60_000 });
    expect(first).toMatchObject({ state: "sending", more: true });
    expect(first.counts.sent).toBe(3);
    expect(first.recipients).toBe(expected.length);

    // A worker died with this one in hand: it may have left, so it is never sent again.
    const doubt = await h.store.db
      .selectFrom("notice_notifications")
      .select("recipient_hash")
      .where("state", "=", "pending")
      .orderBy("recipient_hash")
      .executeTakeFirstOrThrow();
    await h.store.db
      .updateTable("notice_notifications")
      .set({ state: "sending", claimed_at: new Date(Date.now() - 3_600_000) })
      .where("recipient_hash", "=", doubt.recipient_hash)
      .execute();

    const rest = await h.service.notify({ version }, { allSteps: true, perMinute: 60_000 });
    expect(rest).toMatchObject({ state: "done", more: false });
    expect(rest.counts).toEqual({
      pending: 0,
      sending: 0,
      sent: expected.length - 1,
      failed: 0,
      uncertain: 1,
      withdrawn: 0,
    });
    const mailed = recipientsOf(h.smtp.mails);
    expect(new Set(mailed).size).toBe(mailed.length);
    expect(mailed).toHaveLength(expected.length - 1);
    for (const a of mailed) expect(expected).toContain(a);

    const mail = h.smtp.mails[0]!;
    expect(mail.subject).toMatch(/is changing its privacy notice on/);
    expect(mail.text).toContain(`https://privacy.example.org/notice/versions/${version}`);
    expect(mail.text).toMatch(/Tutor matching/);
    expect(mail.text).not.toMatch(/clickstream|Clickstream/);

    // Again: nothing more goes out; the addresses are gone from the store; the trail has the run.
    const again = await h.service.notify({ version }, { allSteps: true });
    expect(again.state).toBe("done");
    expect(h.smtp.mails).toHaveLength(expected.length - 1);
    const left = await h.store.db.selectFrom("notice_notifications").select("address_enc").execute();
    expect(left.every((r) => r.address_enc === "")).toBe(true);
    const audit = await h.store.db
      .selectFrom("audit_events")
      .select(["kind", "payload"])
      .where("kind", "like", "notice.%")
      .execute();
    expect(audit.map((a) => a.kind)).toEqual(["notice.recipients_found", "notice.notified"]);
    expect(JSON.stringify(audit)).not.toMatch(/@/);

    const res = await h.app.inject({
      method: "GET",
      url: "/api/admin/notice/notifications",
      headers: {
        authorization: `Bearer ${(await createApiKey(h.store.db, { name: "dpo", role: "viewer" })).key}`,
      },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().versions[0]).toMatchObject({ version, state: "done", counts: { uncertain: 1 } });
  });

  it("a worker notifies by itself, from a store where the version was just published (no consents there)", async () => {
    const h2 = await startHarness(d, { worker: false });
    try {
      await recordCurrentNotice(h2.store, after);
      await h2.service.startWorker({ sweepSeconds: 3600, retention: false, notify: { perMinute: 60_000 } });
      const deadline = Date.now() + 60_000;
      const done = async () => (await h2.service.notificationStatuses())[0]?.state === "done";
      while (Date.now() < deadline && !(await done())) await new Promise((r) => setTimeout(r, 250));
      expect(recipientsOf(h2.smtp.mails)).toEqual(aidHolders);
    } finally {
      await h2.close();
    }
  }, 90_000);

  it("a server that is down costs nobody their mail; an address the server refuses fails alone, its address never kept", async () => {
    const h4 = await startHarness(d, { worker: false });
    const refused = aidHolders[1]!;
    const refusing = await startSmtpSink({ refuse: (a) => a === refused });
    try {
      await recordCurrentNotice(h4.store, after);
      // No server at all: the step stops after three people in a row, with a coded error and no address in it.
      const down = {
        ...h4.service.ctx,
        mailer: createMailer({ smtpUrl: "smtp://127.0.0.1:1", from: "p@example.org" }),
      };
      const error = await notifyNoticeChange(down, { version }, { allSteps: true, perMinute: 60_000 }).catch((e) => e);
      expect(error).toMatchObject({ code: "STW_MAIL_FAILED" });
      expect(String(error.message)).not.toMatch(/@/);
      const rows = await h4.store.db.selectFrom("notice_notifications").select(["state", "attempts"]).execute();
      expect(rows.every((r) => r.state === "pending" && r.attempts === 0)).toBe(true);

      // A server that refuses one recipient (550, quoting the address): that one is failed at once, the rest go.
      const up = { ...h4.service.ctx, mailer: createMailer({ smtpUrl: refusing.url, from: "p@example.org" }) };
      const done = await notifyNoticeChange(up, { version }, { allSteps: true, perMinute: 60_000 });
      expect(done.state).toBe("done");
      expect(done.counts).toMatchObject({ sent: aidHolders.length - 1, failed: 1, pending: 0 });
      expect(recipientsOf(refusing.mails)).toEqual(aidHolders.filter((a) => a !== refused));
      const failed = await h4.store.db
        .selectFrom("notice_notifications")
        .select(["error", "address_enc"])
        .where("state", "=", "failed")
        .executeTakeFirstOrThrow();
      expect(failed).toEqual({ error: "STW_MAIL_REFUSED", address_enc: "" });
    } finally {
      await refusing.close();
      await h4.close();
    }
  }, 90_000);

  it("a consent taken back on the account after it was given on a linked device does not count", async () => {
    const h5 = await startHarness(d, { worker: false });
    try {
      const ledger = h5.service.ctx.consent;
      const device = "device:notify_device_00000001";
      const person = consenting[0]!;
      await ledger.record({
        subject: device,
        purpose: "targeted_advertising",
        status: "granted",
        method: "banner",
        jurisdiction: "eea",
        actor: "subject",
      });
      await ledger.link(device, `user_id:${person.id}`);
      await ledger.record({
        subject: `user_id:${person.id}`,
        purpose: "targeted_advertising",
        status: "withdrawn",
        method: "preferences",
        jurisdiction: "eea",
        actor: "subject",
      });
      // A second person consented on a device only, then signed in: that consent counts for the account.
      const other = consenting[1]!;
      const otherDevice = "device:notify_device_00000002";
      await ledger.record({
        subject: otherDevice,
        purpose: "targeted_advertising",
        status: "granted",
        method: "banner",
        jurisdiction: "eea",
        actor: "subject",
      });
      await ledger.link(otherDevice, `user_id:${other.id}`);
      await recordCurrentNotice(h5.store, after);
      const plan = await h5.service.planNotification(version);
      expect(plan.scope?.consents).toBe(1);
      expect(plan.recipients).toBe(aidHolders.length + 1);
      await h5.service.notify({ version }, { allSteps: true, perMinute: 60_000 });
      const mailed = recipientsOf(h5.smtp.mails);
      expect(mailed).toContain(other.email);
      expect(mailed).not.toContain(person.email);
    } finally {
      await h5.close();
    }
  }, 90_000);

  // Last: it erases a learner from the reference database.
  it("an erasure takes the person's pending mail away: the one erased is not written to", async () => {
    const h3 = await startHarness(d, { worker: false });
    try {
      await recordCurrentNotice(h3.store, after);
      const first = await h3.service.notify({ version }, { step: 1, perMinute: 60_000 });
      expect(first.counts.sent).toBe(1);
      const pending = new Set(
        (
          await h3.store.db
            .selectFrom("notice_notifications")
            .select("recipient_hash")
            .where("state", "=", "pending")
            .execute()
        ).map((r) => r.recipient_hash),
      );
      const erased = aidHolders.find((a) => pending.has(h3.service.ctx.hash.subject("email", a)))!;
      expect(erased).toBeDefined();
      const event = await h3.service.emitEvent({ type: "subject.under_age", identity: { email: erased } }, "test");
      expect(event.kind).toBe("request");
      const id = (event as { row: { id: string } }).row.id;
      await executeRequest(h3.service.ctx, { request_id: id });
      const row = await h3.store.db
        .selectFrom("requests")
        .select("status")
        .where("id", "=", id)
        .executeTakeFirstOrThrow();
      expect(row.status).toBe("completed");

      const rest = await h3.service.notify({ version }, { allSteps: true, perMinute: 60_000 });
      expect(rest.state).toBe("done");
      expect(rest.counts.sent).toBe(aidHolders.length - 1);
      expect(rest.counts.withdrawn).toBe(1);
      const notices = h3.smtp.mails.filter((m) => /privacy notice/.test(m.subject));
      expect(notices).toHaveLength(aidHolders.length - 1);
      expect(recipientsOf(notices)).not.toContain(erased);
    } finally {
      await h3.close();
    }
  }, 90_000);
});
