/**
 * Which choices a purpose offers a person, and which purposes a request that changes processing covers. Pure
 * functions of the manifest, shared by the ledger's checks and the request service.
 */
import {
  consentMechanism,
  isDirectMarketing,
  isSaleOrSharing,
  regionCovers,
  sensitiveCategoriesOf,
} from "../manifest/jurisdictions.ts";
import type { JurisdictionRights, Manifest, Purpose, RequestType } from "../manifest/types.ts";
import type { ConsentStatus } from "../store/store-schema.ts";
import type { SubjectState } from "./consent-state.ts";

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

/**
 * How a person makes their choice about a purpose in the privacy center: a switch (a consent or an opt-out); an
 * objection that takes effect at once (direct marketing, GDPR Art. 21(2)–(3)); an objection the privacy team weighs
 * against compelling grounds (Art. 21(1)), made as a request; or no choice. Purposes done as a processor for another
 * controller are not the person's choice here.
 */
export type PreferenceKind = "switch" | "object" | "request" | "none";

export function preferenceKind(p: Purpose, rights: JurisdictionRights | undefined): PreferenceKind {
  if (p.processor_for) return "none";
  const offered = choicesOffered(p, rights);
  if (offered.includes("granted")) return "switch";
  if (offered.includes("objected")) return isDirectMarketing(p) ? "object" : "request";
  return "none";
}

/**
 * Where the person's switch stands: their latest recorded choice, if the purpose offers it where they are, else the
 * mechanism's default (an opt-out runs until a no, an opt-in waits for a yes). The effect may still differ — a
 * restriction or an age stops more — and the decision says so; the switch shows what the person chose.
 */
export function switchIsOn(
  p: Purpose,
  rights: JurisdictionRights | undefined,
  state: SubjectState,
  stale?: ReadonlySet<string>,
): boolean {
  const choice = state.choices.get(p.key);
  // A consent a wider notice voided (src/consent/reconsent.ts) counts as not given: the switch is off until given again.
  if (choice?.status === "granted" && choice.notice_version && stale?.has(choice.notice_version)) return false;
  if (choice && choicesOffered(p, rights).includes(choice.status)) return choice.status === "granted";
  return consentMechanism(p, rights).mechanism !== "opt_in";
}

/** Whether the person objected to the purpose (and the objection counts where they are). */
export const hasObjected = (p: Purpose, rights: JurisdictionRights | undefined, state: SubjectState): boolean =>
  state.choices.get(p.key)?.status === "objected" && choicesOffered(p, rights).includes("objected");

/** The Data Privacy Framework's choices apply: the controller relies on the DPF, and the person lives in Europe. */
export function dpfChoicesApply(manifest: Manifest, rights: JurisdictionRights | undefined): boolean {
  const dpf = (manifest.organization?.transfers?.mechanisms ?? []).some((m) => m.includes("dpf"));
  return dpf && rights !== undefined && ["DE", "GB", "CH"].some((country) => regionCovers(rights, country));
}

/** The purposes that disclose data to a third party or another controller (DPF Choice Principle). */
export function disclosedPurposes(manifest: Manifest, purposes: readonly Purpose[]): Purpose[] {
  const outside = new Set(
    manifest.systems.filter((s) => s.kind === "third_party" || s.kind === "controller").map((s) => s.key),
  );
  return purposes.filter((p) => p.recipients.some((r) => outside.has(r)));
}
