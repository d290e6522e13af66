/**
 * Plans the manifest's retention rules (pure, no I/O): for each rule, which collections it covers, what happens to
 * their rows (deleted, or some fields masked), how the sweep finds them, and what follows.
 *
 * - `period` rules are swept by a condition on the store: rows whose `from` column is older than the period. A target
 *   whose rows nothing else refers to is deleted by that condition alone, in batches (`direct`); any other target is
 *   read by key in batches and each batch goes through the erasure engine, seeded with those keys.
 * - `account` rules (`account_lifetime`) take the accounts closed longer ago than the grace period and run a
 *   restricted erasure for them; `event` rules run the same restricted erasure for the person an event names.
 * - `clock` rules (a `period` counted `after` an event) keep a clock per person, started by the event; once it has run
 *   out, the same restricted erasure runs for that person.
 * - `legal` rules are kept as the law requires: nothing is swept, the plan says why.
 *
 * A restricted erasure is the ordinary erasure plan with each step's treatment chosen by the rule: the rule's own
 * collections get its action, collections that hang off them and that no rule names follow as erasure would, and
 * everything else is kept. The erasure engine then does what it always does: a parent still named by a kept row is
 * masked, not deleted; exemptions keep rows and their children.
 *
 * @example
 *   const rules = retentionPlan(manifest);
 *   const cutoff = cutoffOf("P13M", new Date()); // rows older than this are due
 */
import { isWithin } from "../manifest/taxonomy/build-taxonomy.ts";
import type { Manifest, RetentionRule, RetentionTrigger } from "../manifest/types.ts";
import { flattenFields } from "../manifest/validate-references.ts";
import { buildPlan, fieldTreatments } from "./build-plan.ts";
import { keyLinks } from "./key-links.ts";
import type { LiveOrder } from "./live-schema.ts";
import type { CollectionStep, CollectionTreatment, ExemptionNode, FieldTreatment, Plan } from "./plan.ts";
import { type CollectionAddress, type IdentitySeed, isPersonalField } from "./reference-graph.ts";

/** When a rule's sweep runs where the manifest does not say: daily at 03:17 UTC. */
export const DEFAULT_SCHEDULE = "17 3 * * *";

export type SweepKind = "period" | "account" | "event" | "clock" | "none";

export interface RetentionTarget {
  readonly collection: CollectionAddress;
  readonly dataset: string;
  readonly name: string;
  /** The primary key column; a period sweep without one can only delete by condition. */
  readonly key?: string;
  readonly action: "delete" | "mask";
  /** Mask: what each covered field gets. Delete of a collection erasure masks: the same. */
  readonly fields: readonly FieldTreatment[];
  readonly exemptions: readonly ExemptionNode[];
  /** Collections that hang off this one, that no rule names: their rows follow as erasure would. */
  readonly followers: readonly CollectionAddress[];
  /** Collections that hang off this one and that other rules keep: a row they still name is masked, not deleted. */
  readonly kept: readonly CollectionAddress[];
  /** Period sweeps: delete by the condition alone, in batches, no read (nothing follows, nothing to mask). */
  readonly direct: boolean;
  /** Why the rows go or change, in words. */
  readonly why: string;
}

export interface RetentionRulePlan {
  readonly kind: "retention_rule";
  readonly rule: string;
  readonly description: string;
  readonly reason: string;
  readonly trigger: RetentionTrigger;
  readonly sweep: SweepKind;
  /** Set when `sweep` is `none`: why nothing is swept. */
  readonly why?: string;
  readonly schedule: string;
  readonly where?: Readonly<Record<string, string | number | boolean>>;
  readonly targets: readonly RetentionTarget[];
}

const covered = (categories: readonly string[], rule: readonly string[]) =>
  categories.some((c) => rule.some((r) => c === r || isWithin(c, r)));

export function retentionPlan(manifest: Manifest): RetentionRulePlan[] {
  const links = keyLinks(manifest);
  const named = new Set(manifest.retention.flatMap((r) => r.collections));
  const exemptionsByKey = new Map(manifest.exemptions.map((e) => [e.key, e]));
  const childrenOf = (address: string) => [...new Set(links.filter((l) => l.parent === address).map((l) => l.child))];

  return manifest.retention.map((rule): RetentionRulePlan => {
    const sweep: SweepKind =
      rule.trigger.kind === "period"
        ? "period"
        : rule.trigger.kind === "event"
          ? "event"
          : rule.trigger.kind === "after_event"
            ? "clock"
            : rule.trigger.kind === "account_lifetime" && manifest.account
              ? "account"
              : "none";
    const targets: RetentionTarget[] = [];
    for (const d of manifest.datasets)
      for (const c of d.collections) {
        const address = `${d.fides_key}.${c.name}`;
        const fields = flattenFields(c.fields);
        const listed =
          rule.collections.length > 0
            ? rule.collections.includes(address)
            : [...fields.values()].some((f) => isPersonalField(f) && covered(f.data_categories, rule.data_categories));
        if (!listed || c.skip_processing) continue;
        const primary = [...fields].find(([, f]) => f.primary_key)?.[0];
        const masks = fieldTreatments(c, fields).filter((t) => {
          const f = fields.get(t.field)!;
          return covered(f.data_categories, rule.data_categories);
        });
        // A rule's `delete` does what erasure does to the collection: rows go where the dataset deletes them; where
        // it keeps rows (public posts) only the personal fields are masked.
        const deletes = rule.action === "delete" && c.erasure?.action !== "mask" && c.erasure?.action !== "keep";
        const keeps = rule.action === "delete" && c.erasure?.action === "keep";
        if (keeps) continue;
        const descendants = new Set<string>();
        for (const queue = childrenOf(address); queue.length > 0; ) {
          const next = queue.shift()!;
          if (descendants.has(next) || next === address) continue;
          descendants.add(next);
          if (!named.has(next)) queue.push(...childrenOf(next));
        }
        const followers = [...descendants].filter((a) => !named.has(a));
        const kept = [...descendants].filter((a) => named.has(a));
        const exemptions = c.exemptions
          .filter((x) => exemptionsByKey.get(x.exemption)?.applies_to.includes("erasure") ?? true)
          .map((x) => ({
            kind: "exemption" as const,
            exemption: x.exemption,
            reason: exemptionsByKey.get(x.exemption)?.reason ?? x.exemption,
            ...(x.where ? { where: x.where } : {}),
          }));
        targets.push({
          collection: address,
          dataset: d.fides_key,
          name: c.name,
          ...(primary ? { key: primary } : {}),
          action: deletes ? "delete" : "mask",
          fields: deletes ? [] : masks,
          exemptions,
          followers,
          kept,
          direct: deletes && descendants.size === 0 && !exemptions.some((x) => x.where === undefined),
          why: deletes
            ? `rows are deleted: ${rule.description}`
            : `fields of ${rule.data_categories.join(", ")} are masked: ${rule.description}`,
        });
      }
    // Descendants that are the rule's own targets are neither followers nor kept: the rule treats them itself.
    const own = new Set(targets.map((t) => t.collection));
    for (const [i, t] of targets.entries())
      targets[i] = {
        ...t,
        followers: t.followers.filter((a) => !own.has(a)),
        kept: t.kept.filter((a) => !own.has(a)),
      };
    const why =
      sweep !== "none"
        ? undefined
        : rule.trigger.kind === "legal"
          ? `kept as the law requires (${rule.trigger.description}); nothing is swept`
          : "the manifest does not say where accounts are closed (`account: {collection, closed_at}`); nothing is swept";
    return {
      kind: "retention_rule",
      rule: rule.key,
      description: rule.description,
      reason: rule.reason,
      trigger: rule.trigger,
      sweep,
      ...(why ? { why } : {}),
      schedule: rule.schedule ?? DEFAULT_SCHEDULE,
      ...(rule.where ? { where: rule.where } : {}),
      targets: sweep === "none" ? [] : targets,
    };
  });
}

/** The identity type of a period sweep's seed: the due rows' own keys. */
export const rowIdentity = (collection: CollectionAddress): string => `row:${collection}`;

/**
 * The erasure plan of one rule: the ordinary erasure plan from `identities` (and `seeds`), with each step treated as
 * the rule says — its targets get the rule's action, their followers erasure's own, every other collection is kept.
 * `order` is what the live schema adds to the erasure order (`planWithLiveSchema`), as for any erasure.
 */
export function ruleErasurePlan(
  manifest: Manifest,
  rule: RetentionRulePlan,
  identities: readonly string[],
  seeds: readonly IdentitySeed[] = [],
  order: LiveOrder = [],
): Plan {
  const base = buildPlan(manifest, { action: "erasure", identities, seeds, order });
  const targets = new Map(rule.targets.map((t) => [t.collection, t]));
  const followers = new Set(rule.targets.flatMap((t) => t.followers));
  const steps = base.steps.map((step): CollectionStep => {
    const target = targets.get(step.collection);
    if (target) {
      const treatment: CollectionTreatment =
        target.action === "delete"
          ? { kind: "delete_rows", why: target.why }
          : { kind: "mask_fields", fields: target.fields, why: target.why };
      return { ...step, treatment, ...(rule.where ? { covers: rule.where } : {}) };
    }
    if (followers.has(step.collection) || step.treatment?.kind === "no_personal_data") return step;
    return {
      ...step,
      treatment: { kind: "keep_rows", why: `retention rule ${rule.rule} does not cover this collection` },
      exemptions: [],
    };
  });
  return { ...base, steps };
}

/** The moment before which a period's rows are due: `now` minus the ISO 8601 period, counted on the calendar (UTC). */
export function cutoffOf(period: string, now: Date): Date {
  return shift(period, now, -1);
}

/** When a clock started at `start` runs out: `start` plus the period, by the same calendar. */
export function endOf(period: string, start: Date): Date {
  return shift(period, start, 1);
}

function shift(period: string, from: Date, sign: 1 | -1): Date {
  const m = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?$/.exec(period);
  if (!m) throw new RangeError(`not an ISO 8601 period: ${period}`);
  const [, y = "0", mo = "0", w = "0", d = "0"] = m;
  const at = new Date(from.getTime());
  const day = at.getUTCDate();
  at.setUTCDate(1);
  at.setUTCFullYear(at.getUTCFullYear() + sign * Number(y));
  at.setUTCMonth(at.getUTCMonth() + sign * Number(mo));
  // The same day of the month, or its last day when the month is shorter (31 March − 1 month = 28/29 February).
  const last = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 0)).getUTCDate();
  at.setUTCDate(Math.min(day, last));
  return new Date(at.getTime() + sign * (Number(w) * 7 + Number(d)) * 86_400_000);
}

/** The rules that wait for an event. */
export function rulesWaitingFor(rules: readonly RetentionRulePlan[], event: string): RetentionRulePlan[] {
  return rules.filter((r) => r.trigger.kind === "event" && r.trigger.event === event);
}

/** The rules whose clock an event starts (`period` + `after`). */
export function rulesStartedBy(rules: readonly RetentionRulePlan[], event: string): RetentionRulePlan[] {
  return rules.filter((r) => r.trigger.kind === "after_event" && r.trigger.event === event);
}

/** Every event some rule waits for or counts from, sorted. */
export function retentionEvents(rules: readonly RetentionRulePlan[]): string[] {
  return [
    ...new Set(
      rules.flatMap((r) => (r.trigger.kind === "event" || r.trigger.kind === "after_event" ? [r.trigger.event] : [])),
    ),
  ].sort();
}

export type { RetentionRule };
