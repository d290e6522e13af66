/**
 * Migration 5: the admin console's sessions. A session is opened by signing in with an API key and lives until it is
 * ended (signing out, the key revoked) or runs out. The store keeps the sha256 of the session cookie, never the cookie,
 * and the form token (CSRF) each of the session's forms must send back.
 */
import { type Kysely, type Migration, sql } from "kysely";

export const migration0005: Migration = {
  // biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was then, not StoreSchema.
  async up(db: Kysely<any>): Promise<void> {
    await db.schema
      .createTable("admin_sessions")
      .addColumn("id_hash", "text", (c) => c.primaryKey())
      .addColumn("key_id", "uuid", (c) => c.notNull().references("api_keys.id"))
      .addColumn("csrf", "text", (c) => c.notNull())
      .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
      .addColumn("last_seen_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
      .addColumn("expires_at", "timestamptz", (c) => c.notNull())
      .addColumn("ended_at", "timestamptz")
      .execute();
  },
};
