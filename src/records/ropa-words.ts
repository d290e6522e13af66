/** One-line texts for the parts of a record, shared by the CSV and Markdown formats. */

import { thirdCountries } from "../manifest/third-country.ts";
import { countryName, listInWords, SYSTEM_KIND_NAMES } from "../notice/plain-words.ts";
import type { RopaParty, RopaRecipient, RopaTimeLimit, RopaTransfer } from "./ropa-types.ts";

/** "privacy@acme.example, 1 Main St, Springfield, United States" (the ways to reach a party). */
export const contactInWords = (p: RopaParty): string =>
  [p.email, p.address, p.url].filter((x): x is string => Boolean(x)).join(", ");

/** "Acme Inc., privacy@acme.example, 1 Main St, Springfield, United States". */
export const partyInWords = (p: RopaParty): string => [p.name, contactInWords(p)].filter(Boolean).join(", ");

/** "Stripe (service provider acting on our instructions; third country: United States)". */
export function recipientInWords(r: RopaRecipient): string {
  const where = r.third_country ? `; third country: ${listInWords(thirdCountries(r.countries).map(countryName))}` : "";
  return `${r.name} (${SYSTEM_KIND_NAMES[r.kind]}${where})`;
}

/** "Stripe → United States: the EU-U.S. Data Privacy Framework". */
export const transferInWords = (t: RopaTransfer): string =>
  `${t.to} → ${listInWords(t.countries.map(countryName))}: ${t.safeguard}`;

/** "Identity document image: until identity verification succeeds, then deleted". */
export const timeLimitInWords = (l: RopaTimeLimit): string =>
  `${l.categories.map((c) => c.name).join(", ") || l.description}: ${l.limit}`;

export const NO_RULE = "no retention rule recorded";
