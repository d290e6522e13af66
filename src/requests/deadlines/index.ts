/**
 * Jurisdiction deadline rules: the laws' rule packs with their citations, the due dates of a request under a rule,
 * the rule in plain words, and whether a manifest states the law's figures. Pure: no I/O.
 *
 * @example
 *   const rule = deadlineRulesFor(rights.jurisdiction, rights, "access");
 *   const { respondBy } = computeDeadlines(rule, { receivedAt, verifiedAt }, "Europe/Amsterdam");
 *   describeDeadline(rule); // "one month from the day we receive your request; …"
 */
export { checkStatedDeadline, type DeadlineMismatch, statedPeriodText } from "./check-stated-deadline.ts";
export {
  type ClockPause,
  computeDeadlines,
  type DeadlineCalendar,
  type DeadlineInput,
  type Deadlines,
} from "./compute-deadlines.ts";
export type { DeadlineRule, Period, RollOver, RulePack } from "./deadline-rule.ts";
export { deadlineRulesFor } from "./deadline-rules-for.ts";
export { describeDeadline, periodInWords } from "./describe-deadline.ts";
export { PACK_JURISDICTIONS, RULE_PACKS } from "./rule-packs.ts";
