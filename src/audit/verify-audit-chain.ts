/**
 * Walks a hash chain in order and recomputes every hash: the audit trail's and the consent ledger's. A chain holds
 * when each entry's `prev_hash` is the hash of the entry before it and its own `hash` matches its content. Reads in
 * pages, so a chain of millions of entries is checked in constant memory.
 *
 * @example
 *   const result = await verifyAuditChain(store.db);
 *   if (!result.ok) console.log(`broken at event ${result.brokenAt.id}: ${result.brokenAt.why}`);
 */
import { createHash, type Hash } from "node:crypto";
import type { Kysely } from "kysely";
import type { StoreSchema } from "../store/store-schema.ts";
import { chainHash, prunedLine } from "./audit-hash.ts";
import { linkAuditChain } from "./link-audit-chain.ts";

export type ChainVerdict =
  | {
      readonly ok: true;
      readonly events: number;
      readonly head: string;
      /** Events that are there without their payloads (their request's record was deleted); audit chain only. */
      readonly pruned?: number;
      /**
       * Events written but not linked into the chain when it was checked (audit chain only): written by a change
       * still committing, or left when linking was not allowed (`link: false`). They are checked once linked.
       */
      readonly waiting?: number;
    }
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

/**
 * The request trail's chain. Besides every link and every hash, it checks the events whose payloads were removed
 * when their request's record was deleted (src/audit/prune-audit-events.ts): such an event's own hash cannot be
 * recomputed without its payload, so what is left of it is checked against the digest its `records.deleted` event —
 * whose hash is recomputed like any other's — carries. The verdict counts them (`pruned`).
 *
 * It first links the events waiting to be (src/audit/link-audit-chain.ts), so that what it checks is the whole trail
 * up to now; with `link: false` (a reader that may not write) it checks the linked chain and counts the rest
 * (`waiting`).
 */
export async function verifyAuditChain(
  db: Kysely<StoreSchema>,
  options: { link?: boolean } = {},
): Promise<ChainVerdict> {
  if (options.link !== false) await linkAuditChain(db);
  let previous = "";
  let after = 0;
  let count = 0;
  let pruned = 0;
  // Per `records.deleted` event still ahead: the events it emptied so far, and the first of them (to name it).
  const groups = new Map<number, { count: number; digest: Hash; first: { id: number; kind: string } }>();
  const broken = (id: number, kind: string, why: string): ChainVerdict => ({
    ok: false,
    events: count,
    brokenAt: { id, kind, why },
  });
  for (;;) {
    const rows = await db
      .selectFrom("audit_events")
      .select(["id", "seq", "at", "actor", "kind", "request_id", "payload", "prev_hash", "hash", "pruned_by"])
      .where("seq", ">", after)
      .orderBy("seq")
      .limit(PAGE)
      .execute();
    for (const linked of rows) {
      count += 1;
      const { seq, prev_hash, hash } = linked;
      // The query asks for linked events, and a check keeps the three columns set together.
      if (seq === null || prev_hash === null || hash === null) throw new Error(`event ${linked.id} is not linked`);
      const row = { ...linked, seq, prev_hash, hash };
      if (row.prev_hash !== previous)
        return broken(
          row.id,
          row.kind,
          "its link to the entry before it does not match: an entry before it was removed, added or changed",
        );
      if (row.pruned_by !== null) {
        if (row.pruned_by <= row.id)
          return broken(row.id, row.kind, "its payload was removed by an event that comes before it");
        const group = groups.get(row.pruned_by) ?? {
          count: 0,
          digest: createHash("sha256"),
          first: { id: row.id, kind: row.kind },
        };
        group.count += 1;
        group.digest.update(prunedLine(row));
        groups.set(row.pruned_by, group);
        pruned += 1;
      } else {
        const content = {
          at: row.at.toISOString(),
          actor: row.actor,
          kind: row.kind,
          request_id: row.request_id,
          payload: row.payload,
        };
        if (chainHash(previous, content) !== row.hash)
          return broken(
            row.id,
            row.kind,
            "its content does not match its hash: the entry was changed after it was written",
          );
        if (row.kind === "records.deleted") {
          const group = groups.get(row.id);
          groups.delete(row.id);
          const digest = (group?.digest ?? createHash("sha256")).digest("hex");
          if (row.payload["events"] !== (group?.count ?? 0) || row.payload["digest"] !== digest)
            return broken(
              row.id,
              row.kind,
              "the events whose payloads it removed are not the ones it names: one of them was removed, added or changed",
            );
        }
      }
      previous = row.hash;
      after = row.seq;
    }
    if (rows.length < PAGE) break;
  }
  const waiting = await db
    .selectFrom("audit_events")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("seq", "is", null)
    .executeTakeFirst();
  const [, left] = [...groups][0] ?? [];
  if (left)
    return broken(left.first.id, left.first.kind, "its payload was removed by an event that is not in the trail");
  return { ok: true, events: count, head: previous, pruned, waiting: Number(waiting?.n ?? 0) };
}
