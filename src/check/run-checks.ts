/**
 * Lints a loaded manifest: every finding has a stable code (src/check/rules.ts), a severity, a message naming the
 * offending resource and value, a location and the fix. Pure: it reads the Manifest only.
 */
import { reviewNoteOf } from "../discover/review-note.ts";
import type { SourceLocation } from "../errors.ts";
import { isWithin } from "../manifest/taxonomy/build-taxonomy.ts";
import type { JurisdictionRights, Manifest } from "../manifest/types.ts";
import { flattenFields } from "../manifest/validate-references.ts";
import { buildReferenceGraph, isPersonalField, reachableCollections } from "../plan/reference-graph.ts";
import {
  checkStatedDeadline,
  type DeadlineMismatch,
  type DeadlineRule,
  deadlineRulesFor,
  periodInWords,
  statedPeriodText,
} from "../requests/deadlines/index.ts";
import { CHECK_RULES, type CheckRule, type Severity } from "./rules.ts";

export interface Finding {
  readonly code: string;
  readonly severity: Severity;
  readonly message: string;
  readonly location: SourceLocation;
  readonly fix: string;
}

export interface CheckReport {
  readonly errors: readonly Finding[];
  readonly warnings: readonly Finding[];
  readonly summary: {
    readonly files: number;
    readonly purposes: number;
    readonly systems: number;
    readonly datasets: number;
    readonly collections: number;
    readonly fields: number;
    readonly retention_rules: number;
    readonly errors: number;
    readonly warnings: number;
  };
}

/** EEA members (and the UK and Switzerland, whose transfers the GDPR-like laws treat alike) need no mechanism. */
const NO_MECHANISM_NEEDED = new Set(
  "AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE IS LI NO EEA GB CH".split(" "),
);

/** `jurisdiction "eea" states a deadline of 30 days; the GDPR says one month (GDPR Art. 12(3)) — write …`. */
function deadlineMismatchText(r: JurisdictionRights, rule: DeadlineRule, m: DeadlineMismatch): string {
  const stated = m.stated
    ? `${m.field === "deadline" ? "a deadline" : "an extension"} of ${statedPeriodText(m.stated)}`
    : "no extension";
  const law = m.law
    ? `${m.field === "deadline" ? "" : "up to "}${periodInWords(m.law, m.field === "extension")} (${m.law.cite})`
    : "no extension";
  const write = m.law ? `write \`${m.field}: ${statedPeriodText(m.law)}\`` : `remove \`${m.field}\``;
  return `jurisdiction "${r.jurisdiction}" states ${stated}; ${rule.law} says ${law} — ${write}; the service and the notice use the law's figure`;
}

export function runChecks(manifest: Manifest): CheckReport {
  const findings: Finding[] = [];
  const report = (rule: CheckRule, message: string, location: SourceLocation) =>
    findings.push({ code: rule.code, severity: rule.severity, message, location, fix: rule.fix });
  const R = CHECK_RULES;

  // Fields and where categories are stored.
  const stored = new Map<string, SourceLocation>();
  let fieldCount = 0;
  let collectionCount = 0;
  for (const d of manifest.datasets) {
    if (!d.connection) report(R.datasetWithoutConnection, `dataset "${d.fides_key}" has no \`connection\``, d.at);
    for (const c of d.collections) {
      collectionCount++;
      for (const [name, f] of flattenFields(c.fields)) {
        fieldCount++;
        if (f.fields.length > 0) continue; // an object field is classified through its children
        if (f.data_categories.length === 0 && f.personal !== false)
          report(R.unclassifiedField, `field "${d.fides_key}.${c.name}.${name}" has no data category`, f.at);
        const note = reviewNoteOf(f);
        if (note !== undefined)
          report(R.suggestionNotReviewed, `field "${d.fides_key}.${c.name}.${name}" is not reviewed: ${note}`, f.at);
        for (const cat of f.data_categories) if (!stored.has(cat)) stored.set(cat, f.at);
      }
    }
  }

  const graph = buildReferenceGraph(manifest.datasets);
  const reached = reachableCollections(graph);
  for (const d of manifest.datasets) {
    for (const c of d.collections) {
      const address = `${d.fides_key}.${c.name}`;
      if (c.skip_processing || reached.has(address)) continue;
      if ([...flattenFields(c.fields).values()].some(isPersonalField))
        report(R.unreachableCollection, `collection "${address}" holds personal data but no identity reaches it`, c.at);
    }
  }

  // A followed reference that leads from a collection's rows to the rows they name, in a collection of people (one
  // with an identity field): a request takes those rows in as the subject's. A collection's reference to itself leads
  // to other rows of people whichever way it is followed.
  const people = new Set(
    manifest.datasets.flatMap((d) =>
      d.collections
        .filter((c) => [...flattenFields(c.fields).values()].some((f) => f.identity !== undefined))
        .map((c) => `${d.fides_key}.${c.name}`),
    ),
  );
  for (const d of manifest.datasets)
    for (const c of d.collections)
      for (const [name, f] of flattenFields(c.fields))
        for (const r of f.references) {
          if (r.steward?.follow === false) continue;
          const target = `${r.dataset}.${r.field.split(".")[0]}`;
          const self = target === `${d.fides_key}.${c.name}`;
          if (!people.has(target) || !(self || r.direction === "to")) continue;
          report(
            R.referenceToOtherPeople,
            `the reference of "${d.fides_key}.${c.name}.${name}" to "${r.dataset}.${r.field}" takes the ${target} rows it names into the request${self ? " (a reference of a collection to itself)" : ""}`,
            f.at,
          );
        }

  // Data may live at a processor only (e.g. purchase details at the payment processor), so it counts as held too.
  const held = new Set([...stored.keys(), ...manifest.systems.flatMap((s) => s.data_categories)]);
  for (const p of manifest.purposes) {
    // A processor acts on the controller's legal basis, so a purpose done as processor needs none of its own.
    if (!p.legal_basis && !p.processor_for)
      report(R.purposeWithoutBasis, `purpose "${p.key}" has no \`legal_basis\``, p.at);
    if (p.legal_basis === "legitimate_interests" && !p.legitimate_interest)
      report(
        R.legitimateInterestWithoutBalancing,
        `purpose "${p.key}" relies on legitimate interests without a balancing record`,
        p.at,
      );
    if (p.legal_basis === "consent" && Object.keys(p.consent).length === 0)
      report(R.consentWithoutMechanism, `purpose "${p.key}" relies on consent without \`consent:\` mechanisms`, p.at);
    if (manifest.notice && !manifest.notice.sections.includes(p.notice_section))
      report(
        R.purposeMissingFromNotice,
        `purpose "${p.key}" belongs in notice section "${p.notice_section}", which the notice leaves out`,
        p.at,
      );
    for (const cat of p.data_categories)
      if (![...held].some((s) => isWithin(s, cat) || isWithin(cat, s)) && manifest.datasets.length > 0)
        report(
          R.purposeCategoryNotStored,
          `purpose "${p.key}" names category "${cat}", which no dataset field stores`,
          p.at,
        );
  }

  const personalStored = [...stored].filter(([c]) => c === "user" || c.startsWith("user."));
  for (const [cat, at] of personalStored) {
    if (!manifest.retention.some((r) => r.data_categories.some((rc) => isWithin(cat, rc))))
      report(R.categoryWithoutRetention, `data category "${cat}" is stored but no retention rule covers it`, at);
    if (manifest.notice && !manifest.sources.some((s) => s.data_categories.some((sc) => isWithin(cat, sc))))
      report(
        R.categoryMissingFromNotice,
        `data category "${cat}" is stored but no source in the notice discloses it`,
        at,
      );
  }

  const orgMechanisms = manifest.organization?.transfers?.mechanisms ?? [];
  for (const s of manifest.systems) {
    const abroad = s.countries.filter((c) => !NO_MECHANISM_NEEDED.has(c));
    const mechanisms = s.kind === "internal" ? [...s.transfer_mechanisms, ...orgMechanisms] : s.transfer_mechanisms;
    if (abroad.length > 0 && mechanisms.length === 0)
      report(
        R.transferWithoutMechanism,
        `system "${s.key}" receives data in ${abroad.join(", ")} without a transfer mechanism`,
        s.at,
      );
    if (s.kind === "processor" && !s.dpa)
      report(R.processorWithoutAgreement, `processor "${s.key}" has no \`dpa\` reference`, s.at);
  }

  for (const r of manifest.rights) {
    const rule = deadlineRulesFor(r.jurisdiction, r);
    for (const m of checkStatedDeadline(rule, r))
      report(R.deadlineDiffersFromLaw, deadlineMismatchText(r, rule, m), r.at);
  }

  if (!manifest.organization || !manifest.notice)
    report(R.missingNotice, `the manifest has no ${manifest.organization ? "`notice:`" : "`organization:`"}`, {
      file: manifest.root,
    });

  const errors = findings.filter((f) => f.severity === "error");
  const warnings = findings.filter((f) => f.severity === "warning");
  return {
    errors,
    warnings,
    summary: {
      files: manifest.files.length,
      purposes: manifest.purposes.length,
      systems: manifest.systems.length,
      datasets: manifest.datasets.length,
      collections: collectionCount,
      fields: fieldCount,
      retention_rules: manifest.retention.length,
      errors: errors.length,
      warnings: warnings.length,
    },
  };
}
