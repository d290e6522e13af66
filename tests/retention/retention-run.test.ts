/**
 * Retention on the reference deployment: the learning platform's PostgreSQL and MariaDB databases (seeded by
 * `demo seed`, whose clock stands at DEMO_NOW), the fake Stripe and FullStory. What is due is computed here with the
 * test's own SQL (interval arithmetic of each database, independent of `cutoffOf`); the dry run must count exactly
 * that and write nothing, the run must delete exactly that, and everything else must stay as it was. The account
 * rules, the photo-ID promise, the under-13 promise, legal holds and a sweep stopped half-way are each checked.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type mysql from "mysql2/promise";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_NOW } from "../../src/demo/people.ts";
import { Stores } from "../../src/engine/stores.ts";
import { loadManifestDir } from "../../src/fs/load-manifest-dir.ts";
import { resolveHeldRows } from "../../src/retention/held-rows.ts";
import { planRetention, runEvent, runRetention } from "../../src/retention/run-retention.ts";
import { type Databases, EXAMPLE, referenceDatabases } from "../requests/service-fixture.ts";

const NOW = new Date(DEMO_NOW);
const PG_NOW = "timestamptz '2025-06-30 12:00:00+00'";
const MY_NOW = "TIMESTAMP '2025-06-30 12:00:00'";

/** Each period rule's collection, its timestamp column and its period as each database writes an interval. */
const PERIODS = [
  {
    rule: "financial_aid_applications",
    db: "pg",
    table: "financial_aid_applications",
    from: "submitted_at",
    pg: "3 years",
  },
  { rule: "support_conversations", db: "pg", table: "support_chats", from: "started_at", pg: "3 years" },
  { rule: "survey_answers", db: "pg", table: "survey_responses", from: "submitted_at", pg: "3 years" },
  { rule: "lecture_student_contacts", db: "pg", table: "lecture_student_contacts", from: "supplied_at", pg: "1 year" },
  { rule: "session_replays", db: "pg", table: "session_replays", from: "started_at", pg: "90 days" },
  { rule: "lecture_views", db: "my", table: "lecture_views", from: "viewed_at", my: "2 YEAR" },
  { rule: "clickstream", db: "my", table: "clickstream_events", from: "occurred_at", my: "13 MONTH" },
  { rule: "email_engagement", db: "my", table: "email_engagement_events", from: "occurred_at", my: "13 MONTH" },
  { rule: "partner_activity", db: "my", table: "partner_site_activity", from: "activity_date", my: "2 YEAR" },
  { rule: "ereader_usage", db: "my", table: "ereader_usage", from: "occurred_at", my: "2 YEAR" },
  { rule: "model_outputs", db: "my", table: "recommendation_features", from: "computed_at", my: "90 DAY" },
  { rule: "advertising_audiences", db: "my", table: "marketing_audience_members", from: "added_at", my: "180 DAY" },
] as const;

let d: Databases;
let pgc: pg.Client;
let my: mysql.Connection;
const stores = () => new Stores(d.manifest, d.engine);

async function count(p: (typeof PERIODS)[number], due: boolean): Promise<number> {
  const op = due ? "<" : ">=";
  if (p.db === "pg") {
    const { rows } = await pgc.query(
      `SELECT count(*)::int AS n FROM ${p.table} WHERE ${p.from} ${op} ${PG_NOW} - interval '${p.pg}'`,
    );
    return rows[0].n;
  }
  const [rows] = await my.query(
    `SELECT COUNT(*) AS n FROM ${p.table} WHERE ${p.from} ${op} ${MY_NOW} - INTERVAL ${(p as { my: string }).my}`,
  );
  return Number((rows as { n: number }[])[0]!.n);
}

/** Every row of every table of both databases, as text: what a dry run must not change. */
async function everything(): Promise<string> {
  const out: string[] = [];
  const { rows: tables } = await pgc.query(
    "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename",
  );
  for (const { tablename } of tables) {
    const { rows } = await pgc.query(`SELECT * FROM ${tablename} ORDER BY 1`);
    out.push(tablename, JSON.stringify(rows));
  }
  const [myTables] = await my.query("SHOW TABLES");
  for (const t of myTables as Record<string, string>[]) {
    const name = Object.values(t)[0]!;
    const [rows] = await my.query(`SELECT * FROM ${name} ORDER BY 1`);
    out.push(name, JSON.stringify(rows));
  }
  return out.join("\n");
}

async function one<T>(sql: string, params: unknown[] = []): Promise<T> {
  const { rows } = await pgc.query(sql, params);
  expect(rows.length, sql).toBeGreaterThan(0);
  return rows[0] as T;
}

beforeAll(async () => {
  d = await referenceDatabases("retention", 80);
  pgc = await d.dbs.pg();
  my = await d.dbs.my();
}, 120_000);

afterAll(async () => {
  await pgc?.end();
  await my?.end();
  await d?.close();
});

describe("retention on the reference databases", () => {
  it("the dry run counts exactly the rows each period rule finds due, and writes nothing", async () => {
    const before = await everything();
    const s = stores();
    try {
      const plan = await planRetention(d.manifest, s, { now: NOW });
      expect(plan.map((r) => r.rule)).toEqual(d.manifest.retention.map((r) => r.key));
      let due = 0;
      for (const p of PERIODS) {
        const row = plan.find((r) => r.rule === p.rule)!;
        expect(row.sweep).toBe("period");
        expect(row.targets[0]!.due, p.rule).toBe(await count(p, true));
        due += row.targets[0]!.due!;
      }
      expect(due, "the seed holds expired rows to sweep").toBeGreaterThan(50);
      const legal = plan.find((r) => r.rule === "payment_records")!;
      expect(legal.sweep).toBe("none");
      expect(legal.why).toMatch(/kept as the law requires/);
      expect(plan.find((r) => r.rule === "photo_id_after_verification")!.event).toBe("identity_verification.succeeded");
    } finally {
      await s.closeAll();
    }
    expect(await everything()).toBe(before);
  });

  it("a sweep leaves the rows of a person under a legal hold, and a sweep stopped half-way finishes when run again", async () => {
    const clickstream = PERIODS.find((p) => p.rule === "clickstream")!;
    const [rows] = await my.query(
      `SELECT user_id, COUNT(*) AS n FROM clickstream_events WHERE user_id IS NOT NULL AND occurred_at < ${MY_NOW} - INTERVAL 13 MONTH GROUP BY user_id ORDER BY n DESC LIMIT 1`,
    );
    const heldUser = Number((rows as { user_id: number }[])[0]!.user_id);
    const heldRows = Number((rows as { n: number }[])[0]!.n);
    const due = await count(clickstream, true);
    const fresh = await count(clickstream, false);
    expect(due).toBeGreaterThan(heldRows + 10);
    const s = stores();
    try {
      const held = await resolveHeldRows(d.manifest, s, [new Map([["user_id", [heldUser]]])]);
      expect(held.rows.get("learning_analytics.clickstream_events")?.size).toBeGreaterThanOrEqual(heldRows);
      // Stopped after the first batch of 5 (a worker killed): that batch is committed, the rest is still due.
      let batches = 0;
      const stopped = await runRetention(d.manifest, s, {
        now: NOW,
        rules: ["clickstream"],
        held,
        batchSize: 5,
        progress: (p) => {
          if (p.done > 0 && ++batches === 1) throw new Error("worker killed");
        },
      });
      expect(stopped[0]!.failed?.code).toBe("STW_ENGINE_WRITE_FAILED");
      expect(await count(clickstream, true)).toBe(due - 5);
      const [again] = await runRetention(d.manifest, s, { now: NOW, rules: ["clickstream"], held, batchSize: 5 });
      expect(again!.failed).toBeUndefined();
      expect(again!.collections["learning_analytics.clickstream_events"]!.deleted).toBe(due - 5 - heldRows);
      expect(again!.proof).toEqual({ complete: true, residual: 0 });
      expect(again!.held).toBeGreaterThanOrEqual(heldRows);
    } finally {
      await s.closeAll();
    }
    expect(await count(clickstream, true), "only the held person's expired rows are left").toBe(heldRows);
    const [left] = await my.query(
      `SELECT COUNT(*) AS n FROM clickstream_events WHERE user_id = ? AND occurred_at < ${MY_NOW} - INTERVAL 13 MONTH`,
      [heldUser],
    );
    expect(Number((left as { n: number }[])[0]!.n)).toBe(heldRows);
    expect(await count(clickstream, false), "no row that is not yet due was touched").toBe(fresh);
  });

  it("account rules: within the grace nothing happens; after 30 days the profile goes; after 90 the learning records, except for-credit ones", async () => {
    // Three open learners are closed at chosen times: 10, 40 and 100 days before the demo's clock.
    const open = await pgc.query(
      `SELECT u.id::int AS id FROM users u WHERE NOT u.closed
         AND EXISTS (SELECT 1 FROM profiles p WHERE p.user_id = u.id)
         AND EXISTS (SELECT 1 FROM enrollments e WHERE e.user_id = u.id AND NOT e.for_credit)
       ORDER BY u.id LIMIT 2`,
    );
    const [recent, month] = open.rows.map((r) => r.id as number);
    // A third one has two enrolments, one of them (made here) for credit in a degree program.
    const credit = (
      await one<{ id: number }>(
        `SELECT u.id::int AS id FROM users u WHERE NOT u.closed AND u.id NOT IN ($1, $2)
           AND (SELECT count(*) FROM enrollments e WHERE e.user_id = u.id AND NOT e.for_credit) >= 2
         ORDER BY u.id LIMIT 1`,
        [recent, month],
      )
    ).id;
    await pgc.query(
      `UPDATE enrollments SET for_credit = true, degree_program_id = (SELECT min(id) FROM degree_programs)
        WHERE id = (SELECT min(id) FROM enrollments WHERE user_id = $1)`,
      [credit],
    );
    for (const [id, days] of [
      [recent, 10],
      [month, 40],
      [credit, 100],
    ] as const)
      await pgc.query(`UPDATE users SET closed = true, closed_at = ${PG_NOW} - interval '${days} days' WHERE id = $1`, [
        id,
      ]);
    const user = async (id: number) =>
      one<{ email: string | null; first_name: string | null }>("SELECT email, first_name FROM users WHERE id = $1", [
        id,
      ]);
    const n = async (table: string, where: string, id: number) =>
      (await one<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE ${where}`, [id])).n;
    const recentUser = await user(recent!);
    const monthUser = await user(month!);
    const monthEnrollments = await n("enrollments", "user_id = $1", month!);
    const creditKept = await n("enrollments", "user_id = $1 AND for_credit", credit);
    expect(creditKept).toBeGreaterThan(0);

    const s = stores();
    try {
      const outcomes = await runRetention(d.manifest, s, {
        now: NOW,
        rules: ["account_and_profile", "learning_records", "forum_post_authorship"],
      });
      for (const o of outcomes) {
        expect(o.failed, o.rule).toBeUndefined();
        expect(o.proof.complete, o.rule).toBe(true);
      }
    } finally {
      await s.closeAll();
    }
    // Within the grace period: untouched.
    expect(await user(recent!)).toEqual(recentUser);
    expect(await n("profiles", "user_id = $1", recent!)).toBe(1);
    // After 30 days: profile and e-mail preferences gone; the account row stays (enrolments still name it) but no
    // longer says who it was; the enrolments wait for their 90 days; forum posts no longer name the author.
    expect(await n("profiles", "user_id = $1", month!)).toBe(0);
    expect(await n("email_subscriptions", "user_id = $1", month!)).toBe(0);
    const masked = await user(month!);
    expect(masked.email).not.toBe(monthUser.email);
    expect(masked.first_name).not.toBe(monthUser.first_name);
    expect(await n("enrollments", "user_id = $1", month!)).toBe(monthEnrollments);
    expect(await n("forum_posts", "author_id = $1", month!)).toBe(0);
    // After 90 days: the learning records go, but for-credit enrolments (the university's records) stay.
    expect(await n("enrollments", "user_id = $1 AND NOT for_credit", credit)).toBe(0);
    expect(await n("enrollments", "user_id = $1 AND for_credit", credit)).toBe(creditKept);
  });

  it("every period rule runs from one call (no hold now): expired rows are gone, no other row is touched", async () => {
    const fresh = new Map<string, number>();
    for (const p of PERIODS) fresh.set(p.rule, await count(p, false));
    const s = stores();
    try {
      const outcomes = await runRetention(d.manifest, s, { now: NOW, rules: PERIODS.map((p) => p.rule) });
      for (const o of outcomes) {
        expect(o.failed, o.rule).toBeUndefined();
        expect(o.proof, o.rule).toEqual({ complete: true, residual: 0 });
      }
    } finally {
      await s.closeAll();
    }
    for (const p of PERIODS) {
      expect(await count(p, true), `${p.rule}: nothing due is left`).toBe(0);
      expect(await count(p, false), `${p.rule}: nothing newer went`).toBe(fresh.get(p.rule));
    }
  });

  it("identity_verification.succeeded masks the photo ID of that person's succeeded checks, and nothing else", async () => {
    // An open learner with one check that succeeded (its document not yet removed) and one still pending.
    const v = await one<{ user_id: number }>(
      "SELECT id::int AS user_id FROM users WHERE NOT closed AND id NOT IN (SELECT user_id FROM identity_verifications) ORDER BY id LIMIT 1",
    );
    await pgc.query(
      `INSERT INTO identity_verifications (id, user_id, legal_name, date_of_birth, address_line, city, country,
         photo_id_ref, headshot_ref, vendor_reference, status, submitted_at, verified_at)
       SELECT m + k, $1, 'Test Learner', date '1990-01-01', '1 Main St', 'Springfield', 'US',
         'vault://identity-documents/test-' || k, 'vault://headshots/test-' || k, 'idv_test_' || k,
         CASE k WHEN 1 THEN 'succeeded' ELSE 'pending' END, ${PG_NOW},
         CASE k WHEN 1 THEN ${PG_NOW} END
       FROM (SELECT max(id) AS m FROM identity_verifications) x, generate_series(1, 2) AS k`,
      [v.user_id],
    );
    const othersBefore = await pgc.query("SELECT * FROM identity_verifications WHERE user_id <> $1 ORDER BY id", [
      v.user_id,
    ]);
    const mineBefore = await pgc.query("SELECT * FROM identity_verifications WHERE user_id = $1 ORDER BY id", [
      v.user_id,
    ]);
    const s = stores();
    try {
      const [outcome] = await runEvent(d.manifest, s, {
        type: "identity_verification.succeeded",
        identity: new Map([["user_id", [v.user_id]]]),
      });
      expect(outcome!.rule).toBe("photo_id_after_verification");
      expect(outcome!.proof.complete).toBe(true);
      expect(outcome!.collections["learning_app.identity_verifications"]!.masked).toBeGreaterThan(0);
    } finally {
      await s.closeAll();
    }
    const mine = await pgc.query("SELECT * FROM identity_verifications WHERE user_id = $1 ORDER BY id", [v.user_id]);
    expect(mine.rows).toHaveLength(mineBefore.rows.length);
    for (const [i, row] of mine.rows.entries()) {
      const was = mineBefore.rows[i];
      if (was.status === "succeeded") expect(row).toEqual({ ...was, photo_id_ref: null });
      else expect(row).toEqual(was);
    }
    expect(mine.rows.map((r) => [r.status, r.photo_id_ref])).toEqual([
      ["succeeded", null],
      ["pending", "vault://identity-documents/test-2"],
    ]);
    expect(
      (await pgc.query("SELECT * FROM identity_verifications WHERE user_id <> $1 ORDER BY id", [v.user_id])).rows,
    ).toEqual(othersBefore.rows);
  });

  it("subject.under_age erases the account and everything of that person, in both databases", async () => {
    const child = await one<{ id: number }>(
      `SELECT u.id::int AS id FROM users u WHERE NOT u.closed
         AND NOT EXISTS (SELECT 1 FROM enrollments e WHERE e.user_id = u.id AND e.for_credit)
         AND NOT EXISTS (SELECT 1 FROM payment_customers p WHERE p.user_id = u.id)
         AND EXISTS (SELECT 1 FROM enrollments e WHERE e.user_id = u.id)
       ORDER BY u.id DESC LIMIT 1`,
    );
    const usersBefore = (await one<{ n: number }>("SELECT count(*)::int AS n FROM users")).n;
    const s = stores();
    try {
      const [outcome] = await runEvent(d.manifest, s, {
        type: "subject.under_age",
        identity: new Map([["user_id", [child.id]]]),
      });
      expect(outcome!.failed).toBeUndefined();
      expect(outcome!.proof.complete).toBe(true);
    } finally {
      await s.closeAll();
    }
    expect((await pgc.query("SELECT 1 FROM users WHERE id = $1", [child.id])).rows).toHaveLength(0);
    expect((await pgc.query("SELECT 1 FROM enrollments WHERE user_id = $1", [child.id])).rows).toHaveLength(0);
    expect((await pgc.query("SELECT 1 FROM forum_posts WHERE author_id = $1", [child.id])).rows).toHaveLength(0);
    for (const table of ["clickstream_events", "email_engagement_events", "ereader_usage", "lecture_views"]) {
      const [rows] = await my.query(`SELECT COUNT(*) AS n FROM ${table} WHERE user_id = ?`, [child.id]);
      expect(Number((rows as { n: number }[])[0]!.n), table).toBe(0);
    }
    expect((await one<{ n: number }>("SELECT count(*)::int AS n FROM users")).n).toBe(usersBefore - 1);
  });

  it("account.closed removes the person from advertising audiences at once; an unknown event is a coded error", async () => {
    const [rows] = await my.query("SELECT user_id FROM marketing_audience_members ORDER BY id LIMIT 1");
    const id = Number((rows as { user_id: number }[])[0]!.user_id);
    const [all] = await my.query("SELECT COUNT(*) AS n FROM marketing_audience_members WHERE user_id <> ?", [id]);
    const s = stores();
    try {
      const [outcome] = await runEvent(d.manifest, s, {
        type: "account.closed",
        identity: new Map([["user_id", [id]]]),
      });
      expect(outcome!.collections["learning_analytics.marketing_audience_members"]!.deleted).toBeGreaterThan(0);
      await expect(
        runEvent(d.manifest, s, { type: "account.reopened", identity: new Map([["user_id", [id]]]) }),
      ).rejects.toMatchObject({ code: "STW_RETENTION_UNKNOWN_EVENT" });
    } finally {
      await s.closeAll();
    }
    const [mine] = await my.query("SELECT COUNT(*) AS n FROM marketing_audience_members WHERE user_id = ?", [id]);
    expect(Number((mine as { n: number }[])[0]!.n)).toBe(0);
    const [others] = await my.query("SELECT COUNT(*) AS n FROM marketing_audience_members WHERE user_id <> ?", [id]);
    expect(Number((others as { n: number }[])[0]!.n)).toBe(Number((all as { n: number }[])[0]!.n));
  });

  it("a period rule on rows that others refer to erases by key through the engine: children follow, exemptions keep theirs, rows others still name are masked", async () => {
    // A variant of the example: enrolments go two years after they began, and nothing else names their children.
    const dir = await mkdtemp(join(tmpdir(), "steward-retention-"));
    try {
      await cp(EXAMPLE, dir, { recursive: true });
      const file = join(dir, "retention.yml");
      let text = await readFile(file, "utf8");
      const swap = (from: string, to: string) => {
        expect(text, from).toContain(from);
        text = text.replace(from, to);
      };
      swap(
        "      - learning_app.enrollments\n      - learning_app.assignment_submissions\n      - learning_app.peer_reviews\n      - learning_app.quiz_responses\n      - learning_app.exam_attempts\n    account_lifetime: { grace: P90D }",
        "      - learning_app.enrollments\n    period: P2Y\n    from: enrolled_at",
      );
      swap(
        "      - learning_app.enrollments\n      - learning_app.assignment_submissions\n      - learning_app.exam_attempts\n    legal:",
        "      - learning_app.enrollments\n    legal:",
      );
      await writeFile(file, text);
      const manifest = await loadManifestDir(dir);
      const cutoff = `${PG_NOW} - interval '2 years'`;
      const ids = async (sql: string) => (await pgc.query(sql)).rows.map((r) => Number(r.id)).sort((a, b) => a - b);
      const oldPlain = await ids(`SELECT id FROM enrollments WHERE enrolled_at < ${cutoff} AND NOT for_credit`);
      const oldCredit = await ids(`SELECT id FROM enrollments WHERE enrolled_at < ${cutoff} AND for_credit`);
      const young = await ids(`SELECT id FROM enrollments WHERE enrolled_at >= ${cutoff}`);
      expect(oldPlain.length).toBeGreaterThan(0);
      const childrenOf = async (list: number[]) => {
        const q = async (sql: string) => Number((await pgc.query(sql, [list])).rows[0].n);
        return {
          submissions: await q("SELECT count(*) AS n FROM assignment_submissions WHERE enrollment_id = ANY($1)"),
          quizzes: await q("SELECT count(*) AS n FROM quiz_responses WHERE enrollment_id = ANY($1)"),
          exams: await q("SELECT count(*) AS n FROM exam_attempts WHERE enrollment_id = ANY($1)"),
          reviews: await q(
            "SELECT count(*) AS n FROM peer_reviews WHERE submission_id IN (SELECT id FROM assignment_submissions WHERE enrollment_id = ANY($1))",
          ),
        };
      };
      const oldChildren = await childrenOf(oldPlain);
      expect(oldChildren.submissions + oldChildren.quizzes).toBeGreaterThan(0);
      const creditChildren = await childrenOf(oldCredit);
      const reviewed = (
        await pgc.query(
          "SELECT s.id, s.enrollment_id FROM assignment_submissions s WHERE s.enrollment_id = ANY($1) AND EXISTS (SELECT 1 FROM peer_reviews r WHERE r.submission_id = s.id)",
          [oldPlain],
        )
      ).rows;
      const reviewedEnrollments = [...new Set(reviewed.map((r) => Number(r.enrollment_id)))].sort((a, b) => a - b);
      const youngChildren = await childrenOf(young);

      const s = new Stores(manifest, d.engine);
      try {
        const plan = await planRetention(manifest, s, { now: NOW, rules: ["learning_records"] });
        expect([...plan[0]!.targets[0]!.follows].sort()).toEqual([
          "learning_app.assignment_submissions",
          "learning_app.exam_attempts",
          "learning_app.peer_reviews",
          "learning_app.quiz_responses",
        ]);
        expect(plan[0]!.targets[0]!.due).toBe(oldPlain.length);
        const [outcome] = await runRetention(manifest, s, { now: NOW, rules: ["learning_records"], batchSize: 7 });
        expect(outcome!.failed).toBeUndefined();
        expect(outcome!.proof).toEqual({ complete: true, residual: 0 });
        expect(outcome!.collections["learning_app.enrollments"]!.deleted).toBe(
          oldPlain.length - reviewedEnrollments.length,
        );
        expect(outcome!.collections["learning_app.enrollments"]!.due).toBe(oldPlain.length);
      } finally {
        await s.closeAll();
      }
      // Gone, except work that other learners' reviews still point at: those submissions (and their enrolments) stay,
      // masked, for as long as the reviews do; the reviews themselves are other people's and stay as they were.
      const left = await childrenOf(oldPlain);
      expect(left).toEqual({ submissions: reviewed.length, quizzes: 0, exams: 0, reviews: oldChildren.reviews });
      expect(await ids(`SELECT id FROM enrollments WHERE enrolled_at < ${cutoff} AND NOT for_credit`)).toEqual(
        reviewedEnrollments,
      );
      expect(oldPlain.length - reviewedEnrollments.length, "most old enrolments went").toBeGreaterThan(0);
      expect(await ids(`SELECT id FROM enrollments WHERE enrolled_at < ${cutoff} AND for_credit`)).toEqual(oldCredit);
      expect(await childrenOf(oldCredit)).toEqual(creditChildren);
      expect(await ids(`SELECT id FROM enrollments WHERE enrolled_at >= ${cutoff}`)).toEqual(young);
      expect(await childrenOf(young)).toEqual(youngChildren);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
