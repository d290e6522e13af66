/**
 * The worker's part: carry out one request in `in_progress` through the engine, then record the answer. Safe to run
 * twice, and safe to be killed at any point:
 *
 * - it starts only from `in_progress` (a finished or cancelled request is left alone);
 * - the engine's erasure is idempotent (masks are fixed points; a second run finds nothing more to change), and an
 *   access request only reads;
 * - the answer is recorded in one transaction that locks the row and moves it out of `in_progress` — so of two workers
 *   that both finished, one records the completion and the other finds it done and stops. The trail has one completion
 *   per request.
 */

import { sql } from "kysely";
import { buildAccessPackage } from "../access-package/build-access-package.ts";
import { buildCategoriesPackage } from "../access-package/build-categories-package.ts";
import { auditedTransaction } from "../audit/append-audit-event.ts";
import type { ConsentEventRow } from "../consent/append-consent-events.ts";
import { consentRecords } from "../consent/consent-views.ts";
import { type RequestOutcome, runAccess, runErasure, runRectification } from "../engine/run-request.ts";
import { Stores } from "../engine/stores.ts";
import { isStewardError } from "../errors.ts";
import { inTransaction } from "../jobs/job-queue.ts";
import { holdsOf } from "./admin-actions.ts";
import { queueMail } from "./advance-request.ts";
import { changesData } from "./lifecycle.ts";
import { lockRequest, moveRequest, noteRequest, type RequestRow } from "./move-request.ts";
import { asksForCategories, type RequestDetails } from "./request-details.ts";
import type { ServiceContext } from "./service-context.ts";
import { asEngineIdentities, type Identity } from "./subject.ts";
import type { TransmitJob } from "./transmit-package.ts";

export interface ExecuteJob {
  readonly request_id: string;
}

/** The answer as the store keeps it: counts and reasons, never a row value. */
export function outcomeSummary(o: RequestOutcome): Record<string, unknown> {
  const residual = o.proof ? Object.values(o.proof.collections).reduce((n, c) => n + c.residual, 0) : undefined;
  return {
    action: o.action,
    collections: o.collections,
    unreached: o.unreached,
    ...(Object.keys(o.notes).length > 0 ? { notes: o.notes } : {}),
    ...(o.proof ? { proof: { complete: o.proof.complete, residual, unreached: o.proof.unreached } } : {}),
    ...(o.failed ? { failed: o.failed } : {}),
    ...(o.exemptions && o.exemptions.length > 0 ? { exemptions: o.exemptions } : {}),
  };
}

const isPartial = (o: RequestOutcome): boolean =>
  o.unreached.some((u) => !u.why.startsWith("no identity")) ||
  o.failed !== undefined ||
  (o.proof !== undefined && !o.proof.complete);

/** The legal-hold exemption of the manifest that stops this request type, when the subject is on hold. */
async function heldBy(ctx: ServiceContext, row: RequestRow): Promise<{ key: string; reason: string } | undefined> {
  const exemption = ctx.manifest.exemptions.find((e) => e.basis === "legal_hold" && e.applies_to.includes(row.type));
  if (!exemption) return undefined;
  const holds = await holdsOf(ctx, row.subject_hashes);
  return holds.length > 0 ? { key: exemption.key, reason: exemption.reason } : undefined;
}

export async function executeRequest(ctx: ServiceContext, job: ExecuteJob): Promise<void> {
  const row = await ctx.store.db.selectFrom("requests").selectAll().where("id", "=", job.request_id).executeTakeFirst();
  if (row?.status !== "in_progress" || !changesData(row.type)) return;
  await ctx.store.db
    .updateTable("requests")
    .set((eb) => ({ attempts: eb("attempts", "+", 1) }))
    .where("id", "=", row.id)
    .execute();

  const hold = await heldBy(ctx, row);
  if (hold) {
    await ctx.store.db.transaction().execute(async (trx) => {
      const locked = await lockRequest(trx, row.id);
      if (locked.status !== "in_progress") return;
      const denied = await moveRequest(
        trx,
        locked,
        {
          to: "denied",
          action: "deny",
          actor: "worker",
          // The law's exemption keeps the data: the right does not reach it (DRP's claim_not_covered).
          payload: { reason: hold.reason, exemption: hold.key, denial: "claim_not_covered" },
          set: { reason: hold.reason, outcome: JSON.stringify({ denial: "claim_not_covered", exemption: hold.key }) },
        },
        ctx.now(),
        ctx.jobs,
      );
      await queueMail(ctx, trx, denied, "denied");
    });
    return;
  }

  const identity = ctx.sealer.openJson<Identity>(row.identities_enc ?? "", `identities:${row.id}`);
  const details = row.details_enc ? ctx.sealer.openJson<RequestDetails>(row.details_enc, `details:${row.id}`) : {};
  const identities = asEngineIdentities(identity);
  const stores = new Stores(ctx.manifest, ctx.engine);
  let outcome: RequestOutcome;
  let zip: Uint8Array | undefined;
  try {
    const options = { request: row.id, categories: details.categories ?? [] };
    if (row.type === "erasure") outcome = await runErasure(ctx.manifest, identities, stores, options);
    else if (row.type === "rectification")
      outcome = await runRectification(ctx.manifest, identities, stores, details.set ?? [], options);
    else {
      outcome = await runAccess(ctx.manifest, identities, stores, options);
      // The categories held, not the data (CCPA §1798.110(a)(1)–(4)): no values, and no consent records either.
      if (outcome.access && asksForCategories(details))
        zip = await buildCategoriesPackage(ctx.manifest, outcome.access);
      else if (outcome.access)
        zip = await buildAccessPackage(ctx.manifest, outcome.access, await consentFiles(ctx, identity));
    }
  } catch (error) {
    // Recorded (by code only) and thrown, so the job is retried with backoff.
    await noteRequest(ctx.store.db, row, "request.attempt_failed", "worker", {
      code: isStewardError(error) ? error.code : "STW_INTERNAL",
    });
    throw error;
  } finally {
    await stores.closeAll();
  }

  // The chain's lock is taken at the end, after the package and the mail's job are written.
  await auditedTransaction(ctx.store.db, async (trx) => {
    const locked = await lockRequest(trx, row.id);
    if (locked.status !== "in_progress") return; // another worker recorded it first
    const now = ctx.now();
    if (zip) {
      const expires = new Date(now.getTime() + ctx.config.packageDays * 86_400_000);
      const sealed = ctx.sealer.sealBytes(zip, `package:${row.id}`);
      await trx
        .insertInto("request_results")
        .values({ request_id: row.id, package_enc: sealed, bytes: zip.length, expires_at: expires })
        .onConflict((oc) =>
          oc.column("request_id").doUpdateSet({ package_enc: sealed, bytes: zip.length, expires_at: expires }),
        )
        .execute();
    }
    if (row.type === "erasure")
      // A notice-change mail not yet sent to someone just erased is not sent, and its sealed address goes.
      await trx
        .updateTable("notice_notifications")
        .set({ state: "withdrawn", address_enc: "" })
        .where("state", "=", "pending")
        .where(sql<boolean>`subject_hashes && ${sql.val(row.subject_hashes)}::text[]`)
        .execute();
    // A retry's answer adds to the earlier runs': what they deleted, masked or updated is not found again.
    const summary: Record<string, unknown> = {
      ...withEarlierRuns(outcomeSummary(outcome), locked.outcome),
      ...(asksForCategories(details) ? { scope: "categories" } : {}),
    };
    const partial = isPartial(outcome);
    const retryAt = partial ? nextRetryAt(ctx, locked, now) : null;
    const done = await moveRequest(
      trx,
      locked,
      {
        to: partial ? "partially_completed" : "completed",
        action: "complete",
        actor: "worker",
        payload: {
          collections: Object.keys(outcome.collections).length,
          ...countTotals(outcome),
          ...(outcome.exemptions?.length ? { exemptions: outcome.exemptions } : {}),
          ...(summary["proof"] ? { proof_complete: outcome.proof?.complete ?? false } : {}),
          ...(partial
            ? retryAt
              ? { retry_at: retryAt.toISOString(), retry: locked.auto_retries + 1 }
              : { retries_left: 0 }
            : {}),
        },
        set: { outcome: JSON.stringify(summary), retry_at: retryAt },
      },
      now,
      ctx.jobs,
    );
    await queueMail(ctx, trx, done, zip ? "ready" : "done");
    // Still partial and no automatic try left: someone has to look at it.
    if (partial && retryAt === null) await queueMail(ctx, trx, done, "needs_operator");
    // Portability to another provider: sent by its own job, retried until the receiver takes it (Art. 20(2)).
    if (zip && row.type === "portability" && details.destination && ctx.jobs)
      await ctx.jobs.send("request.transmit", { request_id: row.id } satisfies TransmitJob, inTransaction(trx));
  });
}

/**
 * When the workers try a partial answer again by themselves: `retrySeconds` after it, doubling with every automatic
 * retry already made; null once `retryTries` are used up (the operator's `retry` remains).
 */
export function nextRetryAt(ctx: ServiceContext, row: RequestRow, now: Date): Date | null {
  const { retryTries, retrySeconds } = ctx.config;
  if (row.auto_retries >= retryTries) return null;
  return new Date(now.getTime() + retrySeconds * 1000 * 2 ** row.auto_retries);
}

const ADDED = ["deleted", "masked", "updated", "kept_masked"] as const;

/** The summary of this run, with the changes of the runs before it (a retry of a partial answer) added in. */
function withEarlierRuns(summary: Record<string, unknown>, earlier: Record<string, unknown> | null) {
  const before = earlier?.["collections"] as Record<string, Record<string, number>> | undefined;
  if (!before) return summary;
  const now = summary["collections"] as Record<string, Record<string, number>>;
  const collections: Record<string, Record<string, number>> = { ...now };
  for (const [name, counts] of Object.entries(before)) {
    const merged = { ...(collections[name] ?? {}) };
    for (const k of ADDED) if (counts[k]) merged[k] = (merged[k] ?? 0) + counts[k];
    collections[name] = merged;
  }
  return { ...summary, collections };
}

/** The person's consent history (every identity's, and their linked devices'), as `consent.json` in the package. */
async function consentFiles(ctx: ServiceContext, identity: Identity): Promise<Map<string, Uint8Array>> {
  const subjects = Object.entries(identity).map(([t, v]) => `${t}:${v}`);
  const seen = new Map<string, ConsentEventRow>();
  for (const s of subjects) for (const row of await ctx.consent.history(s)) seen.set(row.record_id, row);
  const rows = [...seen.values()].sort((a, b) => Number(a.seq) - Number(b.seq));
  const records = consentRecords(ctx.manifest, subjects.join(" "), rows);
  return new Map([["consent.json", new TextEncoder().encode(`${JSON.stringify(records, null, 2)}\n`)]]);
}

function countTotals(o: RequestOutcome): Record<string, number> {
  const total = { read: 0, deleted: 0, masked: 0, kept: 0, updated: 0 };
  for (const c of Object.values(o.collections)) {
    total.read += c.read;
    total.deleted += c.deleted;
    total.masked += c.masked;
    total.kept += c.kept;
    total.updated += c.updated;
  }
  return total;
}
