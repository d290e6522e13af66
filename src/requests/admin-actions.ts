/**
 * What an operator does to a request: approve, deny, extend, pause and resume the clock, retry, cancel — and legal
 * holds on a subject. Each is one transaction that checks the request's state, writes the change, records who did it
 * and why in the audit trail, and (where the person must know) queues the mail.
 */

import { appendAuditEvent } from "../audit/append-audit-event.ts";
import { stewardError } from "../errors.ts";
import type { Manifest, RequestType } from "../manifest/types.ts";
import type { ClockPause } from "../store/store-schema.ts";
import { queueMail, startWork } from "./advance-request.ts";
import { DENIAL_REASONS, type DenialReason, parseDenialReason } from "./denial-reasons.ts";
import { isOpen, OPEN_STATUSES, type RequestStatus } from "./lifecycle.ts";
import { lockRequest, moveRequest, noteRequest, type RequestRow } from "./move-request.ts";
import { canExtend, clockOf } from "./request-clock.ts";
import type { ServiceContext } from "./service-context.ts";
import { type Identity, parseIdentity, subjectHashes } from "./subject.ts";

export type AdminAction = "approve" | "deny" | "extend" | "pause" | "resume" | "retry" | "cancel";
export const ADMIN_ACTIONS: readonly AdminAction[] = [
  "approve",
  "deny",
  "extend",
  "pause",
  "resume",
  "retry",
  "cancel",
];
/** Actions that must say why: the reason is shown to the person and kept in the trail. */
const NEEDS_REASON: readonly AdminAction[] = ["deny", "extend", "pause"];

/** The longest reason kept (the person reads it; the trail keeps it). */
export const MAX_REASON = 2000;

const checkLength = (action: string, why: string) => {
  if (why.length > MAX_REASON)
    throw stewardError("STW_REQUEST_REASON_TOO_LONG", { action, length: why.length, max: MAX_REASON });
};

const BEFORE_WORK: readonly RequestStatus[] = ["received", "awaiting_verification", "verified", "awaiting_approval"];

export async function actOnRequest(
  ctx: ServiceContext,
  id: string,
  action: AdminAction,
  actor: string,
  reason?: string,
  /** For `deny`: which kind of denial it is (DRP 1.0 §3.02); `other` when not given. */
  denial?: string,
): Promise<RequestRow> {
  const why = reason?.trim() ?? "";
  if (NEEDS_REASON.includes(action) && why === "") throw stewardError("STW_REQUEST_REASON_REQUIRED", { action });
  checkLength(action, why);
  if (denial !== undefined && denial !== "" && action !== "deny")
    throw stewardError("STW_REQUEST_BAD_DENIAL", { value: denial, allowed: DENIAL_REASONS, action });
  const kind: DenialReason = parseDenialReason(denial);
  return ctx.store.db.transaction().execute(async (trx) => {
    const row = await lockRequest(trx, id);
    const now = ctx.now();
    const withReason = why ? { reason: why } : {};
    switch (action) {
      case "approve": {
        if (row.status !== "awaiting_approval")
          throw stewardError("STW_REQUEST_WRONG_STATE", {
            id,
            action,
            status: row.status,
            allowed: ["awaiting_approval"],
          });
        await noteRequest(trx, row, "request.approved", actor, withReason);
        return startWork(ctx, trx, row, actor, "request.in_progress", { approved_at: now });
      }
      case "deny": {
        const denied = await moveRequest(
          trx,
          row,
          {
            to: "denied",
            action,
            actor,
            payload: { reason: why, denial: kind },
            set: { reason: why, outcome: JSON.stringify({ ...(row.outcome ?? {}), denial: kind }) },
          },
          now,
          ctx.jobs,
        );
        await queueMail(ctx, trx, denied, "denied");
        return denied;
      }
      case "extend": {
        if (row.extended_at)
          throw stewardError("STW_REQUEST_WRONG_STATE", {
            id,
            action,
            status: `${row.status} and already extended`,
            allowed: ["open and not yet extended"],
          });
        if (!canExtend(ctx.manifest, row))
          throw stewardError("STW_REQUEST_WRONG_STATE", {
            id,
            action,
            status: `${row.status}, under a rule that allows no extension`,
            allowed: ["requests whose law allows an extension"],
          });
        const clock = clockOf(ctx.manifest, { ...row, extended_at: now }, now, ctx.config.timeZone);
        const extended = await moveRequest(
          trx,
          row,
          {
            action,
            from: OPEN_STATUSES,
            actor,
            kind: "request.extended",
            payload: { reason: why, due_at: clock.due_at?.toISOString() ?? null },
            set: { extended_at: now, reason: why, due_at: clock.due_at },
          },
          now,
          ctx.jobs,
        );
        await queueMail(ctx, trx, extended, "extended");
        return extended;
      }
      case "pause": {
        if (row.paused_since)
          throw stewardError("STW_REQUEST_WRONG_STATE", { id, action, status: "paused", allowed: ["running"] });
        return moveRequest(
          trx,
          row,
          {
            action,
            from: OPEN_STATUSES,
            actor,
            kind: "request.paused",
            payload: { reason: why },
            set: { paused_since: now, reason: why },
          },
          now,
          ctx.jobs,
        );
      }
      case "resume": {
        if (!row.paused_since)
          throw stewardError("STW_REQUEST_WRONG_STATE", { id, action, status: "running", allowed: ["paused"] });
        const pauses: ClockPause[] = [...row.pauses, { from: row.paused_since.toISOString(), to: now.toISOString() }];
        const clock = clockOf(ctx.manifest, { ...row, pauses, paused_since: null }, now, ctx.config.timeZone);
        return moveRequest(
          trx,
          row,
          {
            action,
            from: OPEN_STATUSES,
            actor,
            kind: "request.resumed",
            payload: { due_at: clock.due_at?.toISOString() ?? null, ...withReason },
            set: { paused_since: null, pauses: JSON.stringify(pauses), due_at: clock.due_at },
          },
          now,
          ctx.jobs,
        );
      }
      case "retry":
        // The operator's retry takes the place of an automatic one that was waiting.
        return startWork(ctx, trx, row, actor, "request.retried", { retry_at: null });
      case "cancel":
        return moveRequest(
          trx,
          row,
          { to: "cancelled", from: BEFORE_WORK, action, actor, payload: withReason },
          now,
          ctx.jobs,
        );
    }
  });
}

export interface LegalHold {
  readonly id: string;
  readonly reason: string;
  readonly placed_by: string;
  readonly placed_at: Date;
}

/** The subject's hashes and identities: from a request's, or from identities an operator types in. */
async function subjectOf(
  ctx: ServiceContext,
  target: { request_id?: string; identity?: unknown },
): Promise<{ hashes: string[]; identity: Identity | undefined }> {
  if (target.request_id) {
    const row = await lockRequest(ctx.store.db, target.request_id);
    const identity = row.identities_enc
      ? ctx.sealer.openJson<Identity>(row.identities_enc, `identities:${row.id}`)
      : undefined;
    return { hashes: row.subject_hashes, identity };
  }
  const identity: Identity = parseIdentity(ctx.manifest, target.identity);
  return { hashes: subjectHashes(identity, ctx.hash), identity };
}

/** Places a hold on every identity of the subject. Erasure (and the types the legal-hold exemption names) then stops. */
export async function placeHold(
  ctx: ServiceContext,
  target: { request_id?: string; identity?: unknown },
  reason: string,
  actor: string,
): Promise<LegalHold[]> {
  if (reason.trim() === "") throw stewardError("STW_REQUEST_REASON_REQUIRED", { action: "a legal hold" });
  checkLength("a legal hold", reason.trim());
  const { hashes, identity } = await subjectOf(ctx, target);
  return ctx.store.db.transaction().execute(async (trx) => {
    const rows = await trx
      .insertInto("legal_holds")
      .values(
        hashes.map((h) => ({
          subject_hash: h,
          reason: reason.trim(),
          placed_by: actor,
          // Sealed so that a retention sweep can find the person's rows and leave them alone.
          identities_enc: identity ? ctx.sealer.sealJson(identity, `hold:${h}`) : null,
        })),
      )
      .returning(["id", "reason", "placed_by", "placed_at"])
      .execute();
    await appendAuditEvent(trx, {
      actor,
      kind: "hold.placed",
      ...(target.request_id ? { request_id: target.request_id } : {}),
      payload: { holds: rows.map((r) => r.id), reason: reason.trim() },
    });
    return rows;
  });
}

export async function liftHold(ctx: ServiceContext, holdId: string, actor: string, reason?: string): Promise<void> {
  await ctx.store.db.transaction().execute(async (trx) => {
    const lifted = /^[0-9a-f-]{36}$/i.test(holdId)
      ? await trx
          .updateTable("legal_holds")
          .set({ lifted_at: ctx.now(), lifted_by: actor })
          .where("id", "=", holdId)
          .where("lifted_at", "is", null)
          .returning("id")
          .executeTakeFirst()
      : undefined;
    if (!lifted) throw stewardError("STW_HOLD_NOT_FOUND", {});
    await appendAuditEvent(trx, {
      actor,
      kind: "hold.lifted",
      payload: { hold: holdId, ...(reason ? { reason } : {}) },
    });
  });
}

/** Active holds on a subject (by its hashes). */
export async function holdsOf(ctx: ServiceContext, hashes: readonly string[]): Promise<LegalHold[]> {
  if (hashes.length === 0) return [];
  return ctx.store.db
    .selectFrom("legal_holds")
    .select(["id", "reason", "placed_by", "placed_at"])
    .where("subject_hash", "in", [...hashes])
    .where("lifted_at", "is", null)
    .orderBy("placed_at")
    .execute();
}

/** Unverified requests older than `unverifiedHours` expire; the person is told. Returns how many. */
export async function expireUnverified(ctx: ServiceContext): Promise<number> {
  const cutoff = new Date(ctx.now().getTime() - ctx.config.unverifiedHours * 3_600_000);
  const stale = await ctx.store.db
    .selectFrom("requests")
    .select("id")
    .where("status", "=", "awaiting_verification")
    .where("created_at", "<", cutoff)
    .limit(500)
    .execute();
  let n = 0;
  for (const { id } of stale) {
    await ctx.store.db.transaction().execute(async (trx) => {
      const row = await lockRequest(trx, id);
      if (row.status !== "awaiting_verification") return;
      const expired = await moveRequest(
        trx,
        row,
        { to: "expired", action: "expire", actor: "system" },
        ctx.now(),
        ctx.jobs,
      );
      await trx.deleteFrom("verification_codes").where("request_id", "=", id).execute();
      await queueMail(ctx, trx, expired, "expired");
      n += 1;
    });
  }
  return n;
}

/**
 * The actions that make sense on a request now, for the console to offer (`actOnRequest` checks each again): approve
 * while it waits for approval; deny, extend (once), pause or resume, and cancel while it is open; retry when a run
 * left part undone; a legal hold at any time.
 */
export function availableActions(
  manifest: Manifest,
  r: {
    readonly type: RequestType;
    readonly jurisdiction: string | null;
    readonly status: string;
    readonly extended: boolean;
    readonly paused: boolean;
    readonly attempts: number;
  },
): (AdminAction | "hold")[] {
  const out: (AdminAction | "hold")[] = [];
  const open = isOpen(r.status as RequestStatus);
  if (r.status === "awaiting_approval") out.push("approve");
  if (open) {
    out.push("deny");
    if (!r.extended && canExtend(manifest, r)) out.push("extend");
    out.push(r.paused ? "resume" : "pause", "cancel");
  }
  if (r.status === "partially_completed" || (r.status === "in_progress" && r.attempts > 0)) out.push("retry");
  out.push("hold");
  return out;
}
