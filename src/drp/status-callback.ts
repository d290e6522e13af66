/**
 * `POST $status_callback` (DRP 1.0 §2.03): the status object as JSON to the URL the agent gave, whenever a request it
 * follows changes (the job `drp.callback`, queued by every move of the request in the move's own transaction). DRP
 * 1.0 does not sign callbacks. A delivery not answered with a 2xx throws, so the job queue tries it again with
 * backoff; each attempt — delivered or failed — is in the audit trail (the callback's host, never its answer).
 *
 * Idempotent: the status last delivered is kept on the link, and the same status is not sent twice; a job that runs
 * late sends the status as it is then, never an older one.
 */
import { appendAuditEvent } from "../audit/append-audit-event.ts";
import { stewardError } from "../errors.ts";
import type { ServiceContext } from "../requests/service-context.ts";
import { announceStatus, currentStatus } from "./announce-status.ts";

export interface CallbackJob {
  readonly request_id: string;
}

/** How long an agent's callback endpoint may take to answer. */
const TIMEOUT_MS = 10_000;

export async function deliverStatusCallbacks(ctx: ServiceContext, job: CallbackJob): Promise<void> {
  const links = await ctx.store.db
    .selectFrom("drp_requests")
    .selectAll()
    .where("request_id", "=", job.request_id)
    .where("status_callback", "is not", null)
    .execute();
  const failures: Error[] = [];
  for (const link of links) {
    const row = await ctx.store.db
      .selectFrom("requests")
      .selectAll()
      .where("id", "=", job.request_id)
      .executeTakeFirst();
    if (!row) return;
    const status = await currentStatus(ctx, row, link);
    const body = JSON.stringify(status);
    if (body === link.callback_sent) continue;
    const url = link.status_callback!;
    const host = hostOf(url);
    const audit = (kind: string, extra: Record<string, string | number>) =>
      appendAuditEvent(ctx.store.db, {
        actor: "system",
        kind,
        request_id: row.id,
        payload: { agent: link.agent_id, status: status.status, host, ...extra },
      });
    let answer: number;
    try {
      const res = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body,
        signal: AbortSignal.timeout(TIMEOUT_MS),
        redirect: "manual",
      });
      await res.body?.cancel();
      answer = res.status;
    } catch (error) {
      const detail = error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : "";
      await audit("drp.callback_failed", { error: detail.slice(0, 200) });
      failures.push(stewardError("STW_DRP_CALLBACK_FAILED", { host, detail }));
      continue;
    }
    if (answer < 200 || answer > 299) {
      await audit("drp.callback_failed", { http_status: answer });
      failures.push(stewardError("STW_DRP_CALLBACK_FAILED", { host, detail: `it answered ${answer}` }));
      continue;
    }
    await ctx.store.db
      .updateTable("drp_requests")
      .set({ callback_sent: body })
      .where("request_id", "=", link.request_id)
      .where("agent_id", "=", link.agent_id)
      .execute();
    await announceStatus(ctx, ctx.store.db, row, link);
    await audit("drp.callback_delivered", { http_status: answer });
  }
  if (failures.length > 0) throw failures[0];
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return "(not a URL)";
  }
}
