/**
 * A structured diff of what two versions of the notice state — purposes, the data they use, their bases, recipients
 * and their countries and safeguards, sources, retention, rights and deadlines, the controller — not a text diff.
 * Each change names its materiality rule (src/notice/materiality.ts), and says in a message what changed, so that the
 * CLI, the published history and the privacy center can put it in their reader's words (`sayChange`).
 *
 * @example
 *   const diff = diffNotice(noticeFacts(before), noticeFacts(after));
 *   diff.material;                 // true when any change is
 *   diff.changes.map((c) => sayChange(ENGLISH, c));
 */
import type { MessageKey, Translator } from "../i18n/translate.ts";
import { isThirdCountry } from "../manifest/third-country.ts";
import { MATERIALITY, type MaterialityRuleKey } from "./materiality.ts";
import type { NoticeFacts, PurposeFacts, RecipientFacts } from "./notice-facts.ts";

export type ChangeArea =
  | "purpose"
  | "source"
  | "recipient"
  | "retention"
  | "rights"
  | "controller"
  | "transfers"
  | "age";
export type ChangeKind = "added" | "removed" | "changed" | "list_added" | "list_removed";

export interface NoticeChange {
  readonly area: ChangeArea;
  /** The key of what changed (a purpose key, a system key, a jurisdiction …). */
  readonly key: string;
  /** Its name as the newer version (or, when removed, the older) gives it. */
  readonly name: string;
  readonly change: ChangeKind;
  readonly field?: string;
  readonly before?: string;
  readonly after?: string;
  /** The values added or removed, for a list. */
  readonly values?: readonly string[];
  readonly rule: MaterialityRuleKey;
  readonly material: boolean;
  readonly reason: string;
}

export interface NoticeDiff {
  readonly from: string | null;
  readonly to: string | null;
  readonly material: boolean;
  readonly changes: readonly NoticeChange[];
}

const RANK: Readonly<Record<string, number>> = { opt_in: 2, opt_out: 1, notice_only: 0 };

type Pending = Omit<NoticeChange, "material" | "reason">;

const finish = (c: Pending): NoticeChange => ({
  ...c,
  material: MATERIALITY[c.rule].material,
  reason: MATERIALITY[c.rule].reason,
});

const minus = (a: readonly string[], b: readonly string[]) => a.filter((x) => !b.includes(x));
const keysOf = (a: object, b: object) => [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();

function diffPurpose(
  key: string,
  a: PurposeFacts,
  b: PurposeFacts,
  before: NoticeFacts,
  after: NoticeFacts,
  out: Pending[],
): void {
  const base = { area: "purpose" as const, key, name: b.name };
  if (a.legal_basis !== b.legal_basis)
    out.push({
      ...base,
      change: "changed",
      field: "legal_basis",
      before: a.legal_basis ?? "",
      after: b.legal_basis ?? "",
      rule:
        b.legal_basis === "legitimate_interests"
          ? "basis_to_legitimate_interests"
          : a.legal_basis === "consent"
            ? "basis_from_consent"
            : "basis_changed",
    });
  const newSensitive = minus(b.sensitive, a.sensitive);
  if (newSensitive.length)
    out.push({ ...base, change: "list_added", field: "sensitive", values: newSensitive, rule: "new_sensitive" });
  const moreData = minus(b.data_categories, a.data_categories).filter(
    (c) => !newSensitive.some((s) => c.startsWith(s)),
  );
  if (moreData.length)
    out.push({ ...base, change: "list_added", field: "data_categories", values: moreData, rule: "more_data" });
  const lessData = minus(a.data_categories, b.data_categories);
  if (lessData.length)
    out.push({ ...base, change: "list_removed", field: "data_categories", values: lessData, rule: "less_data" });
  const added = minus(b.recipients, a.recipients);
  if (added.length) {
    const kindOf = (k: string, f: NoticeFacts) => f.recipients[k]?.kind ?? "unknown";
    const knownKinds = new Set(a.recipients.map((r) => kindOf(r, before)));
    const newKind = added.some((r) => !knownKinds.has(kindOf(r, after)));
    out.push({
      ...base,
      change: "list_added",
      field: "recipients",
      values: added,
      rule: newKind ? "new_recipient_kind" : "new_recipient",
    });
  }
  const dropped = minus(a.recipients, b.recipients);
  if (dropped.length)
    out.push({ ...base, change: "list_removed", field: "recipients", values: dropped, rule: "recipient_dropped" });
  if (a.automated_decision !== b.automated_decision)
    out.push({
      ...base,
      change: "changed",
      field: "automated_decision",
      before: a.automated_decision ?? "",
      after: b.automated_decision ?? "",
      rule: !a.automated_decision
        ? "new_automated_decision"
        : !b.automated_decision
          ? "automated_decision_dropped"
          : "automated_decision_changed",
    });
  if (a.sale_or_sharing !== b.sale_or_sharing)
    out.push({
      ...base,
      change: "changed",
      field: "sale_or_sharing",
      before: String(a.sale_or_sharing),
      after: String(b.sale_or_sharing),
      rule: b.sale_or_sharing ? "new_sale_or_sharing" : "sale_or_sharing_dropped",
    });
  for (const where of keysOf(a.consent, b.consent)) {
    const x = a.consent[where] ?? "notice_only";
    const y = b.consent[where] ?? "notice_only";
    if (x !== y)
      out.push({
        ...base,
        change: "changed",
        field: `consent.${where}`,
        before: x,
        after: y,
        rule: (RANK[y] ?? 0) < (RANK[x] ?? 0) ? "consent_weakened" : "consent_strengthened",
      });
  }
  for (const field of ["name", "description", "interest", "balancing", "data_use"] as const)
    if (a[field] !== b[field])
      out.push({ ...base, change: "changed", field, before: a[field] ?? "", after: b[field] ?? "", rule: "wording" });
}

function diffRecipient(key: string, a: RecipientFacts, b: RecipientFacts, before: NoticeFacts, out: Pending[]): void {
  const base = { area: "recipient" as const, key, name: b.name };
  const everywhere = new Set(Object.values(before.recipients).flatMap((r) => r.countries));
  const newCountries = minus(b.countries, a.countries);
  if (newCountries.length)
    out.push({
      ...base,
      change: "list_added",
      field: "countries",
      values: newCountries,
      rule: newCountries.some((c) => c !== "EEA" && isThirdCountry(c) && !everywhere.has(c))
        ? "new_third_country"
        : "new_recipient",
    });
  const fewer = minus(a.countries, b.countries);
  if (fewer.length)
    out.push({ ...base, change: "list_removed", field: "countries", values: fewer, rule: "fewer_countries" });
  const gone = minus(a.transfer_mechanisms, b.transfer_mechanisms);
  if (gone.length)
    out.push({
      ...base,
      change: "list_removed",
      field: "transfer_mechanisms",
      values: gone,
      rule: "mechanism_dropped",
    });
  const more = minus(b.transfer_mechanisms, a.transfer_mechanisms);
  if (more.length)
    out.push({ ...base, change: "list_added", field: "transfer_mechanisms", values: more, rule: "mechanism_added" });
  if (a.kind !== b.kind)
    out.push({ ...base, change: "changed", field: "kind", before: a.kind, after: b.kind, rule: "new_recipient_kind" });
  if (a.name !== b.name)
    out.push({ ...base, change: "changed", field: "name", before: a.name, after: b.name, rule: "wording" });
}

export function diffNotice(before: NoticeFacts, after: NoticeFacts): NoticeDiff {
  const out: Pending[] = [];

  for (const key of keysOf(before.purposes, after.purposes)) {
    const a = before.purposes[key];
    const b = after.purposes[key];
    if (!a && b) out.push({ area: "purpose", key, name: b.name, change: "added", rule: "new_purpose" });
    else if (a && !b) out.push({ area: "purpose", key, name: a.name, change: "removed", rule: "purpose_dropped" });
    else if (a && b) diffPurpose(key, a, b, before, after, out);
  }

  const kindsBefore = new Set(Object.values(before.recipients).map((r) => r.kind));
  const countriesBefore = new Set(Object.values(before.recipients).flatMap((r) => r.countries));
  for (const key of keysOf(before.recipients, after.recipients)) {
    const a = before.recipients[key];
    const b = after.recipients[key];
    if (!a && b) {
      const third = b.countries.filter((c) => c !== "EEA" && isThirdCountry(c) && !countriesBefore.has(c));
      out.push({
        area: "recipient",
        key,
        name: b.name,
        change: "added",
        ...(third.length ? { values: third } : {}),
        rule: third.length ? "new_third_country" : kindsBefore.has(b.kind) ? "new_recipient" : "new_recipient_kind",
      });
    } else if (a && !b)
      out.push({ area: "recipient", key, name: a.name, change: "removed", rule: "recipient_dropped" });
    else if (a && b) diffRecipient(key, a, b, before, out);
  }

  for (const key of keysOf(before.sources, after.sources)) {
    const a = before.sources[key];
    const b = after.sources[key];
    if (!a && b) out.push({ area: "source", key, name: b.name, change: "added", rule: "new_source" });
    else if (a && !b) out.push({ area: "source", key, name: a.name, change: "removed", rule: "source_dropped" });
    else if (a && b) {
      const more = minus(b.data_categories, a.data_categories);
      if (more.length)
        out.push({
          area: "source",
          key,
          name: b.name,
          change: "list_added",
          field: "data_categories",
          values: more,
          rule: "more_source_data",
        });
    }
  }

  // A rule is named by its description without the final full stop ("Raw page-view events are deleted …").
  const named = (d: string) => d.replace(/\.\s*$/, "");
  for (const key of keysOf(before.retention, after.retention)) {
    const a0 = before.retention[key];
    const b0 = after.retention[key];
    const a = a0 && { ...a0, description: named(a0.description) };
    const b = b0 && { ...b0, description: named(b0.description) };
    if (!a && b)
      out.push({
        area: "retention",
        key,
        name: b.description,
        change: "added",
        after: b.period,
        rule: "retention_added",
      });
    else if (a && !b)
      out.push({
        area: "retention",
        key,
        name: a.description,
        change: "removed",
        before: a.period,
        rule: "retention_removed",
      });
    else if (a && b) {
      if (a.period !== b.period)
        out.push({
          area: "retention",
          key,
          name: b.description,
          change: "changed",
          field: "period",
          before: a.period,
          after: b.period,
          rule:
            a.kind !== b.kind || a.days === null || b.days === null
              ? "retention_counted_differently"
              : b.days > a.days
                ? "longer_retention"
                : "shorter_retention",
        });
      const more = minus(b.data_categories, a.data_categories);
      if (more.length)
        out.push({
          area: "retention",
          key,
          name: b.description,
          change: "list_added",
          field: "data_categories",
          values: more,
          rule: "more_retained_data",
        });
    }
  }

  for (const key of keysOf(before.rights, after.rights)) {
    const a = before.rights[key];
    const b = after.rights[key];
    if (!a && b) out.push({ area: "rights", key, name: b.name, change: "added", rule: "jurisdiction_added" });
    else if (a && !b) out.push({ area: "rights", key, name: a.name, change: "removed", rule: "jurisdiction_removed" });
    else if (a && b) {
      const gone = minus(a.requests, b.requests);
      if (gone.length)
        out.push({
          area: "rights",
          key,
          name: b.name,
          change: "list_removed",
          field: "requests",
          values: gone,
          rule: "right_removed",
        });
      const more = minus(b.requests, a.requests);
      if (more.length)
        out.push({
          area: "rights",
          key,
          name: b.name,
          change: "list_added",
          field: "requests",
          values: more,
          rule: "right_added",
        });
      if (a.deadline_days !== b.deadline_days)
        out.push({
          area: "rights",
          key,
          name: b.name,
          change: "changed",
          field: "deadline",
          before: a.deadline,
          after: b.deadline,
          rule: b.deadline_days > a.deadline_days ? "longer_deadline" : "shorter_deadline",
        });
    }
  }

  const goneMechanisms = minus(before.transfer_mechanisms, after.transfer_mechanisms);
  if (goneMechanisms.length)
    out.push({
      area: "transfers",
      key: "organization",
      name: "",
      change: "list_removed",
      field: "transfer_mechanisms",
      values: goneMechanisms,
      rule: "mechanism_dropped",
    });
  const newMechanisms = minus(after.transfer_mechanisms, before.transfer_mechanisms);
  if (newMechanisms.length)
    out.push({
      area: "transfers",
      key: "organization",
      name: "",
      change: "list_added",
      field: "transfer_mechanisms",
      values: newMechanisms,
      rule: "mechanism_added",
    });

  if (before.minimum_age !== after.minimum_age)
    out.push({
      area: "age",
      key: "minimum_age",
      name: "",
      change: "changed",
      field: "minimum_age",
      before: String(before.minimum_age ?? ""),
      after: String(after.minimum_age ?? ""),
      rule: (after.minimum_age ?? 0) < (before.minimum_age ?? 0) ? "lower_minimum_age" : "higher_minimum_age",
    });

  const ca = before.controller;
  const cb = after.controller;
  for (const field of [
    "legal_name",
    "name",
    "contact_email",
    "address",
    "dpo",
    "representatives",
    "authorities",
  ] as const) {
    const x = JSON.stringify(ca?.[field] ?? null);
    const y = JSON.stringify(cb?.[field] ?? null);
    if (x !== y)
      out.push({
        area: "controller",
        key: field,
        name: cb?.name ?? ca?.name ?? "",
        change: "changed",
        field,
        before: [ca?.[field] ?? ""].flat().join("; "),
        after: [cb?.[field] ?? ""].flat().join("; "),
        rule: "controller_details",
      });
  }

  const changes = out.map(finish);
  return { from: before.version, to: after.version, material: changes.some((c) => c.material), changes };
}

/** The change in the reader's words (catalogue `diff.*`). */
export function sayChange(t: Translator, c: NoticeChange): string {
  const field = c.field ? t.t(`diff.field.${c.field.split(".")[0]}` as MessageKey) : "";
  const where = c.field?.startsWith("consent.") ? c.field.slice(8) : "";
  return t.t(`diff.${c.area}.${c.change}` as MessageKey, {
    name: c.name,
    field: where ? `${field} (${where})` : field,
    before: c.before ?? "",
    after: c.after ?? "",
    values: (c.values ?? []).join(", "),
  });
}

/** A published version with its diff, as the store lists it. */
export interface PublishedNotice {
  readonly version: string;
  readonly effective_date: string;
  readonly diff: unknown;
  readonly material: boolean | null;
}

/**
 * The material change people must be told of before it applies: the newest published version whose diff is material
 * and whose effective date (`YYYY-MM-DD`) is after `today`. Shown by the privacy center until that day.
 */
export function upcomingMaterialChange(
  published: readonly PublishedNotice[],
  today: string,
): { readonly version: string; readonly effective_date: string; readonly diff: NoticeDiff } | undefined {
  const found = published.find((p) => p.material === true && p.effective_date > today && p.diff);
  return found
    ? { version: found.version, effective_date: found.effective_date, diff: found.diff as NoticeDiff }
    : undefined;
}
