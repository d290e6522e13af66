/**
 * The rows a learner of the reference deployment owns, computed with the tests' own SQL (independent of the
 * planner), and a snapshot of every row of both databases: what the engine and the request service tests compare
 * before and after an erasure.
 */
import type mysql from "mysql2/promise";
import type pg from "pg";

/** $1 = user id, $2 = e-mail, $3 = the account's mobile device id: the rows a learner owns, by the test's own SQL. */
export const OWNED_PG: Readonly<Record<string, string>> = {
  users: "id = $1",
  profiles: "user_id = $1",
  third_party_logins: "user_id = $1",
  email_subscriptions: "user_id = $1",
  enrollments: "user_id = $1",
  assignment_submissions: "user_id = $1 OR enrollment_id IN (SELECT id FROM enrollments WHERE user_id = $1)",
  peer_reviews: "reviewer_id = $1 OR reviewee_id = $1",
  quiz_responses: "user_id = $1 OR enrollment_id IN (SELECT id FROM enrollments WHERE user_id = $1)",
  exam_attempts: "user_id = $1 OR enrollment_id IN (SELECT id FROM enrollments WHERE user_id = $1)",
  survey_responses: "user_id = $1",
  forum_posts: "author_id = $1",
  identity_verifications: "user_id = $1",
  financial_aid_applications: "user_id = $1",
  payment_customers: "user_id = $1",
  support_chats: "user_id = $1 OR contact_email = $2",
  recorded_lectures: "instructor_id = $1",
  lecture_student_contacts: "user_id = $1 OR student_email = $2",
  session_replays: "user_id = $1 OR device_id = $3",
};
export const OWNED_MY: Readonly<Record<string, string>> = {
  clickstream_events: "user_id = ? OR device_id = ?",
  email_engagement_events: "user_id = ?",
  partner_site_activity: "user_id = ?",
  ereader_usage: "user_id = ?",
  lecture_views: "user_id = ?",
  marketing_audience_members: "user_id = ?",
  recommendation_features: "user_id = ?",
};

export interface Learner {
  readonly id: string;
  readonly email: string;
  readonly device: string | null;
}

/** Every row of both databases: "dataset.table:key" → the row as JSON. */
export async function snapshot(pgc: pg.Client, my: mysql.Connection): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const tables = await pgc.query<{ t: string }>(
    "SELECT table_name AS t FROM information_schema.tables WHERE table_schema = 'public'",
  );
  for (const { t } of tables.rows) {
    const { rows } = await pgc.query(`SELECT * FROM "${t}"`);
    for (const r of rows) out.set(`learning_app.${t}:${String(Object.values(r)[0])}`, JSON.stringify(r));
  }
  const [myTables] = await my.query<mysql.RowDataPacket[]>("SHOW TABLES");
  for (const row of myTables) {
    const t = String(Object.values(row)[0]);
    const [rows] = await my.query<mysql.RowDataPacket[]>(`SELECT * FROM \`${t}\``);
    for (const r of rows) out.set(`learning_analytics.${t}:${String(Object.values(r)[0])}`, JSON.stringify(r));
  }
  return out;
}

/** The rows a learner owns, by the test's SQL: "dataset.table" → rows. */
export async function owned(
  pgc: pg.Client,
  my: mysql.Connection,
  l: Learner,
): Promise<Map<string, Record<string, unknown>[]>> {
  const out = new Map<string, Record<string, unknown>[]>();
  for (const [table, where] of Object.entries(OWNED_PG)) {
    const { rows } = await pgc.query(
      `WITH p AS (SELECT $1::bigint AS p_id, $2::text AS p_email, $3::text AS p_device)
       SELECT t.* FROM "${table}" t, p WHERE ${where.replaceAll("$1", "p.p_id").replaceAll("$2", "p.p_email").replaceAll("$3", "p.p_device")}`,
      [l.id, l.email, l.device ?? ""],
    );
    out.set(`learning_app.${table}`, rows);
  }
  for (const [table, where] of Object.entries(OWNED_MY)) {
    const params = where.includes("device_id") ? [l.id, l.device ?? ""] : [l.id];
    const [rows] = await my.query<mysql.RowDataPacket[]>(`SELECT * FROM \`${table}\` WHERE ${where}`, params);
    out.set(`learning_analytics.${table}`, rows);
  }
  return out;
}

export const keysOf = (rows: Map<string, Record<string, unknown>[]>): Set<string> =>
  new Set([...rows].flatMap(([table, list]) => list.map((r) => `${table}:${String(Object.values(r)[0])}`)));
