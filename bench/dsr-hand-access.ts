/**
 * The reference for single-learner access in the `dsr` benchmark: the learner's rows read by hand-written SQL, one
 * statement per table on connections kept open — what a developer would write for one platform without a data map.
 * It reads whole rows; Steward reads the collections' described fields.
 */
import mysql from "mysql2/promise";
import pg from "pg";
import type { DemoPair } from "./dsr-databases.ts";

/** $1 = account id, $2 = e-mail, $3 = mobile device id. */
const APP: readonly string[] = [
  "profiles WHERE user_id = $1",
  "third_party_logins WHERE user_id = $1",
  "email_subscriptions WHERE user_id = $1",
  "enrollments WHERE user_id = $1",
  "assignment_submissions WHERE user_id = $1",
  "peer_reviews WHERE reviewer_id = $1 OR reviewee_id = $1",
  "quiz_responses WHERE user_id = $1",
  "exam_attempts WHERE user_id = $1",
  "survey_responses WHERE user_id = $1",
  "forum_posts WHERE author_id = $1",
  "identity_verifications WHERE user_id = $1",
  "financial_aid_applications WHERE user_id = $1",
  "payment_customers WHERE user_id = $1",
  "support_chats WHERE user_id = $1 OR contact_email = $2",
  "recorded_lectures WHERE instructor_id = $1",
  "lecture_student_contacts WHERE user_id = $1 OR student_email = $2",
  "session_replays WHERE user_id = $1 OR device_id = $3",
];
const ANALYTICS: readonly string[] = [
  "clickstream_events WHERE user_id = ? OR device_id = ?",
  "email_engagement_events WHERE user_id = ?",
  "partner_site_activity WHERE user_id = ?",
  "ereader_usage WHERE user_id = ?",
  "lecture_views WHERE user_id = ?",
  "marketing_audience_members WHERE user_id = ?",
  "recommendation_features WHERE user_id = ?",
];

export class HandAccess {
  private constructor(
    private readonly app: pg.Client,
    private readonly analytics: mysql.Connection,
  ) {}

  static async open(pair: DemoPair): Promise<HandAccess> {
    const app = new pg.Client({ connectionString: pair.pgUrl });
    await app.connect();
    return new HandAccess(app, await mysql.createConnection({ uri: pair.myUrl, supportBigNumbers: true }));
  }

  /** Reads every row of the learner with this e-mail; returns how many. */
  async read(email: string): Promise<number> {
    const { rows } = await this.app.query("SELECT * FROM users WHERE email = $1", [email]);
    const user = rows[0];
    if (!user) return 0;
    const device = user.mobile_device_id ?? "";
    let n = 1;
    const values = [user.id, email, device];
    for (const from of APP) {
      // Only the parameters a statement uses are sent, renumbered: PostgreSQL cannot type an unused one.
      const used = [1, 2, 3].filter((i) => from.includes(`$${i}`));
      const sql = from.replace(/\$(\d)/g, (_, i) => `$${used.indexOf(Number(i)) + 1}`);
      n +=
        (
          await this.app.query(
            `SELECT * FROM ${sql}`,
            used.map((i) => values[i - 1]),
          )
        ).rowCount ?? 0;
    }
    for (const from of ANALYTICS) {
      const [found] = await this.analytics.execute<mysql.RowDataPacket[]>(
        `SELECT * FROM ${from}`,
        from.includes("device_id") ? [user.id, device] : [user.id],
      );
      n += found.length;
    }
    return n;
  }

  async close(): Promise<void> {
    await Promise.all([this.app.end().catch(() => {}), this.analytics.end().catch(() => {})]);
  }
}
