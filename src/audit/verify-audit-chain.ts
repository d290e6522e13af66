/**
 * Walks the whole audit trail in id order and recomputes every hash. The chain holds when each event's `prev_hash` is
 * the hash of the event before it and its own `hash` matches its content. Reads in pages, so a trail of millions of
 * events is checked in constant memory.
 *
 * @example
 *   const result = await verifyAuditChain(store.db);
 *   if (!result.ok) console.log(`broken at event ${result.brokenAt.id}: ${result.brokenAt.why}`);
 */
import type { Kysely } from "kysely";
import type { StoreSchema } from "../store/store-schema.ts";
import { chainHash } from "./audit-hash.ts";

export type ChainVerdict =
  | { readonly ok: true; readonly events: number; readonly head: string }
  | {
      readonly ok: false;
      readonly events: number;
      readonly brokenAt: { readonly id: number; readonly kind: string; readonly why: string };
    };

const PAGE = 5_000;

export async function verifyAuditChain(db: Kysely<StoreSchema>): Promise<ChainVerdict> {
  let previous = "";
  let after = 0;
  let count = 0;
  for (;;) {
    const rows = await db
      .selectFrom("audit_events")
      .select(["id", "at", "actor", "kind", "request_id", "payload", "prev_hash", "hash"])
      .where("id", ">", after)
      .orderBy("id")
      .limit(PAGE)
      .execute();
    for (const row of rows) {
      count += 1;
      if (row.prev_hash !== previous) {
        const why = "its link to the event before it does not match: an event before it was removed, added or changed";
        return { ok: false, events: count, brokenAt: { id: row.id, kind: row.kind, why } };
      }
      const expected = chainHash(previous, {
        at: row.at.toISOString(),
        actor: row.actor,
        kind: row.kind,
        request_id: row.request_id,
        payload: row.payload,
      });
      if (expected !== row.hash) {
        const why = "its content does not match its hash: the event was changed after it was written";
        return { ok: false, events: count, brokenAt: { id: row.id, kind: row.kind, why } };
      }
      previous = row.hash;
      after = row.id;
    }
    if (rows.length < PAGE) return { ok: true, events: count, head: previous };
  }
}
