/**
 * `POST $status_callback` (DRP 1.0 §2.03): the status object as JSON to the URL the agent gave, once for every status
 * change of a request it follows (the job `drp.callback`; the changes are written by the moves themselves,
 * src/drp/queue-status-callbacks.ts). DRP 1.0 does not sign callbacks.
 *
 * In order, one delivery each: the job sends the pending changes of each agent's link oldest first and stops at the
 * first that is not answered with a 2xx; the job queue tries it again with backoff, and nothing later is sent before
 * it, so an agent never hears an older status after a newer one. A change whose status is the same as the one last
 * sent (an in_progress that stays in_progress) is not sent again, nor one that would go back behind what the agent
 * was already told (an answer to a status request may have told it more). Each attempt — delivered or failed — is in
 * the audit trail (the callback's host, never its answer).
 *
 * Two workers do not send the same change: a worker claims the link's oldest pending change first; another finding
 * it claimed leaves the link to it (a claim older than the lease is taken over).
 */
import { appendAuditEvent } from "../audit/append-audit-event.ts";
import { stewardError } from "../errors.ts";
import type { RequestRow } from "../requests/move-request.ts";
import type { ServiceContext } from "../requests/service-context.ts";
import { type DrpLink, mayTell, recordTold } from "./announce-status.ts";
import { type StatusObject, statusOf } from "./drp-status.ts";
import { readFacts } from "./queue-status-callbacks.ts";

export interface CallbackJob {
  readonly request_id: string;
}

/** How long an agent's callback endpoint may take to answer. */
const TIMEOUT_MS = 10_000;
/** After this long a claimed change counts as abandoned (its worker died) and is taken over. */
const CLAIM_MS = 5 * 60_000;

export async function deliverStatusCallbacks(ctx: ServiceContext, job: CallbackJob): Promise<void> {
  const links = await ctx.store.db
    .selectFrom("drp_requests")
    .selectAll()
    .where("request_id", "=", job.request_id)
    .where("status_callback", "is not", null)
    .execute();
  const failures: Error[] = [];
  for (const first of links) {
    const failure = await deliverLink(ctx, first);
    if (failure) failures.push(failure);
  }
  if (failures.length > 0) throw failures[0];
}

/** Sends the link's pending changes in order; the failure that stopped it, if one did. */
async function deliverLink(ctx: ServiceContext, first: DrpLink): Promise<Error | undefined> {
  const db = ctx.store.db;
  let link = first;
  for (;;) {
    const now = ctx.now();
    const next = await db
      .selectFrom("drp_callbacks")
      .selectAll()
      .where("request_id", "=", link.request_id)
      .where("agent_id", "=", link.agent_id)
      .where("done_at", "is", null)
      .orderBy("id")
      .limit(1)
      .executeTakeFirst();
    // Nothing left, or the next change holds only later (the expiry of a package).
    if (!next || next.at.getTime() > now.getTime()) return undefined;
    const claimed = await db
      .updateTable("drp_callbacks")
      .set({ claimed_at: now })
      .where("id", "=", next.id)
      .where("done_at", "is", null)
      .where((eb) => eb.or([eb("claimed_at", "is", null), eb("claimed_at", "<", new Date(now.getTime() - CLAIM_MS))]))
      .returning("id")
      .executeTakeFirst();
    if (!claimed) return undefined; // another worker is sending this link's changes
    const status = statusAt(ctx, next.facts, next.at, link);
    const body = JSON.stringify(status);
    const done = () => db.updateTable("drp_callbacks").set({ done_at: ctx.now() }).where("id", "=", next.id).execute();
    if (body === link.callback_sent || !mayTell(link, status)) {
      await done();
      continue;
    }
    const url = link.status_callback!;
    const host = hostOf(url);
    const audit = (kind: string, extra: Record<string, string | number>) =>
      appendAuditEvent(db, {
        actor: "system",
        kind,
        request_id: link.request_id,
        payload: { agent: link.agent_id, status: status.status, host, ...extra },
      });
    const release = () => db.updateTable("drp_callbacks").set({ claimed_at: null }).where("id", "=", next.id).execute();
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
      await release();
      await audit("drp.callback_failed", { error: detail.slice(0, 200) });
      return stewardError("STW_DRP_CALLBACK_FAILED", { host, detail });
    }
    if (answer < 200 || answer > 299) {
      await release();
      await audit("drp.callback_failed", { http_status: answer });
      return stewardError("STW_DRP_CALLBACK_FAILED", { host, detail: `it answered ${answer}` });
    }
    await done();
    await db
      .updateTable("drp_requests")
      .set({ callback_sent: body })
      .where("request_id", "=", link.request_id)
      .where("agent_id", "=", link.agent_id)
      .execute();
    await recordTold(db, link, status);
    await audit("drp.callback_delivered", { http_status: answer });
    link = await db
      .selectFrom("drp_requests")
      .selectAll()
      .where("request_id", "=", link.request_id)
      .where("agent_id", "=", link.agent_id)
      .executeTakeFirstOrThrow();
  }
}

/** The status a change stands for: the request's facts then, the link as it is (a revoke marks it), at its time. */
function statusAt(ctx: ServiceContext, factsJson: string, at: Date, link: DrpLink): StatusObject {
  const facts = readFacts(factsJson);
  return statusOf({
    row: facts.row as RequestRow,
    link,
    publicUrl: ctx.config.publicUrl,
    unverifiedHours: ctx.config.unverifiedHours,
    packageExpires: facts.package_expires ?? undefined,
    now: at,
  });
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return "(not a URL)";
  }
}
