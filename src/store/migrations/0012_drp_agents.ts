/**
 * Migration 10: authorized agents of the Data Rights Protocol. A request names the agent that made it
 * (`requests.agent`); the agents' bearer tokens from the pair-wise key setup are kept as sha256 only; a DRP request
 * links a Steward request to the agent, its own id for it, where to send status callbacks and the last status sent
 * (a status never moves backwards); the signed exercises seen are kept by hash until they expire, to refuse replays.
 */
import { type Kysely, type Migration, sql } from "kysely";

export const migration0012: Migration = {
  // biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was then, not StoreSchema.
  async up(db: Kysely<any>): Promise<void> {
    await db.schema.alterTable("requests").addColumn("agent", "text").execute();
    await db.schema
      .createTable("drp_agent_tokens")
      .addColumn("token_hash", "text", (c) => c.primaryKey())
      .addColumn("agent_id", "text", (c) => c.notNull())
      .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
      .execute();
    await db.schema
      .createTable("drp_requests")
      .addColumn("request_id", "uuid", (c) => c.notNull().references("requests.id"))
      .addColumn("agent_id", "text", (c) => c.notNull())
      .addColumn("agent_request_id", "text")
      .addColumn("regime", "text")
      .addColumn("exercise", "text", (c) => c.notNull())
      .addColumn("status_callback", "text")
      /** A reference to the person's signed power of attorney (DRP 1.0 §3.04), sealed: it may name them. */
      .addColumn("power_of_attorney_enc", "text")
      .addColumn("received_at", "timestamptz", (c) => c.notNull())
      .addColumn("revoked_at", "timestamptz")
      /** The status object last answered or sent, as JSON, and its rank (open < in_progress < final). */
      .addColumn("announced", "text")
      .addColumn("announced_rank", "integer", (c) => c.notNull().defaultTo(0))
      /** The status object the last successful callback carried, as JSON: a callback is sent when it differs. */
      .addColumn("callback_sent", "text")
      .addPrimaryKeyConstraint("drp_requests_pk", ["request_id", "agent_id"])
      .execute();
    await db.schema
      .createTable("drp_messages")
      .addColumn("agent_id", "text", (c) => c.notNull())
      .addColumn("message_hash", "text", (c) => c.notNull())
      .addColumn("expires_at", "timestamptz", (c) => c.notNull())
      .addPrimaryKeyConstraint("drp_messages_pk", ["agent_id", "message_hash"])
      .execute();
  },
};
