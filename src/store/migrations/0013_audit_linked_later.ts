/**
 * Migration 13: audit events are written unlinked and chained afterwards. Until now every audited change took the
 * chain's lock and held it to its commit, so every change of every process waited on every other (the `requests`
 * benchmark spent most of its time there). Now a change inserts its events with no lock and no hashes; a linker
 * (src/audit/link-audit-chain.ts) takes the lock briefly, gives the waiting events their place in the chain (`seq`)
 * and their two hashes, many in one commit. The chain's order is `seq`, the order they were linked in; `id` stays the
 * order they were written in.
 *
 * The trail stays append-only. The trigger allows exactly two updates: linking an unlinked event (setting `seq`,
 * `prev_hash` and `hash`, once, nothing else), and, as before, removing a linked event's payload when its request's
 * record is deleted (migration 11). A check keeps the three chain columns all set or all empty.
 *
 * Events written before this migration are already chained in id order: their `seq` is their id.
 */
import { type Kysely, type Migration, sql } from "kysely";

export const migration0013: Migration = {
  // biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was then, not StoreSchema.
  async up(db: Kysely<any>): Promise<void> {
    await db.schema.alterTable("audit_events").addColumn("seq", "bigint").execute();
    await sql`alter table audit_events disable trigger audit_events_immutable`.execute(db);
    await sql`update audit_events set seq = id`.execute(db);
    await sql`alter table audit_events enable trigger audit_events_immutable`.execute(db);
    await sql`alter table audit_events alter column prev_hash drop not null, alter column hash drop not null`.execute(
      db,
    );
    await sql`alter table audit_events add constraint audit_events_linked
      check ((seq is null) = (hash is null) and (hash is null) = (prev_hash is null))`.execute(db);
    await sql`create unique index audit_events_seq on audit_events (seq)`.execute(db);
    await sql`create index audit_events_unlinked on audit_events (id) where seq is null`.execute(db);
    await sql`
      create function steward_audit_append_only() returns trigger language plpgsql as $$
      begin
        if tg_op = 'UPDATE'
          and new.id = old.id and new.at = old.at and new.actor = old.actor and new.kind = old.kind
          and new.request_id is not distinct from old.request_id then
          -- Linking: once, the chain's columns only.
          if old.seq is null and new.seq is not null and new.prev_hash is not null and new.hash is not null
            and new.payload = old.payload and new.pruned_by is not distinct from old.pruned_by then
            return new;
          end if;
          -- Removing a linked event's payload with its request's record (migration 11).
          if old.seq is not null and new.seq = old.seq
            and old.pruned_by is null and new.pruned_by is not null and new.pruned_by > old.id
            and new.payload = '{}'::jsonb and new.prev_hash = old.prev_hash and new.hash = old.hash then
            return new;
          end if;
        end if;
        raise exception 'table % is append-only: % is not allowed (only linking an event into the chain, or removing an expired request''s payload)',
          tg_table_name, tg_op using errcode = 'restrict_violation';
      end
      $$`.execute(db);
    await sql`drop trigger audit_events_immutable on audit_events`.execute(db);
    await sql`
      create trigger audit_events_immutable before update or delete on audit_events
      for each row execute function steward_audit_append_only()`.execute(db);
    await sql`drop function steward_audit_prune_only()`.execute(db);
  },
};
