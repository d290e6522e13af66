/**
 * Which choices a purpose offers a person, and which purposes a request that changes processing covers. Pure
 * functions of the manifest, shared by the ledger's checks and the request service.
 */
import {
  consentMechanism,
  isDirectMarketing,
  isSaleOrSharing,
  sensitiveCategoriesOf,
} from "../manifest/jurisdictions.ts";
import type { JurisdictionRights, Manifest, Purpose, RequestType } from "../manifest/types.ts";
import type { ConsentStatus } from "../store/store-schema.ts";

/**
 * The choices a person can record for a purpose where they are (`[]` for a purpose that needs no choice): a consent
 * or an opt-out can be given and taken back; a sale or sharing can always be opted out of (and back into); an
 * objection needs legitimate interests, a public task or direct marketing (GDPR Art. 21).
 */
export function choicesOffered(p: Purpose, rights: JurisdictionRights | undefined): ConsentStatus[] {
  const out: ConsentStatus[] = [];
  if (consentMechanism(p, rights).mechanism !== "notice_only" || isSaleOrSharing(p)) out.push("granted", "withdrawn");
  if (p.legal_basis === "legitimate_interests" || p.legal_basis === "public_task" || isDirectMarketing(p))
    out.push("objected");
  return out;
}

/** Why a choice is not offered, in words for the error. */
export function whyNoChoice(p: Purpose, status: ConsentStatus, rights: JurisdictionRights | undefined): string {
  if (status === "objected")
    return `its basis is ${p.legal_basis ?? "not stated"} and it is not direct marketing (GDPR Art. 21)`;
  const { source } = consentMechanism(p, rights);
  return `it needs no consent there (${source})`;
}

/** The request types that change processing rather than data, and what each records. */
export const CHOICE_REQUESTS: Readonly<Partial<Record<RequestType, ConsentStatus>>> = {
  withdraw_consent: "withdrawn",
  opt_out_sale_sharing: "withdrawn",
  limit_sensitive: "withdrawn",
  objection: "objected",
  restriction: "restricted",
};

/**
 * The purposes a request covers where the person is:
 * - `withdraw_consent`: every purpose that runs on a consent or an opt-out there;
 * - `opt_out_sale_sharing`: every sale or sharing (U.S. state laws; a GPC signal means the same);
 * - `limit_sensitive`: every purpose using sensitive data that offers a choice (the rest is what the service needs);
 * - `objection`: direct marketing, and the legitimate-interest purposes that offer an opt-out — the others need the
 *   operator's weighing of compelling grounds (Art. 21(1)), so they are listed for review, not switched off;
 * - `restriction`: every purpose (`*`): the decision itself knows what a restriction leaves running.
 * `only` narrows to purposes the person named.
 */
export function purposesCovered(
  manifest: Manifest,
  type: RequestType,
  rights: JurisdictionRights | undefined,
  only?: readonly string[],
): { covered: string[]; forReview: string[] } {
  if (type === "restriction") return { covered: ["*"], forReview: [] };
  const named = (p: Purpose) => !only || only.length === 0 || only.includes(p.key);
  const choosable = (p: Purpose) => consentMechanism(p, rights).mechanism !== "notice_only";
  const pick = (test: (p: Purpose) => boolean) =>
    manifest.purposes.filter((p) => named(p) && test(p)).map((p) => p.key);
  switch (type) {
    case "withdraw_consent":
      return { covered: pick(choosable), forReview: [] };
    case "opt_out_sale_sharing":
      return { covered: pick(isSaleOrSharing), forReview: [] };
    case "limit_sensitive":
      return { covered: pick((p) => choosable(p) && sensitiveCategoriesOf(p).length > 0), forReview: [] };
    case "objection": {
      const objectable = (p: Purpose) =>
        p.legal_basis === "legitimate_interests" || p.legal_basis === "public_task" || isDirectMarketing(p);
      const automatic = (p: Purpose) => objectable(p) && (isDirectMarketing(p) || choosable(p));
      return { covered: pick(automatic), forReview: pick((p) => objectable(p) && !automatic(p)) };
    }
    default:
      return { covered: [], forReview: [] };
  }
}
