/**
 * The YAML shape of each manifest resource, as zod schemas. Objects are strict: an unknown key is an error that names
 * the allowed keys (with a did-you-mean), so that a typo never silently drops a fact. Fides dataset keys that Steward
 * does not interpret are accepted and kept (`fides_extra`) so that real Fides files load and export unchanged.
 */
import { z } from "zod";
import {
  CONNECTOR_KINDS,
  CONSENT_MECHANISMS,
  EXEMPTION_BASES,
  LEGAL_BASES,
  MASK_STRATEGIES,
  NOTICE_SECTIONS,
  REQUEST_TYPES,
  type RequestType,
  SOURCE_KINDS,
  SYSTEM_KINDS,
  TRANSFER_MECHANISMS,
  VERIFICATION_LEVELS,
} from "./types.ts";

const text = z.string().trim().min(1, "must not be empty");
const key = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9_.-]*$/,
    "must be lower-case letters, digits, '_', '-' or '.', starting with a letter or digit",
  );
const keys = z.array(key).default([]);
const country = z.string().regex(/^([A-Z]{2}|EEA)$/, "must be an ISO 3166-1 alpha-2 code such as US, or EEA");
const email = z.email("must be an e-mail address");
const url = z.url("must be a URL");
const isoDate = z.iso.date("must be a date written YYYY-MM-DD");
const oneOf = <T extends string>(values: readonly T[]) => z.enum(values as [T, ...T[]]);

export const postalAddressSchema = z.strictObject({
  street: text,
  city: text,
  region: text.optional(),
  postal_code: text,
  country,
});

const contactSchema = z.strictObject({ name: text, email, address: postalAddressSchema.optional() });

export const organizationSchema = z.strictObject({
  key,
  legal_name: text,
  name: text,
  description: text,
  address: postalAddressSchema,
  contact_email: email,
  websites: z.array(url).default([]),
  dpo: contactSchema.optional(),
  representatives: z
    .array(z.strictObject({ region: z.enum(["EU", "UK"]), name: text, email, address: postalAddressSchema.optional() }))
    .default([]),
  supervisory_authorities: z.array(z.strictObject({ name: text, country, url: url.optional() })).default([]),
  security_measures: z.array(text).default([]),
  transfers: z
    .strictObject({
      primary_hosting_country: country,
      mechanisms: z.array(oneOf(TRANSFER_MECHANISMS)).min(1),
      independent_recourse: text.optional(),
      enforcement_authority: text.optional(),
      certification_url: url.optional(),
    })
    .optional(),
  minimum_age: z.int().min(0).max(21).optional(),
  documents: z.record(key, url).default({}),
});

const taxonomyEntrySchema = z.strictObject({ key, name: text, description: text, parent: key.optional() });
export const taxonomySchema = z.strictObject({
  data_categories: z.array(taxonomyEntrySchema).default([]),
  data_uses: z.array(taxonomyEntrySchema).default([]),
  data_subjects: z.array(taxonomyEntrySchema).default([]),
});

export const purposeSchema = z.strictObject({
  key,
  name: text,
  description: text,
  data_use: key,
  legal_basis: oneOf(LEGAL_BASES).optional(),
  legitimate_interest: z
    .strictObject({
      interest: text,
      necessity: text,
      balancing: text,
      safeguards: z.array(text).default([]),
      assessed_on: isoDate,
    })
    .optional(),
  consent: z.record(z.string().regex(/^[A-Za-z_-]+$/), oneOf(CONSENT_MECHANISMS)).default({}),
  /** A "sale" or "sharing" in the U.S. state laws' sense; default: a data use under marketing.advertising. */
  sale_or_sharing: z.boolean().optional(),
  data_subjects: keys,
  data_categories: keys,
  recipients: keys,
  automated_decision: z.strictObject({ logic: text, significance: text, consequences: text }).optional(),
  processor_for: key.optional(),
  notice_section: oneOf(NOTICE_SECTIONS).default("how_we_use"),
});

export const connectionSchema = z.strictObject({
  kind: oneOf(CONNECTOR_KINDS),
  url: text,
  /** For `http`: a shipped spec's name (`stripe`), or a relative path to a spec file (`../specs/acme.yml`). */
  spec: z
    .string()
    .regex(
      /^([a-z0-9][a-z0-9_.-]*|[^/\0][^\0]*\.ya?ml)$/,
      "must be a shipped spec name such as stripe, or a relative path to a .yml spec file",
    )
    .optional(),
});

/**
 * Where a system learns of consent changes for the purposes it receives data for: a signed webhook of ours, or the
 * vendor's own API (Mailchimp's list members, Meta's custom audiences). Every value is a `${ENV_VAR}` reference.
 */
export const consentDeliverySchema = z.strictObject({
  kind: z.enum(["webhook", "mailchimp", "meta_custom_audience"]),
  url: text,
  /** The webhook's HMAC key, or the vendor's API key / access token. */
  secret: text,
  /** Mailchimp: the audience (list) id. Meta: the custom audience id. */
  list: text.optional(),
});

export const systemSchema = z.strictObject({
  key,
  name: text,
  kind: oneOf(SYSTEM_KINDS),
  description: text,
  countries: z.array(country).default([]),
  transfer_mechanisms: z.array(oneOf(TRANSFER_MECHANISMS)).default([]),
  data_categories: keys,
  dpa: text.optional(),
  privacy_policy: url.optional(),
  connection: connectionSchema.optional(),
  consent_delivery: consentDeliverySchema.optional(),
});

export const sourceSchema = z.strictObject({
  key,
  name: text,
  description: text,
  kind: oneOf(SOURCE_KINDS),
  data_categories: keys,
  system: key.optional(),
});

export const exemptionSchema = z.strictObject({
  key,
  name: text,
  reason: text,
  basis: oneOf(EXEMPTION_BASES),
  applies_to: z.array(oneOf(REQUEST_TYPES)).min(1),
});

/** `delete`, `{action: delete}`, `{action: mask, strategy: hash}`, `{action: keep, reason: "…"}`. */
export const erasureSchema = z.union([
  z.literal("delete").transform(() => ({ action: "delete" as const })),
  z.strictObject({ action: z.literal("delete") }),
  z.strictObject({ action: z.literal("keep"), reason: text }),
  z.strictObject({ action: z.literal("mask"), strategy: oneOf(MASK_STRATEGIES), value: z.string().optional() }),
]);

const referenceSchema = z.strictObject({
  dataset: key,
  field: z.string().regex(/^[^.\s]+(\.[^.\s]+)+$/, 'must be written "collection.field"'),
  direction: z.enum(["from", "to"]).optional(),
  /** Steward's own key, which a Fides file carries and Fides ignores: `follow: false` orders erasure only. */
  steward: z.strictObject({ follow: z.boolean().optional() }).optional(),
});

export const fieldMetaSchema = z.looseObject({
  references: z.array(referenceSchema).nullish(),
  identity: z.string().nullish(),
  primary_key: z.boolean().nullish(),
  data_type: z.string().nullish(),
  length: z.int().nullish(),
  read_only: z.boolean().nullish(),
});

export interface FieldInput {
  name: string;
  description?: string | null | undefined;
  data_categories?: string[] | null | undefined;
  fides_meta?: z.infer<typeof fieldMetaSchema> | null | undefined;
  fidesops_meta?: z.infer<typeof fieldMetaSchema> | null | undefined;
  fields?: FieldInput[] | null | undefined;
  erasure?: z.infer<typeof erasureSchema> | undefined;
  personal?: boolean | undefined;
  expands_identity?: boolean | undefined;
  [extra: string]: unknown;
}

/** Fides keys on a field that Steward passes through untouched. */
export const FIELD_FIDES_PASSTHROUGH = ["tags", "retention"] as const;

export const fieldSchema: z.ZodType<FieldInput> = z.lazy(() =>
  z.strictObject({
    name: z.string().min(1),
    description: z.string().nullish(),
    data_categories: z.array(key).nullish(),
    fides_meta: fieldMetaSchema.nullish(),
    /** The older name of `fides_meta`, still found in real Fides files. */
    fidesops_meta: fieldMetaSchema.nullish(),
    fields: z.array(fieldSchema).nullish(),
    tags: z.array(z.string()).nullish(),
    retention: z.string().nullish(),
    erasure: erasureSchema.optional(),
    personal: z.boolean().optional(),
    /** The value is a further identity of the same person as the row (their phone, their device): follow it. */
    expands_identity: z.boolean().optional(),
  }),
);

const collectionMetaSchema = z.looseObject({
  after: z.array(z.string()).nullish(),
  erase_after: z.array(z.string()).nullish(),
  skip_processing: z.boolean().nullish(),
});

export const collectionSchema = z.strictObject({
  name: z.string().min(1),
  description: z.string().nullish(),
  data_categories: z.array(key).nullish(),
  fields: z.array(fieldSchema).min(1),
  fides_meta: collectionMetaSchema.nullish(),
  /** The older name of `fides_meta`, still found in real Fides files. */
  fidesops_meta: collectionMetaSchema.nullish(),
  erasure: erasureSchema.optional(),
  exemptions: z
    .array(
      z.strictObject({
        exemption: key,
        where: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
      }),
    )
    .default([]),
  processor_for: key.optional(),
  public: z.boolean().default(false),
});

export const datasetSchema = z.strictObject({
  fides_key: key,
  name: z.string().nullish(),
  description: z.string().nullish(),
  organization_fides_key: z.string().nullish(),
  tags: z.array(z.string()).nullish(),
  meta: z.record(z.string(), z.unknown()).nullish(),
  data_categories: z.array(key).nullish(),
  fides_meta: z.looseObject({}).nullish(),
  collections: z.array(collectionSchema).min(1),
  connection: connectionSchema.optional(),
  system: key.optional(),
  processor_for: key.optional(),
});

/** An ISO 8601 duration in whole days, weeks, months or years (P30D, P6M, P7Y). */
export const periodSchema = z
  .string()
  .regex(/^P(\d+Y)?(\d+M)?(\d+W)?(\d+D)?$/, "must be an ISO 8601 period like P30D or P7Y");

export const retentionSchema = z.strictObject({
  key,
  description: text,
  reason: text,
  data_categories: keys,
  collections: z.array(z.string().regex(/^[^.\s]+\.[^.\s]+$/, 'must be written "dataset.collection"')).default([]),
  /** Keep for this period, counted from the timestamp column `from`, or from the event `after` about the person. */
  period: periodSchema.optional(),
  from: z.string().optional(),
  after: key.optional(),
  /** Keep until this event happens (e.g. identity_verification.succeeded). */
  until: key.optional(),
  /** Keep while the account exists, then for this grace period. */
  account_lifetime: z.strictObject({ grace: periodSchema }).optional(),
  /** Kept as long as a law requires; the law and the period in words. */
  legal: text.optional(),
  action: z.enum(["delete", "mask"]).default("delete"),
  /** Only rows with these column values (e.g. `{status: succeeded}`); the rest of the collection is left alone. */
  where: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
  /** When the sweep runs: a five-field cron expression in UTC (default daily, "17 3 * * *"). */
  schedule: z
    .string()
    .regex(/^\S+( \S+){4}$/, 'must be a five-field cron expression like "17 3 * * *"')
    .optional(),
});

/** Which collection holds the accounts, and the column that says when one was closed (for `account_lifetime`). */
export const accountSchema = z.strictObject({
  collection: z.string().regex(/^[^.\s]+\.[^.\s]+$/, 'must be written "dataset.collection"'),
  closed_at: z.string().min(1),
});

/** "1 month", "2 months", "45 days", "10 business days": a deadline in the unit the law counts it in. */
export const statedPeriodSchema = z
  .string({ error: 'must be a period written like "1 month", "45 days" or "15 business days"' })
  .regex(
    /^[1-9]\d* (days?|business days?|months?)$/,
    'must be a period written like "1 month", "45 days" or "15 business days"',
  );

const verificationLevel = oneOf(VERIFICATION_LEVELS);
/** `verification: email`, or a level per request type: `{default: email, opt_out_sale_sharing: none}`. */
export const verificationSchema = z.union([
  verificationLevel,
  z.strictObject(
    Object.fromEntries(["default", ...REQUEST_TYPES].map((t) => [t, verificationLevel.optional()])) as Record<
      "default" | RequestType,
      z.ZodOptional<typeof verificationLevel>
    >,
  ),
]);

export const rightsSchema = z.strictObject({
  jurisdiction: key,
  name: text,
  law: text,
  /** The jurisdiction for a person whose region no other jurisdiction covers (one per manifest). */
  default: z.boolean().default(false),
  regions: z.array(z.string()).default([]),
  requests: z.array(oneOf(REQUEST_TYPES)).min(1),
  /** One of `deadline` and the older `deadline_days` is required (checked when the manifest is built). */
  deadline: statedPeriodSchema.optional(),
  deadline_days: z.int().min(1).optional(),
  extension: statedPeriodSchema.optional(),
  extension_days: z.int().min(0).optional(),
  verification: verificationSchema,
  channels: z.array(text).default([]),
  complaint_authorities: z.array(text).default([]),
});

export const noticeSchema = z.strictObject({
  title: text,
  version: text,
  effective_date: isoDate,
  sections: z.array(oneOf(NOTICE_SECTIONS)).min(1),
  text: z.partialRecord(oneOf(NOTICE_SECTIONS), text).default({}),
  revisions: z
    .array(z.strictObject({ date: isoDate, summary: text, material: z.boolean().default(false) }))
    .default([]),
});

/** The schema of each top-level key. List keys hold arrays; `organization`, `taxonomy` and `notice` are mappings. */
export const TOP_LEVEL_SCHEMAS = {
  organization: organizationSchema,
  taxonomy: taxonomySchema,
  purposes: z.array(purposeSchema),
  systems: z.array(systemSchema),
  sources: z.array(sourceSchema),
  exemptions: z.array(exemptionSchema),
  dataset: z.array(datasetSchema),
  retention: z.array(retentionSchema),
  account: accountSchema,
  rights: z.array(rightsSchema),
  notice: noticeSchema,
} as const;

export type PurposeInput = z.infer<typeof purposeSchema>;
export type SystemInput = z.infer<typeof systemSchema>;
export type DatasetInput = z.infer<typeof datasetSchema>;
export type CollectionInput = z.infer<typeof collectionSchema>;
export type RetentionInput = z.infer<typeof retentionSchema>;
export type RightsInput = z.infer<typeof rightsSchema>;
