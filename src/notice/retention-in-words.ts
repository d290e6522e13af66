import type { RetentionRule, RetentionTrigger } from "../manifest/types.ts";
import { humanize, lowerFirst, withoutFinalStop } from "./plain-words.ts";

const UNITS = [
  ["Y", "year"],
  ["M", "month"],
  ["W", "week"],
  ["D", "day"],
] as const;

/** "P7Y" → "7 years", "P1Y6M" → "1 year and 6 months". */
export function periodInWords(period: string): string {
  const parts: string[] = [];
  for (const [unit, word] of UNITS) {
    const m = new RegExp(`(\\d+)${unit}`).exec(period.replace(/^P/, ""));
    if (m) parts.push(`${m[1]} ${word}${m[1] === "1" ? "" : "s"}`);
  }
  if (parts.length === 0) return period;
  return parts.length === 1 ? parts[0]! : `${parts.slice(0, -1).join(", ")} and ${parts.at(-1)}`;
}

const daysInWords = (days: number): string => {
  if (days > 0 && days % 365 === 0) return periodInWords(`P${days / 365}Y`);
  return `${days} day${days === 1 ? "" : "s"}`;
};

/** Events the example manifests use, in words; any other event is spelled out from its key. */
const EVENTS: Readonly<Record<string, string>> = {
  "identity_verification.succeeded": "until identity verification succeeds",
  "account.closed": "until the account is closed",
  "subject.under_age": "until we learn that the user is under the minimum age",
};

/** Events a clock starts from, as the end of "1 year after …". */
const AFTER: Readonly<Record<string, string>> = {
  "enrollment.completed": "the course is completed",
  "account.closed": "the account is closed",
};

/**
 * How long a retention rule keeps data, in words a reader understands: "7 years from completed_at",
 * "until identity verification succeeds", "while the account exists and 30 days after it is closed".
 */
export function triggerInWords(trigger: RetentionTrigger): string {
  switch (trigger.kind) {
    case "period":
      return `${periodInWords(trigger.period)} from ${trigger.from}`;
    case "after_event":
      return `${periodInWords(trigger.period)} after ${AFTER[trigger.event] ?? humanize(trigger.event).toLowerCase()}`;
    case "event":
      return EVENTS[trigger.event] ?? `until ${humanize(trigger.event).toLowerCase()}`;
    case "account_lifetime":
      return trigger.grace_days === 0
        ? "while the account exists"
        : `while the account exists and ${daysInWords(trigger.grace_days)} after it is closed`;
    case "legal":
      return trigger.description === ""
        ? "as long as the law requires"
        : `as long as the law requires: ${lowerFirst(withoutFinalStop(trigger.description))}`;
  }
}

/**
 * The rule's period and what happens at its end: "until identity verification succeeds, then deleted". A masking
 * rule overwrites the named data and keeps the rest of the record, so it says "removed from the record".
 */
export function retentionInWords(rule: RetentionRule): string {
  // A legal description may hold commas of its own; a semicolon keeps "then deleted" apart from it.
  const separator = rule.trigger.kind === "legal" ? ";" : ",";
  return `${triggerInWords(rule.trigger)}${separator} then ${rule.action === "delete" ? "deleted" : "removed from the record"}`;
}
