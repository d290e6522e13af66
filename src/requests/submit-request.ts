/**
 * Intake: a request arrives (`POST /api/requests`, the privacy center, an event from the host application). Checked
 * against the manifest (the type is offered where the person is, the identity types exist, the details fit the type),
 * stored with the person's identities sealed and hashed, its clock started by the jurisdiction's rules, and — unless
 * the type needs no proof or the host vouched for a signed-in user — a code sent by mail.
 *
 * A request of the same type for the same person that is still open is joined, not run twice: the answer is that
 * request, and a code is sent again (within the resend limits) so the person can confirm it.
 */
import { randomBytes } from "node:crypto";
import { type Kysely, sql } from "kysely";
import { appendAuditEvent, auditedTransaction } from "../audit/append-audit-event.ts";
import { checkRectification } from "../engine/rectification-sets.ts";
import { stewardError } from "../errors.ts";
import { inTransaction } from "../jobs/job-queue.ts";
import { REQUEST_TYPES, type RequestType } from "../manifest/types.ts";
import { verificationFor } from "../manifest/verification-for.ts";
import { sha256 } from "../secrets/keyed-hash.ts";
import type { StoreSchema } from "../store/store-schema.ts";
import { afterVerified } from "./advance-request.ts";
import { checkOffered, resolveJurisdiction } from "./jurisdiction.ts";
import { OPEN_STATUSES } from "./lifecycle.ts";
import { lockRequest, type RequestRow } from "./move-request.ts";
import { clockOf } from "./request-clock.ts";
import { parseDetails, type RequestDetails } from "./request-details.ts";
import type { ServiceContext } from "./service-context.ts";
import type { StartJob } from "./start-request.ts";
import { identitiesHash, parseIdentity, subjectHashes } from "./subject.ts";
import { newCode, resendCode, sendCode } from "./verify-request.ts";

export interface SubmitInput {
  readonly type: string;
  readonly identity: unknown;
  readonly jurisdiction?: string | undefined;
  /** ISO 3166-1 alpha-2 (or `US-CA`): picks the jurisdiction when none is named. */
  readonly country?: string | undefined;
  readonly details?: unknown;
  /** The host application's signed token for a signed-in user: verifies the request at once. */
  readonly accountToken?: string | undefined;
  readonly source?: "person" | "host_event" | "admin" | "agent";
  readonly actor?: string;
  /**
   * The host application reports a fact that obliges erasure without a request from the person (a user found to be
   * under the minimum age): no verification, no approval, whatever the jurisdiction offers; the basis is in the trail.
   */
  readonly hostEvent?: "subject.under_age";
  /** The authorized agent (DRP agent-id) making the request on the person's behalf; named on the request. */
  readonly agent?: string;
  /**
   * The agent says it verified the identity the verification level asks for (an e-mail address it marks
   * `email_verified`): that counts as the proof for levels `email` and `document` (the operator still approves a
   * `document` request); never for `account`, which needs the person signed in.
   */
  readonly agentVerified?: boolean;
  /**
   * Leave a request that needs no further proof `received` and let a worker start it (the job `request.start`), so
   * the answer to the submission is the request as received. The Data Rights Protocol's agents expect that.
   */
  readonly startLater?: boolean;
  /**
   * Called inside the transaction that records a new request, after its `request.received` event and before any
   * move: what must exist with the request from its first moment (an agent's link, so that no move goes unannounced).
   */
  readonly onRecorded?: (trx: Kysely<StoreSchema>, row: RequestRow) => Promise<void>;
}

/** Why a host event starts an erasure, for the trail. */
const HOST_EVENT_BASIS = {
  "subject.under_age":
    "the person is under the minimum age of the service; their personal data is deleted once this is known (GDPR Art. 8, COPPA 16 CFR 312.10)",
} as const;

export interface Submitted {
  readonly row: RequestRow;
  /** Handed to the person once; only its hash is kept. Absent when the request was joined without proof. */
  readonly token?: string;
  readonly joined: boolean;
  /** What the person has to do next: "enter_code", "sign_in", or nothing. */
  readonly next: "enter_code" | "sign_in" | null;
  /** False when the mail with the code could not be sent (the person can ask for it again). */
  readonly codeSent: boolean;
}

export function checkType(type: string): RequestType {
  if (!(REQUEST_TYPES as readonly string[]).includes(type))
    throw stewardError("STW_API_BAD_REQUEST", {
      detail: `unknown request type "${type}"; allowed: ${REQUEST_TYPES.join(", ")}`,
    });
  return type as RequestType;
}

export async function submitRequest(ctx: ServiceContext, input: SubmitInput): Promise<Submitted> {
  const type = checkType(input.type);
  const identity = parseIdentity(ctx.manifest, input.identity);
  const rights = resolveJurisdiction(ctx.manifest, input.jurisdiction, input.country);
  if (!input.hostEvent) checkOffered(rights, type);
  const details = parseDetails(ctx.manifest, type, input.details);
  if (type === "rectification") checkRectification(ctx.manifest, details.set ?? []);
  // none: nothing to prove (an opt-out); email: the mailed code or a signed-in user; account: a signed-in user only;
  // document: the code, then an operator's approval. An offered type always has a level (checkOffered above).
  const level = input.hostEvent ? "none" : (verificationFor(rights, type) ?? "email");

  let vouched = false;
  if (input.accountToken && ctx.hostTokens) {
    const proven = await ctx.hostTokens.verify(input.accountToken);
    const mismatch = Object.entries(identity).find(([t, v]) => proven[t] !== undefined && proven[t] !== v);
    const overlap = Object.entries(identity).some(([t, v]) => proven[t] === v);
    if (mismatch || !overlap)
      throw stewardError("STW_HOST_TOKEN_INVALID", { detail: "it is for another person than the request names" });
    vouched = true;
  } else if (input.accountToken) {
    throw stewardError("STW_HOST_TOKEN_INVALID", {
      detail: "no host key is configured (STEWARD_HOST_JWT_KEY or STEWARD_HOST_JWKS_URL)",
    });
  }
  const agentProof = !vouched && input.agentVerified === true && (level === "email" || level === "document");
  if (level === "account" && !vouched)
    throw stewardError("STW_HOST_TOKEN_INVALID", {
      detail: `a ${type} request in ${rights.jurisdiction} needs you to be signed in; none was sent`,
    });
  if ((level === "email" || level === "document") && !vouched && !agentProof && !identity["email"])
    throw stewardError("STW_REQUEST_BAD_IDENTITY", {
      detail: "an e-mail address is needed to send the code that confirms it is you",
      allowed: Object.keys(identity),
    });

  const hashes = subjectHashes(identity, ctx.hash);
  const candidates = await ctx.store.db
    .selectFrom("requests")
    .selectAll()
    .where("type", "=", type)
    .where("status", "in", [...OPEN_STATUSES])
    .where(sql<boolean>`subject_hashes && ${sql.val(hashes)}::text[]`)
    .orderBy("created_at")
    .execute();
  // Only a request that asks the same joins: an opt-in does not join an opt-out, nor a list of the categories held a
  // full copy (the details are sealed, so they are compared here).
  const asked = JSON.stringify(details);
  const existing = candidates.find(
    (c) => JSON.stringify(c.details_enc ? ctx.sealer.openJson(c.details_enc, `details:${c.id}`) : {}) === asked,
  );
  if (existing && !input.hostEvent)
    return join(ctx, existing, vouched ? "account" : agentProof ? "agent" : undefined, input.actor);

  const now = ctx.now();
  const token = randomBytes(24).toString("base64url");
  const proofNeeded = level !== "none" && !vouched && !agentProof;
  const approval = !input.hostEvent && (level === "document" || ctx.config.approvalTypes.includes(type));
  const result = await auditedTransaction(ctx.store.db, async (trx) => {
    const facts = {
      type,
      jurisdiction: rights.jurisdiction,
      created_at: now,
      verified_at: null,
      extended_at: null,
      pauses: [],
      paused_since: null,
    };
    const clock = clockOf(ctx.manifest, facts, now, ctx.config.timeZone);
    const inserted = await trx
      .insertInto("requests")
      .values({
        type,
        status: proofNeeded ? "awaiting_verification" : "received",
        jurisdiction: rights.jurisdiction,
        identities_hash: identitiesHash(identity, ctx.hash),
        subject_hashes: hashes,
        created_at: now,
        updated_at: now,
        due_at: clock.due_at,
        acknowledge_by: clock.acknowledge_by,
        clock_started_at: clock.clock_started_at,
        notice_version: await currentNotice(ctx, trx),
        token_hashes: [sha256(token)],
        source: input.source ?? "person",
        verification_level: level,
        requires_approval: approval,
        agent: input.agent ?? null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    const row = await trx
      .updateTable("requests")
      .set({
        identities_enc: ctx.sealer.sealJson(identity, `identities:${inserted.id}`),
        details_enc: ctx.sealer.sealJson(details, `details:${inserted.id}`),
      })
      .where("id", "=", inserted.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await appendAuditEvent(trx, {
      actor: input.actor ?? "subject",
      kind: "request.received",
      request_id: row.id,
      payload: {
        type,
        jurisdiction: rights.jurisdiction,
        source: input.source ?? "person",
        verification: level,
        identity_types: Object.keys(identity).sort(),
        ...(input.agent ? { agent: input.agent } : {}),
        ...(details.opt_in ? { opt_in: true } : {}),
        due_at: clock.due_at?.toISOString() ?? null,
        ...(input.hostEvent ? { event: input.hostEvent, basis: HOST_EVENT_BASIS[input.hostEvent] } : {}),
      },
    });
    await input.onRecorded?.(trx, row);
    if (input.hostEvent === "subject.under_age")
      // From now on every decision for this person says no, whatever they chose, but what the law requires.
      await ctx.consent.record(
        Object.entries(identity).map(([t, v]) => ({
          subject: ctx.consent.subject(`${t}:${v}`),
          purpose: "*",
          status: "under_age" as const,
          method: "host_event" as const,
          jurisdiction: rights.jurisdiction,
          request_id: row.id,
          actor: input.actor ?? "host",
        })),
        trx,
      );
    if (proofNeeded) return { row, code: await newCode(ctx, trx, row) };
    const method = input.hostEvent ? "host_event" : vouched ? "account" : agentProof ? "agent" : "none";
    if (input.startLater) {
      if (!ctx.jobs) throw new Error("the request service was opened without a job queue");
      await ctx.jobs.send("request.start", { request_id: row.id, method } satisfies StartJob, inTransaction(trx));
      return { row, code: undefined };
    }
    return { row: await afterVerified(ctx, trx, row, method, "system"), code: undefined };
  });
  const codeSent = result.code ? await sendCode(ctx, result.row, identity, result.code) : true;
  return { row: result.row, token, joined: false, next: proofNeeded ? "enter_code" : null, codeSent };
}

async function join(
  ctx: ServiceContext,
  existing: RequestRow,
  proof: "account" | "agent" | undefined,
  actor = "subject",
): Promise<Submitted> {
  if (proof && existing.status === "awaiting_verification") {
    const token = randomBytes(24).toString("base64url");
    const row = await ctx.store.db.transaction().execute(async (trx) => {
      const locked = await lockRequest(trx, existing.id);
      await trx.deleteFrom("verification_codes").where("request_id", "=", existing.id).execute();
      await trx
        .updateTable("requests")
        // Proven now: earlier tokens (handed out before any proof) stop opening the request.
        .set({ token_hashes: sql`array[${sha256(token)}]::text[]` })
        .where("id", "=", existing.id)
        .execute();
      await appendAuditEvent(trx, { actor, kind: "request.joined", request_id: existing.id, payload: {} });
      return afterVerified(ctx, trx, locked, proof, actor);
    });
    return { row, token, joined: true, next: null, codeSent: true };
  }
  await appendAuditEvent(ctx.store.db, {
    actor,
    kind: "request.joined",
    request_id: existing.id,
    payload: { status: existing.status },
  });
  if (existing.status !== "awaiting_verification") return { row: existing, joined: true, next: null, codeSent: true };
  // Send the code again, to the address the open request was made with: a joiner proves it is them the same way.
  const sent = await resendCode(ctx, existing.id).then(
    () => true,
    () => false,
  );
  return { row: existing, joined: true, next: "enter_code", codeSent: sent };
}

async function currentNotice(ctx: ServiceContext, trx: Parameters<typeof appendAuditEvent>[0]): Promise<string | null> {
  const version = ctx.manifest.notice?.version;
  if (!version) return null;
  const found = await trx
    .selectFrom("notice_versions")
    .select("version")
    .where("version", "=", version)
    .executeTakeFirst();
  return found?.version ?? null;
}

export type { RequestDetails };
