/**
 * A jurisdiction's deadline rule as plain data: how long the controller has to confirm receipt and to answer, how much
 * longer it may take, when the clock starts, how days are counted, and the provision behind each figure. Rule packs
 * (`rule-packs.ts`) hold the laws' rules; `deadlineRulesFor` picks one for a manifest jurisdiction.
 */
import type { PeriodUnit, RequestType } from "../../manifest/types.ts";

/** A period and the provision that sets it. */
export interface Period {
  readonly amount: number;
  readonly unit: PeriodUnit;
  /** The provision, e.g. "GDPR Art. 12(3)"; for a manifest's own figure, which manifest field it is. */
  readonly cite: string;
  /** "law" when a law sets the figure, "manifest" when the company's manifest does (no law, or the law sets no cap). */
  readonly source: "law" | "manifest";
}

/** What happens to a due day that is not a working day. */
export interface RollOver {
  /** Which due days move: a Saturday, Sunday or listed holiday, or only a listed holiday (the law names no weekend). */
  readonly from: "weekends_and_holidays" | "holidays";
  /** Where they move: to the next working day (Monday to Friday, not a holiday), or the next day that is no holiday. */
  readonly to: "working_day" | "non_holiday";
  readonly cite: string;
}

export interface DeadlineRule {
  /** The manifest jurisdiction key the rule is for ("eea", "us_ca", or the manifest's own key). */
  readonly jurisdiction: string;
  /** The law in a few words, as a message names it: "the GDPR", "the CCPA". */
  readonly law: string;
  /** "pack" for a law's rule pack, "manifest" when no pack exists for the key and the manifest's figures are used. */
  readonly source: "pack" | "manifest";
  /** The request types this rule is for, when it is not the jurisdiction's default rule. */
  readonly requestTypes?: readonly RequestType[];
  /**
   * When the clock starts: at receipt, or — stop-the-clock — at the latest of receipt and the requester's identity being
   * confirmed (until then there is no due date).
   */
  readonly clockStarts: { readonly at: "receipt" | "verification"; readonly cite: string };
  /** Time to confirm receipt of the request, counted from receipt (only some laws ask for it). */
  readonly acknowledge: Period | null;
  /** Time to answer, counted from the clock's start. */
  readonly respond: Period;
  /**
   * The most that may be added, counted on from the same start; the person must be told, with reasons, before the first
   * period ends. Null when the law allows no extension.
   */
  readonly extension: Period | null;
  /** When the extension may be taken, in words for people; default "for complex or numerous requests". */
  readonly extensionWhen?: string;
  /** What the person is told of an extension: why it is needed (default), or when the answer will come (Switzerland). */
  readonly extensionNotice?: "why" | "when";
  /** How a period is counted: which day is day one, where a month ends. */
  readonly counting: string;
  /** Null when a due day stays where it falls, whatever the weekday. */
  readonly rollOver: RollOver | null;
  /** The appeal against a refusal, a second clock from the appeal's receipt (U.S. state laws); null when none. */
  readonly appeal: DeadlineRule | null;
  /** Why the pack reads the law as it does, where the text leaves room. */
  readonly notes: readonly string[];
  /** Where the figures were checked (official texts and regulators' guidance). */
  readonly sources: readonly string[];
}

/** A jurisdiction's rules: the default, and the request types a law gives a deadline of their own. */
export interface RulePack {
  readonly jurisdiction: string;
  readonly rule: DeadlineRule;
  readonly byRequest: readonly DeadlineRule[];
  /**
   * Set when the law allows a longer answer with notice but no maximum (Switzerland): the manifest's `extension` is
   * then the most the company takes, and this is the provision to cite for it.
   */
  readonly extensionFromManifest?: string;
}
