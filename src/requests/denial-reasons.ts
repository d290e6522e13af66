/**
 * Why a request is denied, in the words of the Data Rights Protocol 1.0 (§3.02), which an operator picks when denying
 * and Steward picks for its own denials. Every denial also has its reason in words for the person; this says which
 * kind it is, so an authorized agent (and a report) can tell a mismatch from a fraud. Pure.
 *
 * - `suspected_fraud` — the business believes the request was made fraudulently;
 * - `insufficient_verification` — the person's identity could not be confirmed (DRP writes it `insuf_verification`);
 * - `no_match` — no data subject matches the identity given;
 * - `claim_not_covered` — the law gives no such right over this data (an exemption, a legal hold);
 * - `outside_jurisdiction` — the person is not covered by the law the request was made under;
 * - `too_many_requests` — more requests than the business is obliged to answer (CCPA: twice in 12 months);
 * - `other` — anything else (the default, as before reasons existed).
 */
import { stewardError } from "../errors.ts";

export const DENIAL_REASONS = [
  "suspected_fraud",
  "insufficient_verification",
  "no_match",
  "claim_not_covered",
  "outside_jurisdiction",
  "too_many_requests",
  "other",
] as const;
export type DenialReason = (typeof DENIAL_REASONS)[number];

/** The protocol's own spelling, taken as Steward's. */
const ALIASES: Readonly<Record<string, DenialReason>> = { insuf_verification: "insufficient_verification" };

/** The denial reason named, or STW_REQUEST_BAD_DENIAL listing the allowed ones; `other` when none is named. */
export function parseDenialReason(value: unknown): DenialReason {
  if (value === undefined || value === null || value === "") return "other";
  const text = typeof value === "string" ? value.trim().toLowerCase() : "";
  const reason = ALIASES[text] ?? (DENIAL_REASONS as readonly string[]).find((r) => r === text);
  if (!reason) throw stewardError("STW_REQUEST_BAD_DENIAL", { value: String(value), allowed: DENIAL_REASONS });
  return reason as DenialReason;
}

/** The denial reason recorded on a denied request (in its outcome), `other` for one denied before reasons existed. */
export function denialOf(outcome: Record<string, unknown> | null | undefined): DenialReason {
  const recorded = outcome?.["denial"];
  return (DENIAL_REASONS as readonly unknown[]).includes(recorded) ? (recorded as DenialReason) : "other";
}
