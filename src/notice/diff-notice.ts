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

type Base = Pick<Pending, "area" | "key" | "name">;

/** The values a list gained or lost, as one change — none when there are none. */
function listed(
  out: Pending[],
  base: Base,
  change: "list_added" | "list_removed",
  field: string,
  values: readonly string[],
  rule: MaterialityRuleKey,
): void {
  if (values.length) out.push({ ...base, change, field, values, rule });
}

/** What an added or a removed entry of an area says beyond its name: its rule, and perhaps values or a period. */
type Ends = Pick<Pending, "rule"> & Partial<Pick<Pending, "values" | "before" | "after">>;

/**
 * One area keyed by name (purposes, recipients, sources, retention rules, jurisdictions): an entry only in the later
 * version is added, one only in the earlier is removed, each by its rule; one in both is compared by `both`.
 */
function keyed<T>(
  out: Pending[],
  area: ChangeArea,
  before: Readonly<Record<string, T>>,
  after: Readonly<Record<string, T>>,
  name: (entry: T) => string,
  on: { added: (b: T) => Ends; removed: (a: T) => Ends; both: (base: Base, a: T, b: T) => void },
): void {
  for (const key of keysOf(before, after)) {
    const a = before[key];
    const b = after[key];
    if (!a && b) out.push({ area, key, name: name(b), change: "added", ...on.added(b) });
    else if (a && !b) out.push({ area, key, name: name(a), change: "removed", ...on.removed(a) });
    else if (a && b) on.both({ area, key, name: name(b) }, a, b);
  }
}

function diffPurpose(
  base: Base,
  a: PurposeFacts,
  b: PurposeFacts,
  before: NoticeFacts,
  after: NoticeFacts,
  out: Pending[],
): void {
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
  listed(out, base, "list_added", "sensitive", newSensitive, "new_sensitive");
  const moreData = minus(b.data_categories, a.data_categories).filter(
    (c) => !newSensitive.some((s) => c.startsWith(s)),
  );
  listed(out, base, "list_added", "data_categories", moreData, "more_data");
  listed(out, base, "list_removed", "data_categories", minus(a.data_categories, b.data_categories), "less_data");
  const added = minus(b.recipients, a.recipients);
  const kindOf = (k: string, f: NoticeFacts) => f.recipients[k]?.kind ?? "unknown";
  const knownKinds = new Set(a.recipients.map((r) => kindOf(r, before)));
  const newKind = added.some((r) => !knownKinds.has(kindOf(r, after)));
  listed(out, base, "list_added", "recipients", added, newKind ? "new_recipient_kind" : "new_recipient");
  listed(out, base, "list_removed", "recipients", minus(a.recipients, b.recipients), "recipient_dropped");
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

function diffRecipient(base: Base, a: RecipientFacts, b: RecipientFacts, before: NoticeFacts, out: Pending[]): void {
  const everywhere = new Set(Object.values(before.recipients).flatMap((r) => r.countries));
  const newCountries = minus(b.countries, a.countries);
  const third = newCountries.some((c) => c !== "EEA" && isThirdCountry(c) && !everywhere.has(c));
  listed(out, base, "list_added", "countries", newCountries, third ? "new_third_country" : "new_recipient");
  listed(out, base, "list_removed", "countries", minus(a.countries, b.countries), "fewer_countries");
  const mechanisms = [a.transfer_mechanisms, b.transfer_mechanisms] as const;
  listed(out, base, "list_removed", "transfer_mechanisms", minus(...mechanisms), "mechanism_dropped");
  listed(out, base, "list_added", "transfer_mechanisms", minus(mechanisms[1], mechanisms[0]), "mechanism_added");
  if (a.kind !== b.kind)
    out.push({ ...base, change: "changed", field: "kind", before: a.kind, after: b.kind, rule: "new_recipient_kind" });
  if (a.name !== b.name)
    out.push({ ...base, change: "changed", field: "name", before: a.name, after: b.name, rule: "wording" });
}

export function diffNotice(before: NoticeFacts, after: NoticeFacts): NoticeDiff {
  const out: Pending[] = [];

  keyed(out, "purpose", before.purposes, after.purposes, (p) => p.name, {
    added: () => ({ rule: "new_purpose" }),
    removed: () => ({ rule: "purpose_dropped" }),
    both: (base, a, b) => diffPurpose(base, a, b, before, after, out),
  });

  const kindsBefore = new Set(Object.values(before.recipients).map((r) => r.kind));
  const countriesBefore = new Set(Object.values(before.recipients).flatMap((r) => r.countries));
  keyed(out, "recipient", before.recipients, after.recipients, (r) => r.name, {
    added: (b) => {
      const third = b.countries.filter((c) => c !== "EEA" && isThirdCountry(c) && !countriesBefore.has(c));
      return third.length
        ? { values: third, rule: "new_third_country" }
        : { rule: kindsBefore.has(b.kind) ? "new_recipient" : "new_recipient_kind" };
    },
    removed: () => ({ rule: "recipient_dropped" }),
    both: (base, a, b) => diffRecipient(base, a, b, before, out),
  });

  keyed(out, "source", before.sources, after.sources, (s) => s.name, {
    added: () => ({ rule: "new_source" }),
    removed: () => ({ rule: "source_dropped" }),
    both: (base, a, b) =>
      listed(
        out,
        base,
        "list_added",
        "data_categories",
        minus(b.data_categories, a.data_categories),
        "more_source_data",
      ),
  });

  // A rule is named by its description without the final full stop ("Raw page-view events are deleted …").
  keyed(out, "retention", before.retention, after.retention, (r) => r.description.replace(/\.\s*$/, ""), {
    added: (b) => ({ after: b.period, rule: "retention_added" }),
    removed: (a) => ({ before: a.period, rule: "retention_removed" }),
    both: (base, a, b) => {
      if (a.period !== b.period)
        out.push({
          ...base,
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
      listed(
        out,
        base,
        "list_added",
        "data_categories",
        minus(b.data_categories, a.data_categories),
        "more_retained_data",
      );
    },
  });

  keyed(out, "rights", before.rights, after.rights, (r) => r.name, {
    added: () => ({ rule: "jurisdiction_added" }),
    removed: () => ({ rule: "jurisdiction_removed" }),
    both: (base, a, b) => {
      listed(out, base, "list_removed", "requests", minus(a.requests, b.requests), "right_removed");
      listed(out, base, "list_added", "requests", minus(b.requests, a.requests), "right_added");
      if (a.deadline_days !== b.deadline_days)
        out.push({
          ...base,
          change: "changed",
          field: "deadline",
          before: a.deadline,
          after: b.deadline,
          rule: b.deadline_days > a.deadline_days ? "longer_deadline" : "shorter_deadline",
        });
    },
  });

  const organization: Base = { area: "transfers", key: "organization", name: "" };
  const mechanisms = [before.transfer_mechanisms, after.transfer_mechanisms] as const;
  listed(out, organization, "list_removed", "transfer_mechanisms", minus(...mechanisms), "mechanism_dropped");
  listed(
    out,
    organization,
    "list_added",
    "transfer_mechanisms",
    minus(mechanisms[1], mechanisms[0]),
    "mechanism_added",
  );

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
    values: (c.field === "countries"
      ? (c.values ?? []).map((code) => regionName(t.locale, code))
      : (c.values ?? [])
    ).join(", "),
  });
}

/** A country code in the reader's language ("BR" → "Brazil", "Brasilien"); other values as written. */
function regionName(locale: string, code: string): string {
  if (code === "EEA") return locale.startsWith("de") ? "Europäischer Wirtschaftsraum" : "European Economic Area";
  if (!/^[A-Z]{2}$/.test(code)) return code;
  return new Intl.DisplayNames([locale], { type: "region" }).of(code) ?? code;
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
