/**
 * Retention in the service: the HTTP routes (events, the dry run, queued sweeps), legal holds placed through the API
 * leaving a person's rows alone in a sweep, the worker's schedules (one per sweeping rule, at the rule's cron), a
 * queued sweep carried out by the worker, and the audit trail (one event per rule, counts only, chain intact).
 * The reference databases are real (PostgreSQL, MariaDB); the clock of the rules is the demo's.
 */
import type mysql from "mysql2/promise";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyAuditChain } from "../../src/audit/verify-audit-chain.ts";
import { createApiKey } from "../../src/auth/api-keys.ts";
import { DEMO_NOW } from "../../src/demo/people.ts";
import { retentionPlan } from "../../src/plan/retention-plan.ts";
import { type Databases, type Harness, referenceDatabases, startHarness } from "../requests/service-fixture.ts";

const MY_NOW = "TIMESTAMP '2025-06-30 12:00:00'";
let d: Databases;
let h: Harness;
let pgc: pg.Client;
let my: mysql.Connection;
let admin: string;
let viewer: string;

const call = (key: string, method: "GET" | "POST", url: string, payload?: object) =>
  h.app.inject({ method, url, headers: { authorization: `Bearer ${key}` }, ...(payload ? { payload } : {}) });

beforeAll(async () => {
  d = await referenceDatabases("retsvc", 60);
  // The sweeps run at the demo's clock: the service's own clock stands there too.
  h = await startHarness(d, { retention: true, now: () => new Date(DEMO_NOW) });
  pgc = await d.dbs.pg();
  my = await d.dbs.my();
  admin = (await createApiKey(h.store.db, { name: "ops", role: "admin" })).key;
  viewer = (await createApiKey(h.store.db, { name: "auditor", role: "viewer" })).key;
}, 120_000);

afterAll(async () => {
  await pgc?.end();
  await my?.end();
  await h?.close();
  await d?.close();
});

async function expiredClicks(userId?: number): Promise<number> {
  const [rows] = await my.query(
    `SELECT COUNT(*) AS n FROM clickstream_events WHERE occurred_at < ${MY_NOW} - INTERVAL 13 MONTH${userId === undefined ? "" : " AND user_id = ?"}`,
    userId === undefined ? [] : [userId],
  );
  return Number((rows as { n: number }[])[0]!.n);
}

describe("retention in the service", () => {
  it("the worker keeps one schedule per sweeping rule, at the rule's cron expression", async () => {
    const schedules = await h.service.ctx.jobs!.scheduleList("retention.");
    const sweeping = retentionPlan(d.manifest).filter((r) => r.sweep === "period" || r.sweep === "account");
    expect(schedules.map((s) => s.name).sort()).toEqual(sweeping.map((r) => `retention.${r.rule}`).sort());
    expect(schedules.find((s) => s.name === "retention.clickstream")?.cron).toBe("*/30 * * * *");
    expect(schedules.find((s) => s.name === "retention.session_replays")?.cron).toBe("17 3 * * *");
    expect(schedules.find((s) => s.name === "retention.clickstream")?.data).toEqual({ rule: "clickstream" });
  });

  it("the dry run over HTTP needs a key, counts what is due, and changes nothing", async () => {
    expect((await h.app.inject({ method: "GET", url: "/api/admin/retention" })).statusCode).toBe(401);
    const before = await expiredClicks();
    const res = await call(viewer, "GET", "/api/admin/retention?rule=clickstream,session_replays");
    expect(res.statusCode, res.body).toBe(200);
    const rules = res.json().rules as { rule: string; targets: { due: number }[] }[];
    expect(rules.map((r) => r.rule)).toEqual(["clickstream", "session_replays"]);
    expect(rules[0]!.targets[0]!.due).toBe(before);
    expect(await expiredClicks()).toBe(before);
    const bad = await call(viewer, "GET", "/api/admin/retention?rule=nope");
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe("STW_RETENTION_UNKNOWN_RULE");
  });

  it("a hold placed through the API keeps a person's expired rows through a sweep the worker carries out", async () => {
    const [rows] = await my.query(
      `SELECT user_id FROM clickstream_events WHERE user_id IS NOT NULL AND occurred_at < ${MY_NOW} - INTERVAL 13 MONTH GROUP BY user_id ORDER BY COUNT(*) DESC LIMIT 1`,
    );
    const held = Number((rows as { user_id: number }[])[0]!.user_id);
    const { rows: users } = await pgc.query("SELECT email FROM users WHERE id = $1", [held]);
    const heldRows = await expiredClicks(held);
    expect(heldRows).toBeGreaterThan(0);
    expect(await expiredClicks()).toBeGreaterThan(heldRows);
    // The hold names the person by e-mail; the sweep finds their rows through the account's id.
    const hold = await call(admin, "POST", "/api/admin/holds", {
      identity: { email: users[0].email },
      reason: "Litigation hold LIT-7",
    });
    expect(hold.statusCode, hold.body).toBe(201);

    expect((await call(viewer, "POST", "/api/admin/retention/run", { rules: ["clickstream"] })).statusCode).toBe(403);
    const queued = await call(admin, "POST", "/api/admin/retention/run", { rules: ["clickstream"] });
    expect(queued.statusCode, queued.body).toBe(202);
    expect(queued.json()).toEqual({ queued: ["clickstream"] });
    // The worker takes the job; the trail gets its outcome.
    let event: { payload: Record<string, unknown> } | undefined;
    for (let i = 0; i < 100 && !event; i++) {
      await new Promise((r) => setTimeout(r, 200));
      event = await h.store.db
        .selectFrom("audit_events")
        .select(["payload", "actor"])
        .where("kind", "=", "retention.swept")
        .executeTakeFirst();
    }
    expect(event, "the worker swept").toBeDefined();
    const payload = event!.payload as {
      rule: string;
      held: number;
      proof: { complete: boolean };
      collections: Record<string, { deleted: number }>;
    };
    expect(payload.rule).toBe("clickstream");
    expect(payload.proof.complete).toBe(true);
    expect(payload.held).toBeGreaterThanOrEqual(heldRows);
    expect(await expiredClicks()).toBe(heldRows);
    expect(await expiredClicks(held)).toBe(heldRows);
    expect(payload.collections["learning_analytics.clickstream_events"]!.deleted).toBeGreaterThan(0);
    expect(JSON.stringify(event)).not.toContain(users[0].email);
  });

  it("POST /api/admin/events: the photo-ID rule runs for the person; an event no rule waits for is a coded 400", async () => {
    const { rows } = await pgc.query(
      `SELECT v.user_id::int AS user_id, count(*)::int AS n FROM identity_verifications v
        WHERE v.status = 'succeeded' AND v.photo_id_ref IS NOT NULL GROUP BY v.user_id ORDER BY v.user_id LIMIT 1`,
    );
    const { user_id, n } = rows[0] as { user_id: number; n: number };
    const others = await pgc.query(
      "SELECT count(*)::int AS n FROM identity_verifications WHERE photo_id_ref IS NOT NULL AND user_id <> $1",
      [user_id],
    );
    const res = await call(admin, "POST", "/api/admin/events", {
      type: "identity_verification.succeeded",
      identity: { user_id: String(user_id) },
      at: "2025-06-30T11:00:00Z",
    });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.at).toBe("2025-06-30T11:00:00.000Z");
    expect(body.outcomes[0].rule).toBe("photo_id_after_verification");
    expect(body.outcomes[0].collections["learning_app.identity_verifications"].masked).toBe(n);
    expect(body.outcomes[0].proof.complete).toBe(true);
    const after = await pgc.query(
      "SELECT count(*)::int AS n FROM identity_verifications WHERE status = 'succeeded' AND photo_id_ref IS NOT NULL AND user_id = $1",
      [user_id],
    );
    expect(after.rows[0].n).toBe(0);
    const othersAfter = await pgc.query(
      "SELECT count(*)::int AS n FROM identity_verifications WHERE photo_id_ref IS NOT NULL AND user_id <> $1",
      [user_id],
    );
    expect(othersAfter.rows[0].n).toBe(others.rows[0].n);

    const unknown = await call(admin, "POST", "/api/admin/events", {
      type: "account.reopened",
      identity: { user_id: "1" },
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().code).toBe("STW_RETENTION_UNKNOWN_EVENT");
    expect(unknown.json().message).toContain("identity_verification.succeeded");
    const badTime = await call(admin, "POST", "/api/admin/events", {
      type: "account.closed",
      identity: { user_id: "1" },
      at: "yesterday",
    });
    expect(badTime.statusCode).toBe(400);
    expect(badTime.json().code).toBe("STW_RETENTION_BAD_TIME");
    const event = await h.store.db
      .selectFrom("audit_events")
      .select("payload")
      .where("kind", "=", "retention.event")
      .executeTakeFirstOrThrow();
    expect((event.payload as { event: string }).event).toBe("identity_verification.succeeded");
    expect((await verifyAuditChain(h.store.db)).ok).toBe(true);
  });
});
