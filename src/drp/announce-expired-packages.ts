/**
 * `fulfilled` → `expired` (DRP 1.0 §3.02: "the time is currently after the `expires_at` in the request"): a fulfilled
 * request's `expires_at` is until when its package can be downloaded; once that has passed, the agents that follow
 * it are sent `expired` by callback like any other change. Run by the request service's sweep (every
 * `sweepSeconds`, default 60, on the service's clock), so the callback leaves within a sweep of the expiry.
 *
 * Each agent is told once: a link that already has a change at or after the expiry is not looked at again.
 */
import { sql } from "kysely";
import type { ServiceContext } from "../requests/service-context.ts";
import { queueStatusCallbacks } from "./queue-status-callbacks.ts";

/** Queues the `expired` callbacks now due; returns how many. */
export async function announceExpiredPackages(ctx: ServiceContext): Promise<number> {
  const jobs = ctx.jobs;
  if (!jobs) return 0;
  const now = ctx.now();
  const due = await ctx.store.db
    .selectFrom("requests as r")
    .innerJoin("drp_requests as l", "l.request_id", "r.id")
    .innerJoin("request_results as rr", "rr.request_id", "r.id")
    .select(["r.id", "l.agent_id", "rr.expires_at"])
    .where("r.status", "=", "completed")
    .where("l.status_callback", "is not", null)
    .where("rr.expires_at", "<=", now)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom("drp_callbacks as c")
            .select(sql.lit(1).as("one"))
            .whereRef("c.request_id", "=", "r.id")
            .whereRef("c.agent_id", "=", "l.agent_id")
            .whereRef("c.at", ">=", "rr.expires_at"),
        ),
      ),
    )
    .limit(500)
    .execute();
  let n = 0;
  for (const d of due)
    await ctx.store.db.transaction().execute(async (trx) => {
      const row = await trx.selectFrom("requests").selectAll().where("id", "=", d.id).executeTakeFirstOrThrow();
      if (row.status !== "completed") return;
      n += await queueStatusCallbacks(trx, row, d.expires_at, jobs, {
        agentId: d.agent_id,
        packageExpires: d.expires_at,
      });
    });
  return n;
}
