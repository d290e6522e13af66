import type { JurisdictionRights, StatedPeriod } from "../../manifest/types.ts";
import type { DeadlineRule, Period } from "./deadline-rule.ts";

/** One figure of a manifest that differs from the law's. */
export interface DeadlineMismatch {
  readonly field: "deadline" | "extension";
  /** What the manifest says; null when it states no extension. */
  readonly stated: StatedPeriod | null;
  /** What the law says; null when it allows no extension. */
  readonly law: Period | null;
}

const same = (a: StatedPeriod | null | undefined, b: StatedPeriod | null) =>
  (a ?? null) === b || (a != null && b !== null && a.amount === b.amount && a.unit === b.unit);

/** "1 month", "45 days", "15 business days": a period as the manifest writes it. */
export const statedPeriodText = (p: StatedPeriod): string =>
  `${p.amount} ${p.unit === "months" ? "month" : p.unit === "days" ? "day" : "business day"}${p.amount === 1 ? "" : "s"}`;

/**
 * Where a manifest's `deadline` and `extension` differ from the law's rule: 30 days where the law says one month
 * differs (a month is 28 to 31 days), 45 days where it says 45 days agrees. A figure the law leaves to the company
 * (a rule built from the manifest, Switzerland's extension) always agrees. Empty when everything agrees.
 *
 * @example
 *   checkStatedDeadline(deadlineRulesFor("eea"), eea); // [{ field: "deadline", stated: {30, days}, law: {1, months…} }]
 */
export function checkStatedDeadline(rule: DeadlineRule, rights: JurisdictionRights): readonly DeadlineMismatch[] {
  const out: DeadlineMismatch[] = [];
  if (rule.respond.source === "law" && !same(rights.deadline, rule.respond))
    out.push({ field: "deadline", stated: rights.deadline, law: rule.respond });
  const lawExtension = rule.extension?.source === "manifest" ? undefined : rule.extension;
  if (lawExtension !== undefined && !same(rights.extension, lawExtension))
    out.push({ field: "extension", stated: rights.extension ?? null, law: lawExtension });
  return out;
}
