/**
 * The checks of DRP 1.0 §3.07 on a verified message's envelope, in the order the protocol gives: the agent named
 * inside is the one the token (or the URL) is for, the message is for this business, it was issued before now and
 * has not expired — and, beyond §3.07, that its window from `issued-at` to `expires-at` is no longer than the
 * configured maximum (§2.01: "this should be kept short … no more than 10 minute time windows to prevent re-use").
 * Pure: the clock is passed in.
 */
import { stewardError } from "../errors.ts";
import { drpTime, parseDrpTime } from "./drp-time.ts";

export interface Envelope {
  readonly agentId: string;
  readonly businessId: string;
  readonly issuedAt: Date;
  readonly expiresAt: Date;
  readonly version: string | undefined;
}

export interface EnvelopeExpectation {
  /** The agent the bearer token or the URL names. */
  readonly agentId: string;
  readonly where: "bearer token" | "URL";
  readonly businessId: string;
  readonly now: Date;
  /** How far an agent's clock may run ahead, in seconds. */
  readonly skewSeconds: number;
  /** The longest window from issued-at to expires-at, in seconds. */
  readonly maxValiditySeconds: number;
}

const text = (claims: Record<string, unknown>, claim: string): string => {
  const v = claims[claim];
  if (typeof v !== "string" || v.trim() === "")
    throw stewardError("STW_DRP_BAD_CLAIM", { claim, detail: "is missing or not a string" });
  return v.trim();
};

const time = (claims: Record<string, unknown>, claim: string): Date => {
  const at = parseDrpTime(claims[claim]);
  if (!at) throw stewardError("STW_DRP_BAD_CLAIM", { claim, detail: "is missing or not an ISO 8601 timestamp" });
  return at;
};

export function checkEnvelope(claims: Record<string, unknown>, expect: EnvelopeExpectation): Envelope {
  const agentId = text(claims, "agent-id");
  if (agentId !== expect.agentId)
    throw stewardError("STW_DRP_WRONG_AGENT", { agent: agentId, expected: expect.agentId, where: expect.where });
  const businessId = text(claims, "business-id");
  if (businessId !== expect.businessId)
    throw stewardError("STW_DRP_WRONG_BUSINESS", { business: businessId, expected: expect.businessId });
  const issuedAt = time(claims, "issued-at");
  const expiresAt = time(claims, "expires-at");
  const now = expect.now.getTime();
  if (issuedAt.getTime() > now + expect.skewSeconds * 1000)
    throw stewardError("STW_DRP_NOT_YET_VALID", { issued: drpTime(issuedAt), now: drpTime(expect.now) });
  if (now >= expiresAt.getTime())
    throw stewardError("STW_DRP_EXPIRED", { expires: drpTime(expiresAt), now: drpTime(expect.now) });
  const window = (expiresAt.getTime() - issuedAt.getTime()) / 1000;
  if (window > expect.maxValiditySeconds)
    throw stewardError("STW_DRP_VALIDITY_TOO_LONG", {
      issued: drpTime(issuedAt),
      expires: drpTime(expiresAt),
      seconds: window,
      max: expect.maxValiditySeconds,
    });
  const version = typeof claims["drp.version"] === "string" ? claims["drp.version"].trim() : undefined;
  return { agentId, businessId, issuedAt, expiresAt, version };
}
