/**
 * The request service's own retention: a request's record — the row with its sealed identities and keyed hashes, its
 * verification code and its package — is kept for `recordMonths` after the request closed (24 by default: the CCPA
 * regulations keep records of requests and how they were answered for at least 24 months, 11 CCR §7101(a)) and then
 * deleted by the workers' sweep. Its audit events stay in the chain without their payloads
 * (src/audit/prune-audit-events.ts), so `steward audit verify` still proves the whole trail: that the events
 * happened, when, by whom and of which kind — and that the record was deleted, by the `records.deleted` event.
 *
 * Open requests are never deleted, nor the records of a person under a legal hold (evidence is kept while the hold
 * stands); lifted holds past the same period go with their sealed identities.
 */
import { sql } from "kysely";
import { pruneAuditEvents } from "../audit/prune-audit-events.ts";
import type { ServiceContext } from "./service-context.ts";

export interface DeletedRecords {
  readonly requests: number;
  /** Audit events whose payloads were removed. */
  readonly events: number;
  readonly holds: number;
}

/** `date` minus `months` calendar months (UTC), on the same day or the month's last day when it has no such day. */
export function monthsBefore(date: Date, months: number): Date {
  const y = date.getUTCFullYear();
  const m = date.getUTCMonth() - months;
  const last = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  const out = new Date(date);
  out.setUTCFullYear(y, m, Math.min(date.getUTCDate(), last));
  return out;
}

/** Deletes the records past their time, `batch` requests per transaction; returns what went. */
export async function deleteOldRecords(ctx: ServiceContext, batch = 200): Promise<DeletedRecords> {
  const months = ctx.config.recordMonths;
  const total = { requests: 0, events: 0, holds: 0 };
  if (months <= 0) return total;
  const cutoff = monthsBefore(ctx.now(), months);
  for (;;) {
    const done = await ctx.store.db.transaction().execute(async (trx) => {
      // Skipped while locked: another worker's sweep (or an operator) has the row; it is looked at next time.
      const rows = await trx
        .selectFrom("requests")
        .select("id")
        .where("closed_at", "<", cutoff)
        .where(({ not, exists, selectFrom }) =>
          not(
            exists(
              selectFrom("legal_holds")
                .select(sql.lit(1).as("one"))
                .where("lifted_at", "is", null)
                .where(sql<boolean>`legal_holds.subject_hash = any(requests.subject_hashes)`),
            ),
          ),
        )
        .orderBy("closed_at")
        .limit(batch)
        .forUpdate()
        .skipLocked()
        .execute();
      const holds = await trx.deleteFrom("legal_holds").where("lifted_at", "<", cutoff).returning("id").execute();
      if (rows.length === 0 && holds.length === 0) return { requests: 0, events: 0, holds: 0 };
      const ids = rows.map((r) => r.id);
      const pruned = await pruneAuditEvents(trx, ids, {
        requests: ids.length,
        holds: holds.length,
        closed_before: cutoff.toISOString(),
        kept_months: months,
      });
      if (ids.length > 0) {
        // An agent's link goes with its request (drp_requests references it; its callbacks cascade).
        await trx.deleteFrom("drp_requests").where("request_id", "in", ids).execute();
        await trx.deleteFrom("requests").where("id", "in", ids).execute();
      }
      return { requests: ids.length, events: pruned.events, holds: holds.length };
    });
    total.requests += done.requests;
    total.events += done.events;
    total.holds += done.holds;
    if (done.requests < batch) return total;
  }
}
