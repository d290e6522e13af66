/**
 * Walks a hash chain in order and recomputes every hash: the audit trail's and the consent ledger's. A chain holds
 * when each entry's `prev_hash` is the hash of the entry before it and its own `hash` matches its content. Reads in
 * pages, so a chain of millions of entries is checked in constant memory.
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

export interface Linked {
  readonly prev_hash: string;
  readonly hash: string;
}

const PAGE = 5_000;

/** The shared walk: `page(after)` returns the next entries in chain order; `expected` recomputes one hash. */
export async function walkChain<R extends Linked>(
  page: (after: string, limit: number) => Promise<R[]>,
  positionOf: (row: R) => string,
  kindOf: (row: R) => string,
  expected: (previous: string, row: R) => string,
): Promise<ChainVerdict> {
  let previous = "";
  let after = "0";
  let count = 0;
  for (;;) {
    const rows = await page(after, PAGE);
    for (const row of rows) {
      count += 1;
      const id = Number(positionOf(row));
      if (row.prev_hash !== previous) {
        const why = "its link to the entry before it does not match: an entry before it was removed, added or changed";
        return { ok: false, events: count, brokenAt: { id, kind: kindOf(row), why } };
      }
      if (expected(previous, row) !== row.hash) {
        const why = "its content does not match its hash: the entry was changed after it was written";
        return { ok: false, events: count, brokenAt: { id, kind: kindOf(row), why } };
      }
      previous = row.hash;
      after = positionOf(row);
    }
    if (rows.length < PAGE) return { ok: true, events: count, head: previous };
  }
}

export function verifyAuditChain(db: Kysely<StoreSchema>): Promise<ChainVerdict> {
  return walkChain(
    (after, limit) =>
      db
        .selectFrom("audit_events")
        .select(["id", "at", "actor", "kind", "request_id", "payload", "prev_hash", "hash"])
        .where("id", ">", Number(after))
        .orderBy("id")
        .limit(limit)
        .execute(),
    (row) => String(row.id),
    (row) => row.kind,
    (previous, row) =>
      chainHash(previous, {
        at: row.at.toISOString(),
        actor: row.actor,
        kind: row.kind,
        request_id: row.request_id,
        payload: row.payload,
      }),
  );
}
