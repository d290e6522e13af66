/**
 * Migration 14: the Data Rights Protocol's status callbacks, one row per status change of a request an agent follows
 * (DRP 1.0 §2.03: "the PIP SHALL use that mechanism to notify Authorized Agents of status updates"). A move of the
 * request writes the row in its own transaction with the facts the status is made of at that moment (no personal
 * data: the request's state, dates, the operator's reason, the package's expiry); the `drp.callback` job sends the
 * rows of a link in order, one delivery each, and stops at the first that fails, so an agent never hears an older
 * status after a newer one. `at` is the moment the status holds from: a move's time, or the package's expiry.
 */
import { type Kysely, type Migration, sql } from "kysely";

export const migration0014: Migration = {
  // biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was then, not StoreSchema.
  async up(db: Kysely<any>): Promise<void> {
    await db.schema
      .createTable("drp_callbacks")
      .addColumn("id", "bigserial", (c) => c.primaryKey())
      .addColumn("request_id", "uuid", (c) => c.notNull().references("requests.id").onDelete("cascade"))
      .addColumn("agent_id", "text", (c) => c.notNull())
      /** The request's state as the status is computed from it (src/drp/status-facts.ts), as JSON. */
      .addColumn("facts", "text", (c) => c.notNull())
      .addColumn("at", "timestamptz", (c) => c.notNull())
      .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
      /** A worker sending it; another leaves it (and the rows after it) alone until this is old. */
      .addColumn("claimed_at", "timestamptz")
      /** Sent and answered 2xx, or passed over (the same status as the last sent, or one behind what was told). */
      .addColumn("done_at", "timestamptz")
      .execute();
    await db.schema
      .createIndex("drp_callbacks_pending")
      .on("drp_callbacks")
      .columns(["request_id", "agent_id", "id"])
      .where(sql.ref("done_at"), "is", null)
      .execute();
  },
};
