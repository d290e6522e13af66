/**
 * The reference of the `dsr` benchmark: the erasure of a batch of learners written by hand as set-based SQL for the
 * learning platform's two databases, doing exactly what Steward does (same rows deleted, masked and kept):
 *
 * - every row found from the learners' accounts, e-mails and mobile device ids is deleted, children before parents;
 * - peer reviews the learners only wrote (found only through reviewer_id) keep living with reviewer_id NULL;
 * - forum posts stay published with author_id NULL;
 * - for-credit enrolments stay, with their submissions, quiz responses, exam attempts and the reviews of those
 *   submissions (the reviewer's id cleared when the reviewer is erased too), and so does the account they refer to;
 * - an erased instructor's recorded lecture that other learners' contact rows or views still refer to is masked
 *   instead of deleted, and the instructor's account, still referred to by it, is masked too (unless for-credit
 *   enrolments keep it as it is).
 *
 * Masks write what Steward writes: NULL where the column allows it, else a random `~r…` string of Steward's length.
 * The analytics deletes commit before the application's, as Steward orders them; the PostgreSQL transaction stays open
 * meanwhile, so the application side still commits all or nothing.
 *
 * Two ways to run it: `handErasure` writes the databases one after the other, as a script usually does — the
 * benchmark's reference; `handErasureParallel` writes them at the same time, as Steward does (the application's
 * deletes while the analytics ones run; only the lectures wait for the analytics answer), to show how much of
 * Steward's time is saved by that alone.
 */
import type mysql from "mysql2/promise";
import type pg from "pg";
import { ANALYTICS_TABLES } from "../src/demo/seed-plan.ts";
import { withMy, withPg } from "./dsr-databases.ts";

/** A random mark as Steward writes it into a NOT NULL text column: "~r" and 22 hex digits. */
const MARK = "'~r' || substr(md5(random()::text), 1, 22)";

const FIND_PG = `
CREATE TEMP TABLE erase_user ON COMMIT DROP AS
  SELECT id, mobile_device_id FROM users WHERE email IN (SELECT email FROM erase_email);
CREATE TEMP TABLE erase_device ON COMMIT DROP AS
  SELECT DISTINCT mobile_device_id AS device_id FROM erase_user WHERE mobile_device_id <> '';
CREATE TEMP TABLE erase_lecture ON COMMIT DROP AS
  SELECT id FROM recorded_lectures WHERE instructor_id IN (SELECT id FROM erase_user);
-- For-credit enrolments are kept, and everything that hangs from them (exemption for_credit_records).
CREATE TEMP TABLE credit_enrollment ON COMMIT DROP AS
  SELECT id, user_id FROM enrollments WHERE user_id IN (SELECT id FROM erase_user) AND for_credit;
CREATE TEMP TABLE credit_submission ON COMMIT DROP AS
  SELECT id FROM assignment_submissions WHERE enrollment_id IN (SELECT id FROM credit_enrollment);
ANALYZE erase_email, erase_user, erase_device, erase_lecture, credit_enrollment, credit_submission;
SELECT id::text AS id FROM erase_user;
SELECT device_id FROM erase_device;
SELECT id::text AS id FROM erase_lecture;
`;

/** The application's deletes and masks that do not depend on the analytics store. */
const ERASE_PG = `
DELETE FROM support_chats WHERE user_id IN (SELECT id FROM erase_user);
DELETE FROM support_chats WHERE contact_email IN (SELECT email FROM erase_email);
DELETE FROM lecture_student_contacts WHERE user_id IN (SELECT id FROM erase_user);
DELETE FROM lecture_student_contacts WHERE student_email IN (SELECT email FROM erase_email);
DELETE FROM profiles WHERE user_id IN (SELECT id FROM erase_user);
DELETE FROM third_party_logins WHERE user_id IN (SELECT id FROM erase_user);
DELETE FROM email_subscriptions WHERE user_id IN (SELECT id FROM erase_user);
DELETE FROM peer_reviews
  WHERE reviewee_id IN (SELECT id FROM erase_user) AND submission_id NOT IN (SELECT id FROM credit_submission);
UPDATE peer_reviews SET reviewer_id = NULL WHERE reviewer_id IN (SELECT id FROM erase_user);
DELETE FROM assignment_submissions
  WHERE user_id IN (SELECT id FROM erase_user) AND enrollment_id NOT IN (SELECT id FROM credit_enrollment);
DELETE FROM quiz_responses
  WHERE user_id IN (SELECT id FROM erase_user) AND enrollment_id NOT IN (SELECT id FROM credit_enrollment);
DELETE FROM exam_attempts
  WHERE user_id IN (SELECT id FROM erase_user) AND enrollment_id NOT IN (SELECT id FROM credit_enrollment);
DELETE FROM enrollments WHERE user_id IN (SELECT id FROM erase_user) AND NOT for_credit;
DELETE FROM survey_responses WHERE user_id IN (SELECT id FROM erase_user);
UPDATE forum_posts SET author_id = NULL WHERE author_id IN (SELECT id FROM erase_user);
DELETE FROM identity_verifications WHERE user_id IN (SELECT id FROM erase_user);
DELETE FROM financial_aid_applications WHERE user_id IN (SELECT id FROM erase_user);
DELETE FROM payment_customers WHERE user_id IN (SELECT id FROM erase_user);
DELETE FROM session_replays WHERE user_id IN (SELECT id FROM erase_user);
DELETE FROM session_replays WHERE device_id IN (SELECT device_id FROM erase_device);
`;

/** Lectures and accounts: they need to know which lectures other learners' views (analytics) still refer to. */
const ERASE_PG_LECTURES = `
-- Lectures other learners' contact rows or views still refer to stay, masked.
CREATE TEMP TABLE held_lecture ON COMMIT DROP AS
  SELECT id FROM erase_lecture l
  WHERE EXISTS (SELECT 1 FROM lecture_student_contacts c WHERE c.lecture_id = l.id)
     OR id IN (SELECT id FROM viewed_lecture);
UPDATE recorded_lectures SET title = ${MARK}, media_ref = ${MARK}, instructor_thumbnail_ref = NULL
  WHERE id IN (SELECT id FROM held_lecture);
DELETE FROM recorded_lectures WHERE id IN (SELECT id FROM erase_lecture) AND id NOT IN (SELECT id FROM held_lecture);
-- Accounts: kept as they are under for-credit enrolments; masked while a kept lecture refers to them; else deleted.
CREATE TEMP TABLE masked_user ON COMMIT DROP AS
  SELECT DISTINCT instructor_id AS id FROM recorded_lectures
  WHERE id IN (SELECT id FROM held_lecture) AND instructor_id NOT IN (SELECT user_id FROM credit_enrollment);
UPDATE users SET email = ${MARK}, password_hash = ${MARK}, first_name = ${MARK}, last_name = ${MARK},
    language = ${MARK}, country = '~r', phone = NULL, mobile_device_id = NULL, web_cookie_id = NULL,
    date_of_birth = NULL, last_login_at = NULL
  WHERE id IN (SELECT id FROM masked_user);
DELETE FROM users WHERE id IN (SELECT id FROM erase_user)
  AND id NOT IN (SELECT user_id FROM credit_enrollment) AND id NOT IN (SELECT id FROM masked_user);
`;

/** Analytics tables, every one keyed by the account id; clickstream events are also found by the mobile device id. */
const ANALYTICS_BY_USER = ANALYTICS_TABLES;

const resultsOf = (r: pg.QueryResult | pg.QueryResult[]) => (Array.isArray(r) ? r : [r]);

/** Erases the learners with these e-mails from the pair (PostgreSQL URL, MariaDB URL). */
export async function handErasure(pgUrl: string, myUrl: string, emails: readonly string[]): Promise<void> {
  await eraseBoth(pgUrl, myUrl, emails, async (app, analytics) => {
    const viewed = await analytics();
    await app.query(ERASE_PG);
    return viewed;
  });
}

/** The same script, with the application's first deletes running while the analytics store is written. */
export async function handErasureParallel(pgUrl: string, myUrl: string, emails: readonly string[]): Promise<void> {
  await eraseBoth(pgUrl, myUrl, emails, async (app, analytics) => {
    const [viewed] = await Promise.all([analytics(), app.query(ERASE_PG)]);
    return viewed;
  });
}

/**
 * Finds the learners in the application store, lets `erase` run the analytics erasure (committed when its promise
 * settles) and the application's first deletes, then masks or deletes lectures and accounts and commits.
 */
async function eraseBoth(
  pgUrl: string,
  myUrl: string,
  emails: readonly string[],
  erase: (app: pg.Client, analytics: () => Promise<string[]>) => Promise<string[]>,
): Promise<void> {
  await withPg(pgUrl, async (app) => {
    await app.query("BEGIN");
    try {
      await app.query(
        "CREATE TEMP TABLE erase_email ON COMMIT DROP AS SELECT DISTINCT e AS email FROM unnest($1::text[]) AS e",
        [emails],
      );
      const found = resultsOf(await app.query(FIND_PG)).slice(-3);
      const users = found[0]!.rows.map((r) => [r.id]);
      const devices = found[1]!.rows.map((r) => [r.device_id]);
      const lectures = found[2]!.rows.map((r) => r.id as string);
      const viewed = await erase(app, () =>
        withMy(myUrl, (analytics) => eraseAnalytics(analytics, users, devices, lectures)),
      );
      await app.query("CREATE TEMP TABLE viewed_lecture ON COMMIT DROP AS SELECT unnest($1::bigint[]) AS id", [viewed]);
      await app.query(ERASE_PG_LECTURES);
      await app.query("COMMIT");
    } catch (error) {
      await app.query("ROLLBACK").catch(() => {});
      throw error;
    }
  });
}

/** Deletes the learners' analytics rows; returns which of their lectures other learners' views still refer to. */
async function eraseAnalytics(
  db: mysql.Connection,
  users: readonly unknown[][],
  devices: readonly unknown[][],
  lectures: readonly string[],
): Promise<string[]> {
  const charset = "CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci";
  await db.query("CREATE TEMPORARY TABLE erase_user (id BIGINT UNSIGNED PRIMARY KEY)");
  await db.query(`CREATE TEMPORARY TABLE erase_device (device_id VARCHAR(64) ${charset} PRIMARY KEY)`);
  if (users.length > 0) await db.query("INSERT INTO erase_user (id) VALUES ?", [users]);
  if (devices.length > 0) await db.query("INSERT INTO erase_device (device_id) VALUES ?", [devices]);
  await db.query("START TRANSACTION");
  try {
    for (const t of ANALYTICS_BY_USER) await db.query(`DELETE t FROM \`${t}\` t JOIN erase_user e ON t.user_id = e.id`);
    await db.query("DELETE t FROM clickstream_events t JOIN erase_device d ON t.device_id = d.device_id");
    let viewed: string[] = [];
    if (lectures.length > 0) {
      const [rows] = await db.query<mysql.RowDataPacket[]>(
        "SELECT DISTINCT lecture_id FROM lecture_views WHERE lecture_id IN (?)",
        [lectures],
      );
      viewed = rows.map((r) => String(r["lecture_id"]));
    }
    await db.query("COMMIT");
    return viewed;
  } catch (error) {
    await db.query("ROLLBACK").catch(() => {});
    throw error;
  }
}
