/**
 * What a notice states, as plain comparable data: the facts two versions of the manifest are diffed on
 * (src/notice/diff-notice.ts), and what a published version keeps so that a later one can be diffed against it
 * without the old manifest folder. Pure: a function of the Manifest.
 */
import { isSaleOrSharing, SENSITIVE_CATEGORIES, sensitiveCategoriesOf } from "../manifest/jurisdictions.ts";
import type { Manifest } from "../manifest/types.ts";
import { deadlineRulesFor } from "../requests/deadlines/index.ts";
import { triggerInWords } from "./retention-in-words.ts";

export interface PurposeFacts {
  readonly name: string;
  readonly description: string;
  readonly data_use: string;
  readonly legal_basis: string | null;
  readonly interest: string | null;
  readonly balancing: string | null;
  readonly data_categories: readonly string[];
  readonly sensitive: readonly string[];
  readonly recipients: readonly string[];
  readonly automated_decision: string | null;
  readonly sale_or_sharing: boolean;
  /** Mechanism per `consent:` key. */
  readonly consent: Readonly<Record<string, string>>;
}

export interface RecipientFacts {
  readonly name: string;
  readonly kind: string;
  readonly countries: readonly string[];
  readonly transfer_mechanisms: readonly string[];
  readonly data_categories: readonly string[];
}

export interface RetentionFacts {
  readonly description: string;
  readonly data_categories: readonly string[];
  /** The period in words ("3 years from last_seen_at"). */
  readonly period: string;
  /** The period in days when it is one ("period" and "account_lifetime" rules), for longer / shorter. */
  readonly days: number | null;
  readonly kind: string;
  readonly action: string;
}

export interface RightsFacts {
  readonly name: string;
  readonly requests: readonly string[];
  /** The answer deadline in days as the law or the manifest counts it (months × 30, business days × 7/5). */
  readonly deadline_days: number;
  readonly deadline: string;
}

export interface NoticeFacts {
  readonly version: string | null;
  readonly effective_date: string | null;
  readonly controller: {
    readonly legal_name: string;
    readonly name: string;
    readonly contact_email: string;
    readonly address: string;
    readonly dpo: string | null;
    readonly representatives: readonly string[];
    readonly authorities: readonly string[];
  } | null;
  readonly minimum_age: number | null;
  readonly transfer_mechanisms: readonly string[];
  readonly purposes: Readonly<Record<string, PurposeFacts>>;
  readonly sources: Readonly<
    Record<string, { readonly name: string; readonly kind: string; readonly data_categories: readonly string[] }>
  >;
  readonly recipients: Readonly<Record<string, RecipientFacts>>;
  readonly retention: Readonly<Record<string, RetentionFacts>>;
  readonly rights: Readonly<Record<string, RightsFacts>>;
}

const sorted = (values: Iterable<string>) => [...new Set(values)].sort();

const DAYS_PER_UNIT: Readonly<Record<string, number>> = { days: 1, business_days: 7 / 5, months: 30 };

export function noticeFacts(m: Manifest): NoticeFacts {
  const org = m.organization;
  return {
    version: m.notice?.version ?? null,
    effective_date: m.notice?.effective_date ?? null,
    controller: org
      ? {
          legal_name: org.legal_name,
          name: org.name,
          contact_email: org.contact_email,
          address: [
            org.address.street,
            org.address.postal_code,
            org.address.city,
            org.address.region,
            org.address.country,
          ]
            .filter(Boolean)
            .join(", "),
          dpo: org.dpo ? `${org.dpo.name} <${org.dpo.email}>` : null,
          representatives: org.representatives.map((r) => `${r.region}: ${r.name} <${r.email}>`).sort(),
          authorities: org.supervisory_authorities.map((a) => `${a.name} (${a.country})`).sort(),
        }
      : null,
    minimum_age: org?.minimum_age ?? null,
    transfer_mechanisms: sorted(org?.transfers?.mechanisms ?? []),
    purposes: Object.fromEntries(
      m.purposes.map((p) => [
        p.key,
        {
          name: p.name,
          description: p.description,
          data_use: p.data_use,
          legal_basis: p.legal_basis ?? null,
          interest: p.legitimate_interest?.interest ?? null,
          balancing: p.legitimate_interest?.balancing ?? null,
          data_categories: sorted(p.data_categories),
          sensitive: sorted(sensitiveCategoriesOf(p)),
          recipients: sorted(p.recipients),
          automated_decision: p.automated_decision
            ? `${p.automated_decision.logic} ${p.automated_decision.significance}`
            : null,
          sale_or_sharing: isSaleOrSharing(p),
          consent: Object.fromEntries(Object.entries(p.consent).sort(([a], [b]) => a.localeCompare(b))),
        },
      ]),
    ),
    sources: Object.fromEntries(
      m.sources.map((s) => [s.key, { name: s.name, kind: s.kind, data_categories: sorted(s.data_categories) }]),
    ),
    recipients: Object.fromEntries(
      m.systems.map((s) => [
        s.key,
        {
          name: s.name,
          kind: s.kind,
          countries: sorted(s.countries),
          transfer_mechanisms: sorted(s.transfer_mechanisms),
          data_categories: sorted(s.data_categories),
        },
      ]),
    ),
    retention: Object.fromEntries(
      m.retention.map((r) => [
        r.key,
        {
          description: r.description,
          data_categories: sorted(r.data_categories),
          period: triggerInWords(r.trigger),
          days:
            r.trigger.kind === "period" || r.trigger.kind === "after_event"
              ? r.trigger.days
              : r.trigger.kind === "account_lifetime"
                ? r.trigger.grace_days
                : null,
          kind: r.trigger.kind,
          action: r.action,
        },
      ]),
    ),
    rights: Object.fromEntries(
      m.rights.map((r) => {
        const rule = deadlineRulesFor(r.jurisdiction, r);
        return [
          r.jurisdiction,
          {
            name: r.name,
            requests: sorted(r.requests),
            deadline_days: Math.round(rule.respond.amount * (DAYS_PER_UNIT[rule.respond.unit] ?? 1)),
            deadline: `${rule.respond.amount} ${rule.respond.unit.replace("_", " ")}`,
          },
        ];
      }),
    ),
  };
}

/** Whether a category key is sensitive (or lies below a sensitive one). */
export const isSensitiveCategory = (key: string): boolean =>
  SENSITIVE_CATEGORIES.some((s) => key === s || key.startsWith(`${s}.`));
