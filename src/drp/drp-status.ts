/**
 * A Steward request as the Data Rights Protocol's Exercise Status object (DRP 1.0 §3.03), with the states of §3.02.
 * Pure. Only the fields of §3.03 are written, `received_at` always, `expected_by` whenever the request is
 * `in_progress`, timestamps with `+00:00`.
 *
 *   received                                   → open
 *   awaiting_verification                      → in_progress / need_user_verification (+ user_verification_url)
 *   verified, awaiting_approval, in_progress,
 *   routed, partially_completed                → in_progress (extension, pause, review in processing_details)
 *   completed                                  → fulfilled (+ expires_at while a package can be downloaded),
 *                                                 expired once its download link has run out
 *   denied                                     → denied / the kind of denial the operator (or Steward) chose
 *                                                 (src/requests/denial-reasons.ts), the reason in processing_details
 *   expired (never verified in time)           → denied / insuf_verification
 *   cancelled                                  → revoked when the agent revoked it, else denied / other
 *
 * A status never moves backwards: `rank` orders them (open 1, in_progress 2, final 3) and the caller keeps the
 * highest one the agent was told.
 */
import { type DenialReason, denialOf } from "../requests/denial-reasons.ts";
import type { RequestRow } from "../requests/move-request.ts";
import type { DrpRequestsTable } from "../store/store-schema.ts";
import { drpTime } from "./drp-time.ts";

export const DRP_STATUSES = ["open", "in_progress", "fulfilled", "revoked", "denied", "expired"] as const;
export type DrpStatus = (typeof DRP_STATUSES)[number];

export const DRP_REASONS = [
  "need_user_verification",
  "suspected_fraud",
  "insuf_verification",
  "no_match",
  "claim_not_covered",
  "outside_jurisdiction",
  "too_many_requests",
  "other",
] as const;
export type DrpReason = (typeof DRP_REASONS)[number];

/** The Exercise Status object; key order as in §3.03. */
export interface StatusObject {
  readonly request_id: string;
  readonly received_at: string;
  readonly expected_by?: string;
  readonly agent_request_id?: string;
  readonly processing_details?: string;
  readonly status: DrpStatus;
  readonly reason?: DrpReason;
  readonly user_verification_url?: string;
  readonly expires_at?: string;
}

export interface StatusFacts {
  readonly row: RequestRow;
  readonly link: Pick<DrpRequestsTable, "agent_request_id" | "received_at" | "revoked_at">;
  /** Base URL of the privacy center, where the person verifies (`STEWARD_PUBLIC_URL`). */
  readonly publicUrl: string;
  /** Hours an unverified request waits before it expires. */
  readonly unverifiedHours: number;
  /** Until when the answer's package (access, portability) can be downloaded, if there is one. */
  readonly packageExpires?: Date | undefined;
  readonly now: Date;
}

export const rankOf = (status: DrpStatus): number => (status === "open" ? 1 : status === "in_progress" ? 2 : 3);

export function statusOf(facts: StatusFacts): StatusObject {
  const { row, link } = facts;
  const verifyBy = new Date(row.created_at.getTime() + facts.unverifiedHours * 3_600_000);
  const expectedBy = drpTime(row.due_at ?? verifyBy);
  const base = {
    request_id: row.id,
    received_at: drpTime(link.received_at),
  };
  const agentId = link.agent_request_id === null ? {} : { agent_request_id: link.agent_request_id };
  const details = (text: string | null | undefined) => (text ? { processing_details: text } : {});
  switch (row.status) {
    case "received":
      // The deadline runs from receipt under most laws: the agent may plan with it from the start.
      return { ...base, ...(row.due_at ? { expected_by: expectedBy } : {}), ...agentId, status: "open" };
    case "awaiting_verification":
      return {
        ...base,
        expected_by: expectedBy,
        ...agentId,
        processing_details: "The person has been sent a code by e-mail to confirm the request is theirs.",
        status: "in_progress",
        reason: "need_user_verification",
        user_verification_url: `${facts.publicUrl}/requests/${row.id}`,
        expires_at: drpTime(verifyBy),
      };
    case "verified":
    case "awaiting_approval":
    case "in_progress":
    case "routed":
    case "partially_completed":
      return {
        ...base,
        expected_by: expectedBy,
        ...agentId,
        ...details(progressDetails(row)),
        status: "in_progress",
      };
    case "completed":
      if (facts.packageExpires && facts.now.getTime() >= facts.packageExpires.getTime())
        return {
          ...base,
          ...agentId,
          processing_details: "The copy of the data could be downloaded until the time in expires_at.",
          status: "expired",
          expires_at: drpTime(facts.packageExpires),
        };
      return {
        ...base,
        ...agentId,
        status: "fulfilled",
        ...(facts.packageExpires ? { expires_at: drpTime(facts.packageExpires) } : {}),
      };
    case "expired":
      return {
        ...base,
        ...agentId,
        processing_details: "The person did not confirm the request in time.",
        status: "denied",
        reason: "insuf_verification",
      };
    case "cancelled":
      return link.revoked_at
        ? { ...base, ...agentId, status: "revoked" }
        : {
            ...base,
            ...agentId,
            ...details(row.reason ?? "Cancelled by the business."),
            status: "denied",
            reason: "other",
          };
    default:
      return {
        ...base,
        ...agentId,
        ...details(row.reason),
        status: "denied",
        reason: drpDenial(denialOf(row.outcome)),
      };
  }
}

/** Steward's kind of denial as §3.02 writes it (`insuf_verification` is the protocol's spelling). */
export const drpDenial = (kind: DenialReason): DrpReason =>
  kind === "insufficient_verification" ? "insuf_verification" : kind;

function progressDetails(row: RequestRow): string | undefined {
  if (row.paused_since) return `Paused: ${row.reason ?? "the business is waiting for information"}`;
  if (row.extended_at) return `Extended: ${row.reason ?? "the business needs more time"}`;
  if (row.status === "awaiting_approval") return "Waiting for the business's review.";
  if (row.status === "routed") return "Sent to the controller the data is processed for.";
  if (row.status === "partially_completed") return "Partly answered; the rest is being tried again.";
  return undefined;
}
