/**
 * The lints of `steward check`: a stable code each (never reused), a severity, and the fix. docs/checks.md is generated
 * from this list (`npm run docs:errors`) and a test keeps the two in step.
 */
export type Severity = "error" | "warning";

export interface CheckRule {
  readonly code: string;
  readonly severity: Severity;
  readonly title: string;
  readonly fix: string;
}

const rule = (code: string, severity: Severity, title: string, fix: string): CheckRule => ({
  code,
  severity,
  title,
  fix,
});

export const CHECK_RULES = {
  unclassifiedField: rule(
    "SC001",
    "error",
    "A field has no data category",
    "Add `data_categories` (a `user.*` key for personal data, `system.operations` for the rest), or `personal: false`.",
  ),
  purposeWithoutBasis: rule(
    "SC002",
    "error",
    "A purpose has no legal basis (purposes done as processor excepted)",
    "Add `legal_basis` (contract, legal_obligation, legitimate_interests, consent, vital_interests or public_task).",
  ),
  legitimateInterestWithoutBalancing: rule(
    "SC003",
    "error",
    "A purpose relies on legitimate interests without a balancing record",
    "Add `legitimate_interest: {interest, necessity, balancing, safeguards, assessed_on}` to the purpose.",
  ),
  consentWithoutMechanism: rule(
    "SC004",
    "error",
    "A purpose relies on consent but says not how it is gathered",
    "Add `consent:` with a mechanism per jurisdiction, e.g. `{EEA: opt_in, US: opt_out}`.",
  ),
  unreachableCollection: rule(
    "SC005",
    "error",
    "A collection holds personal data that no identity reaches through references",
    "Mark an identity field in it (`fides_meta.identity`) or add a reference (`fides_meta.references`) to a collection an identity reaches.",
  ),
  categoryWithoutRetention: rule(
    "SC006",
    "error",
    "A data category stored in a dataset has no retention rule",
    "Add a retention rule whose `data_categories` covers the category (a parent key covers its children).",
  ),
  transferWithoutMechanism: rule(
    "SC007",
    "error",
    "A recipient outside the EEA/UK has no transfer mechanism",
    "Add `transfer_mechanisms` to the system (e.g. eu_us_dpf, sccs), or `organization.transfers` for internal systems.",
  ),
  processorWithoutAgreement: rule(
    "SC008",
    "error",
    "A processor has no data-processing agreement reference",
    "Add `dpa:` with the agreement's reference to the system.",
  ),
  purposeMissingFromNotice: rule(
    "SC009",
    "error",
    "A purpose is presented in a notice section the notice does not include",
    "Add the purpose's `notice_section` to `notice.sections`, or change the purpose's `notice_section`.",
  ),
  categoryMissingFromNotice: rule(
    "SC010",
    "error",
    "A data category stored in a dataset is not disclosed by any source of the notice",
    "Add the category (or a parent key) to the `data_categories` of the source it is collected from (`sources:`).",
  ),
  purposeCategoryNotStored: rule(
    "SC011",
    "warning",
    "A purpose names a data category that no dataset stores and no system receives",
    "Remove the category from the purpose or annotate the field that holds it.",
  ),
  datasetWithoutConnection: rule(
    "SC012",
    "warning",
    "A dataset says not how Steward reaches it",
    'Add `connection: {kind: postgres, url: "${SOME_ENV_VAR}"}` (or pass --connection at request time).',
  ),
  missingNotice: rule(
    "SC013",
    "warning",
    "The manifest has no organization or no notice",
    "Add `organization:` and `notice:` so Steward can render the notice and the records.",
  ),
  suggestionNotReviewed: rule(
    "SC014",
    "error",
    "A field's data category was suggested by `steward discover` and nobody has reviewed it yet",
    "Check the suggested `data_categories` (and `fides_meta.identity`), correct them if needed, then delete `fides_meta.steward_review`.",
  ),
  deadlineDiffersFromLaw: rule(
    "SC015",
    "warning",
    "A jurisdiction's `deadline` or `extension` differs from its law's rule pack",
    "Write the law's figure in the law's unit (`deadline: 1 month` for the GDPR, `deadline: 45 days` for the CCPA): requests are answered by the law's deadline and the notice states it, whatever the manifest says.",
  ),
  undeclaredForeignKey: rule(
    "SC016",
    "warning",
    "The live schema has a foreign key between two described collections that the manifest does not declare (`--connection`)",
    "Declare the reference on the referencing field (`fides_meta.references`, with `steward: {follow: false}` if the row it names is someone else's). Until then erasure orders by the live key on every run.",
  ),
  undescribedReferencingTable: rule(
    "SC017",
    "warning",
    "A table the manifest does not describe has a foreign key into a described collection (`--connection`)",
    "Describe the table in its dataset: while it is missing, its rows make the database refuse the described rows' delete (NO ACTION, RESTRICT), change (SET NULL) or vanish with them (CASCADE, counted in the outcome), and no request reaches them.",
  ),
  unsatisfiableKeyCycle: rule(
    "SC018",
    "error",
    "Erasure would delete rows that name one another through NOT NULL foreign keys: no order satisfies the database (`--connection`)",
    "Make one of the keys nullable or ON DELETE CASCADE (or DEFERRABLE INITIALLY DEFERRED on PostgreSQL), or mask one collection's rows instead of deleting them.",
  ),
  viewErased: rule(
    "SC019",
    "warning",
    "A collection erasure would write is a view in the live schema (`--connection`)",
    "Describe the tables the view reads instead, or mark the view `erasure: {action: keep, reason: …}` so that only access reads it.",
  ),
  referenceToOtherPeople: rule(
    "SC020",
    "warning",
    "A followed reference leads to rows of a collection of people (it has an identity field): a request would take in the rows it names, which may be someone else's (a manager, a reviewee)",
    "If the row it names can be another person's, add `steward: {follow: false}` to the reference (erasure still orders by it); if it is always the subject's own, give it `direction: from`, or leave it and accept the warning.",
  ),
} as const satisfies Record<string, CheckRule>;
