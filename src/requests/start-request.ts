/**
 * Starts, in a worker, a request that needed no further proof but was left `received` (`startLater`, the Data Rights
 * Protocol's intake): verified, then approval or work, as `afterVerified` does at intake. Idempotent: a request that
 * has moved on meanwhile (cancelled, started by another worker) is left as it is.
 */
import { afterVerified, type VerificationMethod } from "./advance-request.ts";
import { lockRequest } from "./move-request.ts";
import type { ServiceContext } from "./service-context.ts";

export interface StartJob {
  readonly request_id: string;
  readonly method: VerificationMethod;
}

export async function startRequest(ctx: ServiceContext, job: StartJob): Promise<void> {
  await ctx.store.db.transaction().execute(async (trx) => {
    const row = await lockRequest(trx, job.request_id);
    if (row.status !== "received") return;
    await afterVerified(ctx, trx, row, job.method, "system");
  });
}
