/**
 * One list of jurisdictions for everything: the `rights:` entries. A request, a consent choice and an opt-out signal
 * all resolve a person to one of them (by its key, or by the region it covers), and a purpose's `consent:` keys name
 * them too — a jurisdiction key (`eea`), a region that jurisdictions cover (`EEA`, `GB`, `US` for every `US-…` state)
 * or `default`. The manifest marks the jurisdiction of a person whose region none covers with `default: true`.
 *
 * Pure functions of the manifest.
 */
import { isInEea } from "./third-country.ts";
import type { ConsentMechanism, JurisdictionRights, LegalBasis, Manifest, Purpose } from "./types.ts";

/** Whether the jurisdiction's regions hold `code` ("DE" is in the EEA, "US-CA" in "US", a code in itself). */
export function regionCovers(rights: JurisdictionRights, code: string): boolean {
  const c = code.toUpperCase();
  return rights.regions.some((r) => r === c || (r === "EEA" && isInEea(c)) || (r === "US" && c.startsWith("US-")));
}

/** The jurisdiction marked `default: true`, else the one that lists no regions, else none. */
export function defaultJurisdiction(manifest: Manifest): JurisdictionRights | undefined {
  return manifest.rights.find((r) => r.default) ?? manifest.rights.find((r) => r.regions.length === 0);
}

/**
 * How closely a `consent:` key names a jurisdiction: 3 its key, 2 one of its regions, 1 a region that holds all of
 * its regions ("US" for `US-CA`, "EEA" for `DE`), 0 not at all. `default` is handled by the caller.
 */
export function consentKeyMatch(key: string, rights: JurisdictionRights): number {
  if (key.toLowerCase() === rights.jurisdiction.toLowerCase()) return 3;
  const k = key.toUpperCase();
  if (rights.regions.includes(k)) return 2;
  const inside = (r: string) => (k === "US" && r.startsWith("US-")) || (k === "EEA" && isInEea(r) && r !== "EEA");
  return rights.regions.length > 0 && rights.regions.every(inside) ? 1 : 0;
}

/**
 * Special categories (GDPR Art. 9 and 10) and sensitive personal information (CPRA, Cal. Civ. Code §1798.140(ae)) as
 * fideslang keys. A purpose that lists one of these, or a category under one, uses sensitive data; a broad parent
 * (`user`, `user.demographic`) does not count by itself, so a purpose must name the sensitive data it uses. The
 * contents of messages (`user.content.private`) are left out: most are written to the company itself, which the
 * CPRA excludes.
 */
export const SENSITIVE_CATEGORIES: readonly string[] = [
  "user.biometric",
  "user.authorization.biometric",
  "user.authorization.credentials",
  "user.health_and_medical",
  "user.demographic.race_ethnicity",
  "user.demographic.religious_belief",
  "user.demographic.political_opinion",
  "user.demographic.sexual_orientation",
  "user.government_id",
  "user.financial.bank_account",
  "user.financial.credit_card",
  "user.location.precise",
  "user.criminal_history",
];

const under = (key: string, parent: string) => key === parent || key.startsWith(`${parent}.`);

/** The sensitive categories a purpose's data includes (see SENSITIVE_CATEGORIES). */
export function sensitiveCategoriesOf(purpose: Purpose): string[] {
  return SENSITIVE_CATEGORIES.filter((s) => purpose.data_categories.some((c) => under(c, s)));
}

/** Bases under which a purpose needs no choice from the person: the service asked for, the law, a life at stake. */
const NO_CHOICE_BASES: readonly LegalBasis[] = ["contract", "legal_obligation", "vital_interests"];

/** A sale or sharing in the U.S. state laws' sense: stated on the purpose, else any use for advertising. */
export const isSaleOrSharing = (p: Purpose): boolean => p.sale_or_sharing ?? under(p.data_use, "marketing.advertising");

/** Direct marketing, which a person may always object to (GDPR Art. 21(2)–(3)). */
export const isDirectMarketing = (p: Purpose): boolean => under(p.data_use, "marketing");

export interface MechanismFor {
  readonly mechanism: ConsentMechanism;
  /** Where it comes from: the `consent:` key that applies, or the rule that gave it. */
  readonly source: string;
}

/**
 * The consent mechanism of a purpose for a person in `rights`: the most specific `consent:` key that names the
 * jurisdiction, else `default`, else what the legal basis implies (consent: opt-in; any other: notice only). Sensitive
 * data used beyond what the service, the law or a vital interest needs is opt-in everywhere, whatever the key says.
 */
export function consentMechanism(purpose: Purpose, rights: JurisdictionRights | undefined): MechanismFor {
  let best: { key: string; score: number } | undefined;
  if (rights)
    for (const key of Object.keys(purpose.consent)) {
      const score = key === "default" ? 0 : consentKeyMatch(key, rights);
      if (score > 0 && (!best || score > best.score)) best = { key, score };
    }
  const chosenKey = best?.key ?? (purpose.consent["default"] ? "default" : undefined);
  const stated = chosenKey ? purpose.consent[chosenKey] : undefined;
  const basis = purpose.legal_basis;
  const needsNoChoice = basis !== undefined && NO_CHOICE_BASES.includes(basis);
  if (!needsNoChoice && stated !== "opt_in" && sensitiveCategoriesOf(purpose).length > 0)
    return { mechanism: "opt_in", source: "sensitive data" };
  if (stated && chosenKey) return { mechanism: stated, source: `consent.${chosenKey}` };
  return basis === "consent"
    ? { mechanism: "opt_in", source: "legal basis consent" }
    : { mechanism: "notice_only", source: `legal basis ${basis ?? "(none)"}` };
}

/** The jurisdictions a `consent:` key applies to (empty for a key that names none: an error in the manifest). */
export const jurisdictionsOfConsentKey = (manifest: Manifest, key: string): JurisdictionRights[] =>
  key === "default" ? [...manifest.rights] : manifest.rights.filter((r) => consentKeyMatch(key, r) > 0);
