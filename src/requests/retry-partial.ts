/**
 * Automatic retries of partial answers, run by the workers' sweep: a request left `partially_completed` whose
 * `retry_at` has come goes back to `in_progress` with its job, as an operator's `retry` would, and the engine runs it
 * again. Nothing done is done twice: the engine's erasure is idempotent (what is gone is not found again, masks are
 * fixed points), an access only reads, and the answer is recorded once, by the run that finishes it
 * (`executeRequest`). The back-off and the bound come from the configuration (`retrySeconds`, `retryTries`).
 */
import { startWork } from "./advance-request.ts";
import { lockRequest } from "./move-request.ts";
import type { ServiceContext } from "./service-context.ts";

/** Starts every automatic retry that is due now; returns how many. */
export async function retryPartial(ctx: ServiceContext, limit = 100): Promise<number> {
  const now = ctx.now();
  const due = await ctx.store.db
    .selectFrom("requests")
    .select("id")
    .where("status", "=", "partially_completed")
    .where("retry_at", "<=", now)
    .orderBy("retry_at")
    .limit(limit)
    .execute();
  let n = 0;
  for (const { id } of due) {
    await ctx.store.db.transaction().execute(async (trx) => {
      const row = await lockRequest(trx, id);
      // Another worker's sweep, or an operator, came first.
      if (row.status !== "partially_completed" || !row.retry_at || row.retry_at > now) return;
      const retry = row.auto_retries + 1;
      await startWork(
        ctx,
        trx,
        row,
        "system",
        "request.retried",
        { retry_at: null, auto_retries: retry },
        { automatic: true, retry, of: ctx.config.retryTries },
      );
      n += 1;
    });
  }
  return n;
}
