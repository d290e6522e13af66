/**
 * Migration 3: the consent ledger — every consent given, withdrawn or objected to, every opt-out signal and every
 * restriction of processing, appended and hash-chained; and the links that join a browser's pseudonymous device id to
 * the person who signed in on it.
 *
 * Both tables are append-only (the trigger of migration 1): the current state of a person's choices is derived from
 * the ledger, never edited in place. The values a status and a method may take are spelled out here, as they were
 * when this migration shipped.
 */
import { type Kysely, type Migration, sql } from "kysely";

const STATUSES = ["granted", "withdrawn", "objected", "restricted", "unrestricted", "under_age"];
const METHODS = ["banner", "preferences", "api", "gpc", "request", "import", "host_event", "admin"];

export const migration0003: Migration = {
  // biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was then, not StoreSchema.
  async up(db: Kysely<any>): Promise<void> {
    await db.schema
      .createTable("consent_events")
      .addColumn("seq", "bigint", (c) => c.primaryKey().generatedAlwaysAsIdentity())
      .addColumn("record_id", "uuid", (c) => c.notNull().unique())
      .addColumn("at", "timestamptz", (c) => c.notNull())
      .addColumn("subject_hash", "text", (c) => c.notNull())
      .addColumn("subject_type", "text", (c) => c.notNull())
      .addColumn("purpose", "text", (c) => c.notNull())
      .addColumn("status", "text", (c) =>
        c.notNull().check(sql`status in (${sql.join(STATUSES.map((s) => sql.lit(s)))})`),
      )
      .addColumn("method", "text", (c) =>
        c.notNull().check(sql`method in (${sql.join(METHODS.map((s) => sql.lit(s)))})`),
      )
      .addColumn("notice_version", "text")
      .addColumn("jurisdiction", "text")
      .addColumn("proof", "text")
      .addColumn("request_id", "uuid")
      .addColumn("actor", "text", (c) => c.notNull())
      .addColumn("prev_hash", "text", (c) => c.notNull())
      .addColumn("hash", "text", (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex("consent_events_subject")
      .on("consent_events")
      .columns(["subject_hash", "seq"])
      .execute();
    await db.schema.createIndex("consent_events_purpose_at").on("consent_events").columns(["purpose", "at"]).execute();

    await db.schema
      .createTable("consent_links")
      .addColumn("device_hash", "text", (c) => c.notNull())
      .addColumn("subject_hash", "text", (c) => c.notNull())
      .addColumn("linked_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
      .addPrimaryKeyConstraint("consent_links_pk", ["device_hash", "subject_hash"])
      .execute();
    await db.schema.createIndex("consent_links_subject").on("consent_links").column("subject_hash").execute();

    for (const table of ["consent_events", "consent_links"]) {
      await sql`
        create trigger ${sql.id(`${table}_immutable`)} before update or delete on ${sql.table(table)}
        for each row execute function steward_reject_change()`.execute(db);
      await sql`
        create trigger ${sql.id(`${table}_no_truncate`)} before truncate on ${sql.table(table)}
        for each statement execute function steward_reject_change()`.execute(db);
    }
  },
};
