/**
 * Migration 11: request records are kept for a set time after they close (24 months by default, CCPA regs §7101)
 * and then deleted — the request row with its sealed identities, its code and its package — while the audit trail
 * stays verifiable.
 *
 * The trail stays append-only with one exception: an event of a deleted request loses its payload (set to `{}`),
 * and `pruned_by` names the `records.deleted` event that did it; every other column — time, actor, kind, request id
 * and both hashes — stays as written, so the chain's links all still hold. The `records.deleted` event, chained like
 * any other, carries a digest of exactly the events whose payloads it removed, so that removing, adding or changing
 * one of them afterwards is found by `steward audit verify` (src/audit/verify-audit-chain.ts). The trigger allows
 * that one change and refuses every other UPDATE, any DELETE and TRUNCATE, as before.
 */
import { type Kysely, type Migration, sql } from "kysely";

export const migration0011: Migration = {
  // biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was then, not StoreSchema.
  async up(db: Kysely<any>): Promise<void> {
    await db.schema.alterTable("audit_events").addColumn("pruned_by", "bigint").execute();
    await sql`
      create function steward_audit_prune_only() returns trigger language plpgsql as $$
      begin
        if tg_op = 'UPDATE'
          and old.pruned_by is null and new.pruned_by is not null and new.pruned_by > old.id
          and new.payload = '{}'::jsonb
          and new.id = old.id and new.at = old.at and new.actor = old.actor and new.kind = old.kind
          and new.request_id is not distinct from old.request_id
          and new.prev_hash = old.prev_hash and new.hash = old.hash then
          return new;
        end if;
        raise exception 'table % is append-only: % is not allowed (only an expired request''s payload may be removed)',
          tg_table_name, tg_op using errcode = 'restrict_violation';
      end
      $$`.execute(db);
    await sql`drop trigger audit_events_immutable on audit_events`.execute(db);
    await sql`
      create trigger audit_events_immutable before update or delete on audit_events
      for each row execute function steward_audit_prune_only()`.execute(db);
    await sql`create index requests_closed_at on requests (closed_at) where closed_at is not null`.execute(db);
  },
};
