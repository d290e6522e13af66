/**
 * The moves that follow one another without anyone deciding: once verified, a request waits for approval where that
 * is required, else work starts — a job for the engine, enqueued in the same transaction, or, for the requests that
 * change processing rather than data, the consent ledger's events and the completion, in that same transaction. Mails are jobs too, so a crash after the commit
 * still sends them.
 */

import type { Kysely, Updateable } from "kysely";
import { inTransaction } from "../jobs/job-queue.ts";
import type { AuditPayload, RequestsTable, StoreSchema } from "../store/store-schema.ts";
import { carryOutChoice } from "./carry-out-choice.ts";
import { changesData } from "./lifecycle.ts";
import { moveRequest, type RequestRow } from "./move-request.ts";
import { clockOf } from "./request-clock.ts";
import type { ServiceContext } from "./service-context.ts";

/** What a mail is about. Every kind goes to the person but `needs_operator`, which goes to the operator's address. */
export type MailKind = "received" | "ready" | "done" | "denied" | "extended" | "expired" | "locked" | "needs_operator";

export interface MailJob {
  readonly request_id: string;
  readonly kind: MailKind;
}

/** How a request was verified: the mailed code, a signed-in user, nothing needed, a host event, an authorized agent. */
export type VerificationMethod = "email_code" | "account" | "none" | "host_event" | "agent";

export async function queueMail(
  ctx: ServiceContext,
  trx: Kysely<StoreSchema>,
  row: RequestRow,
  kind: MailKind,
): Promise<void> {
  if (!ctx.jobs) throw new Error("the request service was opened without a job queue");
  await ctx.jobs.send("request.mail", { request_id: row.id, kind } satisfies MailJob, inTransaction(trx));
}

export async function afterVerified(
  ctx: ServiceContext,
  trx: Kysely<StoreSchema>,
  row: RequestRow,
  method: VerificationMethod,
  actor: string,
): Promise<RequestRow> {
  const now = ctx.now();
  const clock = clockOf(ctx.manifest, { ...row, verified_at: now }, now, ctx.config.timeZone);
  let current = await moveRequest(
    trx,
    row,
    {
      to: "verified",
      action: "verify",
      actor,
      payload: { method },
      set: { verified_at: now, verification_method: method, ...clock },
    },
    now,
    ctx.jobs,
  );
  await queueMail(ctx, trx, current, "received");
  if (current.requires_approval) {
    return moveRequest(trx, current, { to: "awaiting_approval", action: "verify", actor: "system" }, now, ctx.jobs);
  }
  current = await startWork(ctx, trx, current, "system");
  return current;
}

/** verified | awaiting_approval | partially_completed → in_progress, with its job. */
export async function startWork(
  ctx: ServiceContext,
  trx: Kysely<StoreSchema>,
  row: RequestRow,
  actor: string,
  kind = "request.in_progress",
  set: Updateable<RequestsTable> = {},
  payload: AuditPayload = {},
): Promise<RequestRow> {
  const now = ctx.now();
  const data = changesData(row.type);
  const moved = await moveRequest(
    trx,
    row,
    {
      to: "in_progress",
      action: kind === "request.retried" ? "retry" : "start",
      actor,
      kind,
      payload: { runs: data ? "engine" : "consent ledger", ...payload },
      ...(kind === "request.retried" ? { from: ["in_progress", "partially_completed"] as const } : {}),
      set,
    },
    now,
    ctx.jobs,
  );
  if (!data) return carryOutChoice(ctx, trx, moved, actor);
  if (!ctx.jobs) throw new Error("the request service was opened without a job queue");
  await ctx.jobs.send("request.execute", { request_id: row.id }, inTransaction(trx));
  return moved;
}
