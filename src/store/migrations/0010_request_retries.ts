/**
 * Migration 10: automatic retries of a partial answer. A request left `partially_completed` (a store unreachable, a
 * write failed, the proof incomplete) is tried again by the workers at `retry_at`, with back-off, until it completes
 * or `auto_retries` reaches the configured bound; an operator's `retry` stays possible at any time.
 */
import { type Kysely, type Migration, sql } from "kysely";

export const migration0010: Migration = {
  // biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was then, not StoreSchema.
  async up(db: Kysely<any>): Promise<void> {
    await db.schema
      .alterTable("requests")
      .addColumn("retry_at", "timestamptz")
      .addColumn("auto_retries", "integer", (c) => c.notNull().defaultTo(0))
      .execute();
    await db.schema
      .createIndex("requests_retry_at")
      .on("requests")
      .column("retry_at")
      .where(sql.ref("retry_at"), "is not", null)
      .execute();
  },
};
