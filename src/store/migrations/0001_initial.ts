/**
 * Migration 1: the first tables — published notice versions, the audit trail and data-subject requests.
 *
 * Immutability is enforced by the database, not only by the code: a trigger rejects UPDATE and DELETE on
 * `notice_versions` and `audit_events` (and TRUNCATE on `audit_events`), so that a bug, a script or a person with a
 * SQL console cannot rewrite what was published or what happened.
 */
import { type Kysely, type Migration, sql } from "kysely";
import { REQUEST_TYPES } from "../../manifest/types.ts";

export const migration0001: Migration = {
  // biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was then, not StoreSchema.
  async up(db: Kysely<any>): Promise<void> {
    await sql`
      create function steward_reject_change() returns trigger language plpgsql as $$
      begin
        raise exception 'table % is append-only: % is not allowed', tg_table_name, tg_op
          using errcode = 'restrict_violation';
      end
      $$`.execute(db);

    await db.schema
      .createTable("notice_versions")
      .addColumn("version", "text", (c) => c.primaryKey())
      .addColumn("effective_date", "date", (c) => c.notNull())
      .addColumn("manifest_hash", "text", (c) => c.notNull().check(sql`manifest_hash ~ '^[0-9a-f]{64}$'`))
      .addColumn("rendered_md", "text", (c) => c.notNull())
      .addColumn("rendered_html", "text", (c) => c.notNull())
      .addColumn("published_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
      .execute();

    await db.schema
      .createTable("requests")
      .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
      .addColumn("type", "text", (c) =>
        c.notNull().check(sql`type in (${sql.join(REQUEST_TYPES.map((t) => sql.lit(t)))})`),
      )
      .addColumn("status", "text", (c) => c.notNull())
      .addColumn("jurisdiction", "text")
      .addColumn("identities_hash", "text", (c) => c.notNull())
      .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
      .addColumn("due_at", "timestamptz", (c) => c.notNull())
      .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
      .addColumn("closed_at", "timestamptz")
      .addColumn("notice_version", "text", (c) => c.references("notice_versions.version"))
      .execute();
    await db.schema.createIndex("requests_status_due_at").on("requests").columns(["status", "due_at"]).execute();
    await db.schema.createIndex("requests_identities_hash").on("requests").column("identities_hash").execute();

    // No foreign key to `requests`: the trail must outlive any change to the rows it talks about.
    await db.schema
      .createTable("audit_events")
      .addColumn("id", "bigint", (c) => c.primaryKey().generatedAlwaysAsIdentity())
      .addColumn("at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
      .addColumn("actor", "text", (c) => c.notNull())
      .addColumn("kind", "text", (c) => c.notNull())
      .addColumn("request_id", "uuid")
      .addColumn("payload", "jsonb", (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
      .execute();
    await db.schema.createIndex("audit_events_request_id").on("audit_events").column("request_id").execute();

    for (const table of ["notice_versions", "audit_events"]) {
      await sql`
        create trigger ${sql.id(`${table}_immutable`)} before update or delete on ${sql.table(table)}
        for each row execute function steward_reject_change()`.execute(db);
    }
    await sql`
      create trigger audit_events_no_truncate before truncate on audit_events
      for each statement execute function steward_reject_change()`.execute(db);
  },
};
