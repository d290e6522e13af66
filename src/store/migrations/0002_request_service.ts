/**
 * Migration 2: what the request service needs — the request's encrypted identities and details, its person's token,
 * verification codes, the clock (verification, pauses, extension), results, API keys, legal holds, settings, and a
 * hash chain over the audit trail.
 *
 * The request types are spelled out here rather than imported: a migration must keep meaning what it meant when it
 * shipped, whatever later code calls a request type.
 */
import { createHash } from "node:crypto";
import { type Kysely, type Migration, sql } from "kysely";

const TYPES = [
  "access",
  "erasure",
  "rectification",
  "restriction",
  "portability",
  "objection",
  "opt_out_sale_sharing",
  "limit_sensitive",
  "withdraw_consent",
];

/** The chain's hash as it was defined when this migration shipped (src/audit/audit-hash.ts computes the same). */
function chainHash(previous: string, event: Record<string, unknown>): string {
  return createHash("sha256").update(previous).update("\n").update(canonical(event)).digest("hex");
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

export const migration0002: Migration = {
  // biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was then, not StoreSchema.
  async up(db: Kysely<any>): Promise<void> {
    await sql`alter table requests drop constraint if exists requests_type_check`.execute(db);
    await sql`alter table requests add constraint requests_type_check
      check (type in (${sql.join(TYPES.map((t) => sql.lit(t)))}))`.execute(db);
    // A stop-the-clock law (UK GDPR) has no due date until the person is verified.
    await sql`alter table requests alter column due_at drop not null`.execute(db);
    await db.schema
      .alterTable("requests")
      .addColumn("identities_enc", "text")
      .addColumn("subject_hashes", sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
      .addColumn("details_enc", "text")
      .addColumn("token_hashes", sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
      .addColumn("source", "text", (c) => c.notNull().defaultTo("person"))
      .addColumn("verification_level", "text", (c) => c.notNull().defaultTo("email"))
      .addColumn("verified_at", "timestamptz")
      .addColumn("verification_method", "text")
      .addColumn("clock_started_at", "timestamptz")
      .addColumn("acknowledge_by", "timestamptz")
      .addColumn("extended_at", "timestamptz")
      .addColumn("paused_since", "timestamptz")
      .addColumn("pauses", "jsonb", (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
      .addColumn("requires_approval", "boolean", (c) => c.notNull().defaultTo(false))
      .addColumn("approved_at", "timestamptz")
      .addColumn("outcome", "jsonb")
      .addColumn("reason", "text")
      .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
      .execute();
    await sql`create index requests_subject_hashes on requests using gin (subject_hashes)`.execute(db);

    await db.schema
      .createTable("verification_codes")
      .addColumn("request_id", "uuid", (c) => c.primaryKey().references("requests.id").onDelete("cascade"))
      .addColumn("code_hash", "text", (c) => c.notNull())
      .addColumn("expires_at", "timestamptz", (c) => c.notNull())
      .addColumn("tries", "integer", (c) => c.notNull().defaultTo(0))
      .addColumn("sends", "integer", (c) => c.notNull().defaultTo(1))
      .addColumn("sent_at", "timestamptz", (c) => c.notNull())
      .addColumn("locked_at", "timestamptz")
      .execute();

    await db.schema
      .createTable("request_results")
      .addColumn("request_id", "uuid", (c) => c.primaryKey().references("requests.id").onDelete("cascade"))
      .addColumn("package_enc", "bytea", (c) => c.notNull())
      .addColumn("bytes", "integer", (c) => c.notNull())
      .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
      .addColumn("expires_at", "timestamptz", (c) => c.notNull())
      .execute();

    await db.schema
      .createTable("api_keys")
      .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
      .addColumn("name", "text", (c) => c.notNull())
      .addColumn("role", "text", (c) => c.notNull().check(sql`role in ('admin', 'approver', 'viewer')`))
      .addColumn("key_hash", "text", (c) => c.notNull().unique())
      .addColumn("prefix", "text", (c) => c.notNull())
      .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
      .addColumn("last_used_at", "timestamptz")
      .addColumn("revoked_at", "timestamptz")
      .execute();

    await db.schema
      .createTable("legal_holds")
      .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
      .addColumn("subject_hash", "text", (c) => c.notNull())
      .addColumn("reason", "text", (c) => c.notNull())
      .addColumn("placed_by", "text", (c) => c.notNull())
      .addColumn("placed_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
      .addColumn("lifted_by", "text")
      .addColumn("lifted_at", "timestamptz")
      .execute();
    await db.schema.createIndex("legal_holds_subject").on("legal_holds").column("subject_hash").execute();

    await db.schema
      .createTable("settings")
      .addColumn("key", "text", (c) => c.primaryKey())
      .addColumn("value", "text", (c) => c.notNull())
      .execute();

    // The chain: each event's hash covers the previous event's hash and its own content. Events written before
    // this migration are chained now, in id order, so that `steward audit verify` covers the whole trail.
    await db.schema.alterTable("audit_events").addColumn("prev_hash", "text").addColumn("hash", "text").execute();
    await sql`alter table audit_events disable trigger audit_events_immutable`.execute(db);
    const rows = await sql<{
      id: string;
      at: Date;
      actor: string;
      kind: string;
      request_id: string | null;
      payload: unknown;
    }>`select id, at, actor, kind, request_id, payload from audit_events order by id`.execute(db);
    let previous = "";
    for (const row of rows.rows) {
      const at = new Date(row.at);
      const payload = typeof row.payload === "string" ? JSON.parse(row.payload) : row.payload;
      const hash = chainHash(previous, {
        at: at.toISOString(),
        actor: row.actor,
        kind: row.kind,
        request_id: row.request_id,
        payload,
      });
      await sql`update audit_events set at = ${at.toISOString()}::timestamptz, prev_hash = ${previous}, hash = ${hash}
        where id = ${row.id}`.execute(db);
      previous = hash;
    }
    await sql`alter table audit_events enable trigger audit_events_immutable`.execute(db);
    await sql`alter table audit_events alter column prev_hash set not null`.execute(db);
    await sql`alter table audit_events alter column hash set not null`.execute(db);
  },
};
