/**
 * The typed, immutable manifest: everything a company says about its processing of personal data, merged from a
 * folder of YAML files. `docs/manifest.md` is the reference for the YAML that produces it.
 *
 * Every resource keeps `at`, the file/line/column it came from, so that checks and errors can point at it.
 */
import type { SourceLocation } from "../errors.ts";

export type LegalBasis =
  | "contract"
  | "legal_obligation"
  | "legitimate_interests"
  | "consent"
  | "vital_interests"
  | "public_task";
export const LEGAL_BASES: readonly LegalBasis[] = [
  "contract",
  "legal_obligation",
  "legitimate_interests",
  "consent",
  "vital_interests",
  "public_task",
];

/** How consent is gathered for a purpose in one jurisdiction. */
export type ConsentMechanism = "opt_in" | "opt_out" | "notice_only";
export const CONSENT_MECHANISMS: readonly ConsentMechanism[] = ["opt_in", "opt_out", "notice_only"];

export type SystemKind = "internal" | "processor" | "third_party" | "controller";
export const SYSTEM_KINDS: readonly SystemKind[] = ["internal", "processor", "third_party", "controller"];

export type TransferMechanism =
  | "adequacy"
  | "eu_us_dpf"
  | "uk_extension_dpf"
  | "swiss_us_dpf"
  | "sccs"
  | "uk_idta"
  | "bcrs"
  | "derogation";
export const TRANSFER_MECHANISMS: readonly TransferMechanism[] = [
  "adequacy",
  "eu_us_dpf",
  "uk_extension_dpf",
  "swiss_us_dpf",
  "sccs",
  "uk_idta",
  "bcrs",
  "derogation",
];

/**
 * What a person may ask. The first six are the GDPR's (Art. 15–21); `opt_out_sale_sharing` and `limit_sensitive` are the
 * U.S. state laws' opt-outs (sale, sharing or targeted advertising; use of sensitive data), `withdraw_consent` is taking
 * back a consent given (GDPR Art. 7(3), LGPD Art. 18 IX).
 */
export type RequestType =
  | "access"
  | "erasure"
  | "rectification"
  | "restriction"
  | "portability"
  | "objection"
  | "opt_out_sale_sharing"
  | "limit_sensitive"
  | "withdraw_consent";
export const REQUEST_TYPES: readonly RequestType[] = [
  "access",
  "erasure",
  "rectification",
  "restriction",
  "portability",
  "objection",
  "opt_out_sale_sharing",
  "limit_sensitive",
  "withdraw_consent",
];

/** How a requester proves who they are, weakest first: a stronger check also satisfies a weaker level. */
export type VerificationLevel = "none" | "email" | "account" | "document";
export const VERIFICATION_LEVELS: readonly VerificationLevel[] = ["none", "email", "account", "document"];

/** Units a deadline is counted in: calendar days, business days (Monday to Friday, less holidays) or calendar months. */
export type PeriodUnit = "days" | "business_days" | "months";
export const PERIOD_UNITS: readonly PeriodUnit[] = ["days", "business_days", "months"];

/** A period as a manifest states it: `1 month`, `45 days`, `15 business days`. */
export interface StatedPeriod {
  readonly amount: number;
  readonly unit: PeriodUnit;
}

export type MaskStrategy = "null" | "fixed" | "random" | "hash" | "hmac";
export const MASK_STRATEGIES: readonly MaskStrategy[] = ["null", "fixed", "random", "hash", "hmac"];

export type SourceKind = "data_subject" | "automatic" | "third_party" | "partner" | "instructor" | "inferred";
export const SOURCE_KINDS: readonly SourceKind[] = [
  "data_subject",
  "automatic",
  "third_party",
  "partner",
  "instructor",
  "inferred",
];

export type ConnectorKind = "postgres" | "mysql" | "sqlite" | "http";
export const CONNECTOR_KINDS: readonly ConnectorKind[] = ["postgres", "mysql", "sqlite", "http"];

/** The sections of the rendered notice, in the order a notice may list them. */
export const NOTICE_SECTIONS = [
  "key_information",
  "who_we_are",
  "scope",
  "legal_bases",
  "data_we_collect",
  "how_we_use",
  "external_links",
  "retention",
  "security",
  "your_rights",
  "complaints",
  "us_state_rights",
  "international_transfers",
  "changes",
  "children",
  "recorded_lectures",
  "dpf_notice",
  "revisions",
] as const;
export type NoticeSection = (typeof NOTICE_SECTIONS)[number];

export interface Located {
  /** Where the resource was declared. */
  readonly at: SourceLocation;
}

export interface PostalAddress {
  readonly street: string;
  readonly city: string;
  readonly region?: string;
  readonly postal_code: string;
  /** ISO 3166-1 alpha-2. */
  readonly country: string;
}

export interface Contact {
  readonly name: string;
  readonly email: string;
  readonly address?: PostalAddress;
}

export interface Representative extends Contact {
  /** Where the representative acts: "EU" (Art. 27 GDPR) or "UK" (Art. 27 UK GDPR). */
  readonly region: "EU" | "UK";
}

export interface SupervisoryAuthority {
  readonly name: string;
  readonly country: string;
  readonly url?: string;
}

/** Cross-border transfer commitments of the whole organization (e.g. its Data Privacy Framework certification). */
export interface TransferCommitments {
  /** Where the services are mainly hosted (ISO 3166-1 alpha-2). */
  readonly primary_hosting_country: string;
  readonly mechanisms: readonly TransferMechanism[];
  /** Independent recourse body for complaints (e.g. an arbitration centre). */
  readonly independent_recourse?: string;
  /** Authority that enforces the commitments. */
  readonly enforcement_authority?: string;
  readonly certification_url?: string;
}

export interface Organization extends Located {
  readonly key: string;
  readonly legal_name: string;
  /** Trading name used in the notice ("we"). */
  readonly name: string;
  readonly description: string;
  readonly address: PostalAddress;
  readonly contact_email: string;
  readonly websites: readonly string[];
  readonly dpo?: Contact;
  readonly representatives: readonly Representative[];
  readonly supervisory_authorities: readonly SupervisoryAuthority[];
  readonly security_measures: readonly string[];
  readonly transfers?: TransferCommitments;
  /** Minimum age of users; personal data of younger people is deleted once known. */
  readonly minimum_age?: number;
  /** Links to related documents (terms, cookie policy, state-law notice) by name. */
  readonly documents: Readonly<Record<string, string>>;
}

export interface TaxonomyEntry {
  readonly key: string;
  readonly name: string;
  readonly description: string;
  readonly parent?: string;
  /** True for fideslang's default keys, false for the manifest's own. */
  readonly is_default: boolean;
}

export interface Taxonomy {
  readonly data_categories: ReadonlyMap<string, TaxonomyEntry>;
  readonly data_uses: ReadonlyMap<string, TaxonomyEntry>;
  readonly data_subjects: ReadonlyMap<string, TaxonomyEntry>;
}

/** The record of the balancing test that legitimate interests require (GDPR Art. 6(1)(f)). */
export interface BalancingRecord {
  readonly interest: string;
  readonly necessity: string;
  readonly balancing: string;
  readonly safeguards: readonly string[];
  readonly assessed_on: string;
}

/** What the person must be told about automated decision-making (GDPR Art. 13(2)(f)). */
export interface AutomatedDecision {
  readonly logic: string;
  readonly significance: string;
  readonly consequences: string;
}

export interface Purpose extends Located {
  readonly key: string;
  readonly name: string;
  readonly description: string;
  /** Taxonomy data use. */
  readonly data_use: string;
  readonly legal_basis?: LegalBasis;
  readonly legitimate_interest?: BalancingRecord;
  /**
   * Consent mechanism by jurisdiction: a key is a `rights[].jurisdiction` (`eea`), a region its jurisdictions cover
   * (`EEA`, `US` for every `US-…` state) or `default`. Read it with `consentMechanism` (src/manifest/jurisdictions.ts).
   */
  readonly consent: Readonly<Record<string, ConsentMechanism>>;
  /** Stated when it differs from the default: a data use under `marketing.advertising` is a sale or sharing. */
  readonly sale_or_sharing?: boolean;
  readonly data_subjects: readonly string[];
  readonly data_categories: readonly string[];
  /** System keys the data is disclosed to for this purpose. */
  readonly recipients: readonly string[];
  readonly automated_decision?: AutomatedDecision;
  /** When set, the processing is done as processor for this controller system (Art. 30(2)). */
  readonly processor_for?: string;
  /** Key of the notice section that presents this purpose (defaults to "how_we_use"). */
  readonly notice_section: NoticeSection;
}

export interface Connection {
  readonly kind: ConnectorKind;
  /** `${ENV_VAR}` reference, never a literal secret. */
  readonly url: string;
  /** For HTTP processors: the vendor spec that says how to reach them. */
  readonly spec?: string;
}

/** How a system hears of consent changes (src/consent/deliver-consent.ts). Values are `${ENV_VAR}` references. */
export interface ConsentDelivery {
  readonly kind: "webhook" | "mailchimp" | "meta_custom_audience";
  readonly url: string;
  readonly secret: string;
  readonly list?: string;
}

export interface System extends Located {
  readonly key: string;
  readonly name: string;
  readonly kind: SystemKind;
  readonly description: string;
  /** ISO 3166-1 alpha-2 codes, or "EEA". */
  readonly countries: readonly string[];
  readonly transfer_mechanisms: readonly TransferMechanism[];
  /** Data categories the system receives. */
  readonly data_categories: readonly string[];
  /** Data-processing agreement reference, required for processors. */
  readonly dpa?: string;
  readonly privacy_policy?: string;
  readonly connection?: Connection;
  /** Where it hears of consent changes for the purposes it receives data for. */
  readonly consent_delivery?: ConsentDelivery;
}

export interface Source extends Located {
  readonly key: string;
  readonly name: string;
  readonly description: string;
  readonly kind: SourceKind;
  readonly data_categories: readonly string[];
  /** System the data comes from, when it comes from outside. */
  readonly system?: string;
}

export interface Exemption extends Located {
  readonly key: string;
  readonly name: string;
  /** Shown to the person whose request it limits. */
  readonly reason: string;
  readonly basis: "legal_obligation" | "for_credit_record" | "legal_hold" | "public_interest" | "freedom_of_expression";
  readonly applies_to: readonly RequestType[];
}
export const EXEMPTION_BASES: readonly Exemption["basis"][] = [
  "legal_obligation",
  "for_credit_record",
  "legal_hold",
  "public_interest",
  "freedom_of_expression",
];

export interface FieldReference {
  readonly dataset: string;
  /** "collection.field" */
  readonly field: string;
  readonly direction?: "from" | "to";
  /**
   * `follow: false`: the reference leads to someone else's rows (a review's link to the reviewee's submission, a
   * lecture view's link to the instructor's lecture). A request does not follow it to find the subject's rows; erasure
   * still orders by it (the row holding the reference goes first).
   */
  readonly steward?: { readonly follow?: boolean };
}

/** What erasure does to a field or a whole collection's rows. */
export type ErasureAction =
  | { readonly action: "delete" }
  | { readonly action: "keep"; readonly reason: string }
  | { readonly action: "mask"; readonly strategy: MaskStrategy; readonly value?: string };

export interface Field {
  readonly name: string;
  readonly description?: string;
  readonly data_categories: readonly string[];
  /** Identity type this field holds, when it names a person to the outside world (email, user_id, …). */
  readonly identity?: string;
  /**
   * The value is a further identity of the same person the row belongs to (the phone or device id on their own
   * account row): once the row is found, the value is looked up wherever its identity type is a seed. Never set on a
   * value a row holds about someone else (a referral's e-mail), which would read another person's data.
   */
  readonly expands_identity: boolean;
  readonly primary_key: boolean;
  readonly references: readonly FieldReference[];
  readonly data_type?: string;
  readonly length?: number;
  readonly read_only: boolean;
  /** Explicitly not personal (e.g. an internal counter): exempt from the classification lint. */
  readonly personal?: boolean;
  readonly erasure?: ErasureAction;
  readonly fields: readonly Field[];
  /** Fides keys Steward does not interpret, kept for the export. */
  readonly fides_extra: Readonly<Record<string, unknown>>;
  readonly at: SourceLocation;
}

export interface CollectionExemption {
  readonly exemption: string;
  /** Rows the exemption covers: column = value (all must hold). Without it, the whole collection. */
  readonly where?: Readonly<Record<string, string | number | boolean>>;
}

export interface Collection {
  readonly name: string;
  readonly description?: string;
  readonly data_categories: readonly string[];
  readonly fields: readonly Field[];
  readonly after: readonly string[];
  readonly erase_after: readonly string[];
  readonly skip_processing: boolean;
  /** Default erasure action for the collection's rows. */
  readonly erasure?: ErasureAction;
  readonly exemptions: readonly CollectionExemption[];
  /** Held as processor for this controller system instead of the dataset's default. */
  readonly processor_for?: string;
  /** Rows are published to other users (e.g. forum posts). */
  readonly public: boolean;
  readonly fides_extra: Readonly<Record<string, unknown>>;
  readonly at: SourceLocation;
}

export interface Dataset extends Located {
  readonly fides_key: string;
  readonly name: string;
  readonly description?: string;
  readonly data_categories: readonly string[];
  readonly collections: readonly Collection[];
  readonly connection?: Connection;
  /** Internal system that owns the data store. */
  readonly system?: string;
  /** When set, the whole dataset is held as processor for this controller system. */
  readonly processor_for?: string;
  readonly fides_extra: Readonly<Record<string, unknown>>;
}

export type RetentionTrigger =
  | { readonly kind: "period"; readonly period: string; readonly days: number; readonly from: string }
  | { readonly kind: "event"; readonly event: string }
  /** A period counted from an event about the person (`enrollment.completed`): each person's clock starts then. */
  | { readonly kind: "after_event"; readonly period: string; readonly days: number; readonly event: string }
  | { readonly kind: "account_lifetime"; readonly grace_days: number }
  | { readonly kind: "legal"; readonly description: string };

export interface RetentionRule extends Located {
  readonly key: string;
  readonly description: string;
  readonly reason: string;
  /** Categories the rule covers (a parent key covers its children). */
  readonly data_categories: readonly string[];
  /** "dataset.collection" targets; empty means wherever the categories live. */
  readonly collections: readonly string[];
  readonly trigger: RetentionTrigger;
  readonly action: "delete" | "mask";
  /** Only rows with these column values are covered (a succeeded verification's document, not a pending one's). */
  readonly where?: Readonly<Record<string, string | number | boolean>>;
  /** Five-field cron expression (UTC) of the rule's sweep; absent = the daily default. */
  readonly schedule?: string;
}

/** Where the accounts live and when one was closed: the clock of `account_lifetime` rules. */
export interface AccountDeclaration extends Located {
  /** "dataset.collection" */
  readonly collection: string;
  /** The timestamp column set when the account is closed (empty while it is open). */
  readonly closed_at: string;
}

export interface JurisdictionRights extends Located {
  readonly jurisdiction: string;
  readonly name: string;
  readonly law: string;
  /** The jurisdiction of a person whose region no other one covers; at most one per manifest. */
  readonly default: boolean;
  /** ISO 3166 codes or region names the rights cover. */
  readonly regions: readonly string[];
  readonly requests: readonly RequestType[];
  /**
   * The answer deadline as the manifest states it (`deadline: 1 month`, or the older `deadline_days: 30`). Where the
   * jurisdiction has a rule pack (src/requests/deadlines) the service and the notice use the law's figure, and
   * `steward check` warns when this one differs; elsewhere this is the rule.
   */
  readonly deadline: StatedPeriod;
  /** The most that may be added for complex or numerous requests, telling the person why; absent when nothing may. */
  readonly extension?: StatedPeriod;
  /**
   * The least identity check each request type needs, for every type in `requests` (a single YAML value applies to all;
   * a map gives levels by type with `default` for the rest). Read it with `verificationFor`.
   */
  readonly verification: Readonly<Partial<Record<RequestType, VerificationLevel>>>;
  readonly channels: readonly string[];
  readonly complaint_authorities: readonly string[];
}

export interface NoticeRevision {
  readonly date: string;
  readonly summary: string;
  readonly material: boolean;
}

export interface Notice extends Located {
  readonly title: string;
  readonly version: string;
  readonly effective_date: string;
  readonly sections: readonly NoticeSection[];
  /** Extra prose per section, in the company's own words. */
  readonly text: Readonly<Partial<Record<NoticeSection, string>>>;
  readonly revisions: readonly NoticeRevision[];
}

export interface Manifest {
  /** The folder the manifest was read from. */
  readonly root: string;
  readonly files: readonly string[];
  readonly organization?: Organization;
  readonly taxonomy: Taxonomy;
  readonly purposes: readonly Purpose[];
  readonly systems: readonly System[];
  readonly sources: readonly Source[];
  readonly exemptions: readonly Exemption[];
  readonly datasets: readonly Dataset[];
  readonly retention: readonly RetentionRule[];
  readonly account?: AccountDeclaration;
  readonly rights: readonly JurisdictionRights[];
  readonly notice?: Notice;
}
