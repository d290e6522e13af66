/**
 * Manifest enums in plain words, for the notice and the records of processing. One place so that the notice and the
 * Art. 30 records describe a legal basis or a transfer mechanism the same way.
 */
import type {
  ConsentMechanism,
  LegalBasis,
  PostalAddress,
  RequestType,
  SystemKind,
  TransferMechanism,
  VerificationLevel,
} from "../manifest/types.ts";

export const LEGAL_BASIS_NAMES: Readonly<Record<LegalBasis, string>> = {
  contract: "Contract",
  legal_obligation: "Legal obligation",
  legitimate_interests: "Legitimate interests",
  consent: "Consent",
  vital_interests: "Vital interests",
  public_task: "Public task",
};

/** What each basis means for the reader, with its article so that a lawyer can check it. */
export const LEGAL_BASIS_EXPLANATIONS: Readonly<Record<LegalBasis, string>> = {
  contract: "we need the data to provide the service you asked for under our terms (GDPR Art. 6(1)(b))",
  legal_obligation: "a law requires us to use the data this way (GDPR Art. 6(1)(c))",
  legitimate_interests:
    "we have a legitimate interest that we have weighed against your interests and rights (GDPR Art. 6(1)(f))",
  consent: "you agreed to it, and you can withdraw your consent at any time (GDPR Art. 6(1)(a))",
  vital_interests: "we need it to protect someone's life or physical safety (GDPR Art. 6(1)(d))",
  public_task: "we need it to carry out a task in the public interest (GDPR Art. 6(1)(e))",
};

export const legalBasisInWords = (basis: LegalBasis): string =>
  `${LEGAL_BASIS_NAMES[basis]}: ${LEGAL_BASIS_EXPLANATIONS[basis]}`;

export const MECHANISM_NAMES: Readonly<Record<TransferMechanism, string>> = {
  adequacy: "an adequacy decision",
  eu_us_dpf: "the EU-U.S. Data Privacy Framework",
  uk_extension_dpf: "the UK Extension to the EU-U.S. Data Privacy Framework",
  swiss_us_dpf: "the Swiss-U.S. Data Privacy Framework",
  sccs: "Standard Contractual Clauses",
  uk_idta: "the UK International Data Transfer Agreement",
  bcrs: "Binding Corporate Rules",
  derogation: "a derogation for specific situations (GDPR Art. 49)",
};

/** Short names for tables, where the same safeguards repeat row after row. */
export const MECHANISM_SHORT_NAMES: Readonly<Record<TransferMechanism, string>> = {
  adequacy: "Adequacy decision",
  eu_us_dpf: "EU-U.S. DPF",
  uk_extension_dpf: "UK Extension to the EU-U.S. DPF",
  swiss_us_dpf: "Swiss-U.S. DPF",
  sccs: "Standard Contractual Clauses",
  uk_idta: "UK IDTA",
  bcrs: "Binding Corporate Rules",
  derogation: "Derogation (GDPR Art. 49)",
};

/** The Data Privacy Framework mechanisms, which call for the DPF section of the notice. */
export const DPF_MECHANISMS: readonly TransferMechanism[] = ["eu_us_dpf", "uk_extension_dpf", "swiss_us_dpf"];

export const REQUEST_NAMES: Readonly<Record<RequestType, string>> = {
  access: "get a copy of your personal data",
  erasure: "have your personal data deleted",
  rectification: "have inaccurate personal data corrected",
  restriction: "have the use of your personal data restricted",
  portability: "receive your data in a machine-readable format to take elsewhere",
  objection: "object to our use of your personal data",
  opt_out_sale_sharing: "opt out of the sale of your personal data and of its sharing or use for targeted advertising",
  limit_sensitive: "limit our use of your sensitive personal data to what the service needs",
  withdraw_consent: "withdraw a consent you gave us",
};

/** What each level asks of the person; a stronger check (signing in, a document) also does for a weaker level. */
export const VERIFICATION_NAMES: Readonly<Record<VerificationLevel, string>> = {
  none: "no check is needed",
  email: "we confirm that you control the e-mail address on the account, or you ask while signed in",
  account: "you make the request while signed in to your account",
  document: "we ask for an identity document",
};

export const SYSTEM_KIND_NAMES: Readonly<Record<SystemKind, string>> = {
  internal: "our own system",
  processor: "service provider acting on our instructions",
  third_party: "independent third party",
  controller: "controller we act for",
};

export const CONSENT_NAMES: Readonly<Record<ConsentMechanism, string>> = {
  opt_in: "only with your consent",
  opt_out: "you can opt out",
  notice_only: "no choice offered",
};

const REGIONS = new Intl.DisplayNames(["en"], { type: "region" });

/** "US" → "United States", "EEA" → "European Economic Area"; unknown codes are kept as written. */
export function countryName(code: string): string {
  if (code === "EEA") return "European Economic Area";
  if (/^[A-Z]{2}$/.test(code)) return REGIONS.of(code) ?? code;
  return code;
}

/** Countries whose English name takes "the" in a sentence. */
const WITH_ARTICLE = new Set([
  "US",
  "GB",
  "NL",
  "AE",
  "PH",
  "BS",
  "GM",
  "CD",
  "CF",
  "CZ",
  "DO",
  "KM",
  "MV",
  "MH",
  "SB",
  "VA",
  "EEA",
]);

/** "US" → "the United States", "DE" → "Germany": the country as it reads after "in". */
export const countryInSentence = (code: string): string =>
  WITH_ARTICLE.has(code) ? `the ${countryName(code)}` : countryName(code);

/** Drops a final full stop so that a description can be followed by more words. */
export const withoutFinalStop = (s: string): string => s.trim().replace(/\.$/, "");

/** "a", "a and b", "a, b and c". */
export function listInWords(values: readonly string[], conjunction = "and"): string {
  if (values.length <= 1) return values[0] ?? "";
  return `${values.slice(0, -1).join(", ")} ${conjunction} ${values.at(-1)}`;
}

const MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];

/** "2025-01-01" → "1 January 2025" (fixed, so output does not depend on the machine's locale). */
export function dateInWords(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  const month = m ? MONTHS[Number(m[2]) - 1] : undefined;
  return m && month ? `${Number(m[3])} ${month} ${m[1]}` : iso;
}

const ACRONYMS: Readonly<Record<string, string>> = {
  us: "U.S.",
  eu: "EU",
  uk: "UK",
  dpf: "DPF",
  dpa: "DPA",
  gdpr: "GDPR",
  ccpa: "CCPA",
  icdr: "ICDR",
  faq: "FAQ",
  id: "ID",
};

/** "terms_of_use" → "Terms of use", "us_state_privacy_notice" → "U.S. state privacy notice". */
export function humanize(key: string): string {
  const words = key
    .split(/[_.-]+/)
    .filter(Boolean)
    .map((w) => ACRONYMS[w] ?? w)
    .join(" ");
  return upperFirst(words);
}

export const upperFirst = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/** Lower-cases the first letter unless the first word is an acronym ("Helping learners" → "helping learners"). */
export const lowerFirst = (s: string): string => (/^[A-Z][a-z]/.test(s) ? s.charAt(0).toLowerCase() + s.slice(1) : s);

/** "1 Main St, Springfield, CA 94040, United States". */
export function addressInWords(a: PostalAddress): string {
  return [a.street, a.city, [a.region, a.postal_code].filter(Boolean).join(" "), countryName(a.country)].join(", ");
}
