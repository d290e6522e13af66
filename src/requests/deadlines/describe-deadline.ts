import type { StatedPeriod } from "../../manifest/types.ts";
import type { DeadlineRule } from "./deadline-rule.ts";

const NUMBER_WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven"];

/** "one month", "two months", "30 days", "10 business days"; with `more`, "two more months", "45 more days". */
export function periodInWords(p: StatedPeriod, more = false): string {
  const extra = more ? "more " : "";
  if (p.unit === "months")
    return `${NUMBER_WORDS[p.amount] ?? p.amount} ${extra}${p.amount === 1 ? "month" : "months"}`;
  const unit = p.unit === "days" ? "day" : "business day";
  return `${p.amount} ${extra}${unit}${p.amount === 1 ? "" : "s"}`;
}

/** "the first month", "the first 45 days". */
const firstPeriod = (p: StatedPeriod) =>
  p.unit === "months" && p.amount === 1 ? "the first month" : `the first ${periodInWords(p)}`;

/**
 * The rule in plain words for the person asking, as the notice says it:
 *
 * @example
 *   describeDeadline(deadlineRulesFor("eea"));
 *   // "one month from the day we receive your request; up to two more months for complex or numerous requests,
 *   //  and we tell you why within the first month"
 */
export function describeDeadline(rule: DeadlineRule): string {
  const start =
    rule.clockStarts.at === "receipt"
      ? "the day we receive your request"
      : "the day we have confirmed who you are (the day we receive your request, if we need nothing more from you)";
  let words = `${periodInWords(rule.respond)} from ${start}`;
  if (rule.acknowledge) words += `, and we confirm within ${periodInWords(rule.acknowledge)} that we have it`;
  const ext = rule.extension;
  if (ext && rule.extensionNotice === "when")
    words += `; if we need longer, we tell you within ${firstPeriod(rule.respond)} when you will hear from us (at most ${periodInWords(ext, true)})`;
  else if (ext)
    words += `; up to ${periodInWords(ext, true)} ${rule.extensionWhen ?? "for complex or numerous requests"}, and we tell you why within ${firstPeriod(rule.respond)}`;
  const appeal = rule.appeal;
  if (appeal) {
    words += `; if we turn your request down you can appeal, and we answer an appeal within ${periodInWords(appeal.respond)}`;
    if (appeal.extension)
      words += ` (up to ${periodInWords(appeal.extension, true)} when needed, and we tell you why within ${firstPeriod(appeal.respond)})`;
  }
  return words;
}
