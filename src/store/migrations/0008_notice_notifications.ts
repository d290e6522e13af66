/**
 * Migration 8: notices of a material change, one row per version and person, written by the notification job
 * (src/notify/notify-notice-change.ts) before any mail goes. The primary key is what keeps a person from being mailed
 * twice for one version; the states say where each mail stands: `pending` → `sending` (claimed by one worker, just
 * before the mail is handed to the server) → `sent`, or `failed` after its tries. A row left in `sending` by a crash is
 * never sent again: the job marks it `uncertain` and reports it (the mail may or may not have left); a person erased
 * before their mail went is `withdrawn`. The address is sealed and emptied once the row is final; the person is
 * otherwise known by keyed hashes only: of the address (the key), and of every identity of their account
 * (`subject_hashes`, as a request keeps them), by which an erasure finds their row. `notice_notification_runs` keeps,
 * per version, the scope, where the run stands, and until when one step holds it (`step_until`: one step at a time,
 * across every worker and the CLI, so the rate is the deployment's, not each process's).
 */
import { type Kysely, type Migration, sql } from "kysely";

export const migration0008: Migration = {
  // biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was then, not StoreSchema.
  async up(db: Kysely<any>): Promise<void> {
    await db.schema
      .createTable("notice_notification_runs")
      .addColumn("version", "text", (c) => c.primaryKey().references("notice_versions.version"))
      .addColumn("state", "text", (c) => c.notNull().check(sql`state in ('collecting', 'sending', 'done', 'skipped')`))
      // What the change concerns (purposes, categories, everyone), the collections read and those that could not be.
      .addColumn("scope", "jsonb", (c) => c.notNull())
      .addColumn("recipients", "integer", (c) => c.notNull().defaultTo(0))
      .addColumn("reason", "text")
      .addColumn("started_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
      .addColumn("collected_at", "timestamptz")
      .addColumn("finished_at", "timestamptz")
      .addColumn("step_until", "timestamptz")
      .execute();
    await db.schema
      .createTable("notice_notifications")
      .addColumn("version", "text", (c) => c.notNull().references("notice_notification_runs.version"))
      .addColumn("recipient_hash", "text", (c) => c.notNull())
      .addColumn("address_enc", "text", (c) => c.notNull())
      .addColumn("subject_hashes", sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
      .addColumn("state", "text", (c) =>
        c
          .notNull()
          .defaultTo("pending")
          .check(sql`state in ('pending', 'sending', 'sent', 'failed', 'uncertain', 'withdrawn')`),
      )
      .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
      .addColumn("queued_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
      .addColumn("claimed_at", "timestamptz")
      .addColumn("sent_at", "timestamptz")
      // A coded error (STW_MAIL_FAILED …) of the last try, never the server's text about the person.
      .addColumn("error", "text")
      .addPrimaryKeyConstraint("notice_notifications_once", ["version", "recipient_hash"])
      .execute();
    await db.schema
      .createIndex("notice_notifications_state")
      .on("notice_notifications")
      .columns(["version", "state", "attempts", "recipient_hash"])
      .execute();
    await sql`create index notice_notifications_subjects on notice_notifications using gin (subject_hashes)`.execute(
      db,
    );
  },
};
