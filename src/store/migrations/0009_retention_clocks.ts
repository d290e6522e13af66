/**
 * Migration 9: the clocks of retention rules counted from an event (`period` + `after`, e.g. a year after the course
 * is completed): one row per rule and person, started by the event (a later one starts it again), done once the
 * person's rows of that rule are gone. The person is sealed (bound to the rule and the key) and otherwise known by
 * a keyed hash of their identities only.
 */
import { type Kysely, type Migration, sql } from "kysely";

export const migration0009: Migration = {
  // biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was then, not StoreSchema.
  async up(db: Kysely<any>): Promise<void> {
    await db.schema
      .createTable("retention_clocks")
      .addColumn("rule", "text", (c) => c.notNull())
      .addColumn("subject_key", "text", (c) => c.notNull())
      .addColumn("identities_enc", "text", (c) => c.notNull())
      .addColumn("started_at", "timestamptz", (c) => c.notNull())
      .addColumn("done_at", "timestamptz")
      .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
      .addPrimaryKeyConstraint("retention_clocks_pk", ["rule", "subject_key"])
      .execute();
    await db.schema
      .createIndex("retention_clocks_due")
      .on("retention_clocks")
      .columns(["rule", "started_at"])
      .where(sql.ref("done_at"), "is", null)
      .execute();
  },
};
