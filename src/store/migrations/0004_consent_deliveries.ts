/**
 * Migration 4: the consent outbox — one row per change and downstream system, written in the transaction that appends
 * the ledger event, and worked off by the delivery loop (src/consent/deliver-consent.ts) with retries and backoff.
 * The person is sealed (the vendor needs the e-mail address; the store alone does not show it), and the row keeps a
 * log of every attempt: when, and what came back — a status and the vendor's error type, never a body.
 */
import { type Kysely, type Migration, sql } from "kysely";

export const migration0004: Migration = {
  // biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was then, not StoreSchema.
  async up(db: Kysely<any>): Promise<void> {
    await db.schema
      .createTable("consent_deliveries")
      .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
      .addColumn("record_id", "uuid", (c) => c.notNull())
      // The event's place in the ledger: deliveries to one system for one person go out in this order.
      .addColumn("event_seq", "bigint", (c) => c.notNull())
      .addColumn("system", "text", (c) => c.notNull())
      .addColumn("kind", "text", (c) => c.notNull())
      .addColumn("purpose", "text", (c) => c.notNull())
      .addColumn("status", "text", (c) => c.notNull())
      // The person as the ledger knows them (keyed hash): deliveries to one system for one person go out in order,
      // and an erasure can find the pending ones.
      .addColumn("subject_hash", "text", (c) => c.notNull())
      // Sealed `type:value`; emptied once the row is final, so the outbox keeps no address it no longer needs.
      .addColumn("subject_enc", "text", (c) => c.notNull())
      .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
      .addColumn("state", "text", (c) =>
        c.notNull().defaultTo("pending").check(sql`state in ('pending', 'delivered', 'failed', 'skipped')`),
      )
      .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
      .addColumn("next_attempt_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
      .addColumn("delivered_at", "timestamptz")
      .addColumn("log", "jsonb", (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
      .addUniqueConstraint("consent_deliveries_once", ["record_id", "system"])
      .execute();
    await db.schema
      .createIndex("consent_deliveries_due")
      .on("consent_deliveries")
      .columns(["state", "next_attempt_at"])
      .execute();
    await db.schema
      .createIndex("consent_deliveries_order")
      .on("consent_deliveries")
      .columns(["system", "subject_hash", "event_seq"])
      .where(sql.ref("state"), "=", "pending")
      .execute();
  },
};
