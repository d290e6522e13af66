/**
 * The U.S. state rule packs: California (CCPA and its regulations, 11 CCR), Virginia (VCDPA), Colorado (CPA) and
 * Connecticut (CTDPA). Where a state's general rule on computing time is unclear for these laws, the pack takes the
 * earlier date, so a due date is never later than the law's.
 */
import type { DeadlineRule, Period, RulePack } from "./deadline-rule.ts";

const law = (amount: number, unit: Period["unit"], cite: string): Period => ({ amount, unit, cite, source: "law" });

/** A state's appeal against a refusal: its own clock from the appeal's receipt, counted like the request's. */
function appealRule(request: DeadlineRule, respond: Period, extension: Period | null, process: string): DeadlineRule {
  return {
    ...request,
    law: `${request.law} (appeal)`,
    clockStarts: { at: "receipt", cite: `${respond.cite}: from receipt of the appeal` },
    acknowledge: null,
    respond,
    extension,
    appeal: null,
    notes: [process],
  };
}

const CALIFORNIA: DeadlineRule = {
  jurisdiction: "us_ca",
  law: "the CCPA",
  source: "pack",
  clockStarts: {
    at: "receipt",
    cite: "11 CCR §7021(b): the 45 days begin on the day of receipt, however long verification takes",
  },
  acknowledge: law(10, "business_days", "11 CCR §7021(a): confirm receipt and say how the request will be handled"),
  respond: law(45, "days", "11 CCR §7021(b); Civ. Code §1798.130(a)(2)"),
  extension: law(45, "days", "11 CCR §7021(b): up to 90 days in all, with notice and the reason within the first 45"),
  extensionWhen: "when we need them",
  counting:
    "Cal. Gov. Code §6800: the first day is excluded and the last included; business days are Monday to Friday, less " +
    "the holidays passed in",
  rollOver: {
    from: "holidays",
    to: "non_holiday",
    cite: "Cal. Gov. Code §6800: a last day that is a holiday is excluded too",
  },
  appeal: null,
  notes: [
    "California's holidays (Gov. Code §6700) are not built in: pass them in `holidays`. Without them business days " +
      "skip weekends only and no due day moves, so a date is never later than the law's.",
  ],
  sources: [
    "https://advisori.com/cpra/%C2%A7-7021-timelines-for-responding-to-requests-to-delete-requests-to-correct-and-requests-to-know/",
    "https://law.cornell.edu/regulations/california/11-CCR-7027",
    "https://self-law.org/code/ca/government-code/6800",
  ],
};

export const US_CA_PACK: RulePack = {
  jurisdiction: "us_ca",
  rule: CALIFORNIA,
  byRequest: [
    {
      ...CALIFORNIA,
      requestTypes: ["opt_out_sale_sharing"],
      clockStarts: { at: "receipt", cite: "11 CCR §7026(f)(1): from the date the business receives the request" },
      acknowledge: null,
      respond: law(15, "business_days", "11 CCR §7026(f)(1)"),
      extension: null,
      notes: ["An opt-out needs no verifiable request (11 CCR §7026); the law allows no extension."],
    },
    {
      ...CALIFORNIA,
      requestTypes: ["limit_sensitive"],
      clockStarts: { at: "receipt", cite: "11 CCR §7027(g)(1): from the date the business receives the request" },
      acknowledge: null,
      respond: law(15, "business_days", "11 CCR §7027(g)(1)"),
      extension: null,
      notes: ["A request to limit needs no verifiable request (11 CCR §7027(e)); the law allows no extension."],
    },
  ],
};

const VIRGINIA: DeadlineRule = {
  jurisdiction: "us_va",
  law: "the VCDPA",
  source: "pack",
  clockStarts: { at: "receipt", cite: "Va. Code §59.1-577(B)(1): within 45 days of receipt of the request" },
  acknowledge: null,
  respond: law(45, "days", "Va. Code §59.1-577(B)(1)"),
  extension: law(45, "days", "Va. Code §59.1-577(B)(1): once, telling the consumer why within the first 45 days"),
  counting: "Va. Code §1-210(A): the day of receipt is not counted",
  rollOver: null,
  appeal: null,
  notes: [
    "Va. Code §1-210 moves a last day on a weekend or holiday only for court proceedings and filings, so a due day " +
      "stays where it falls.",
  ],
  sources: [
    "https://self-law.org/code/va/title-59-1/chapter-53/59-1-577",
    "https://instalawyer.io/laws/code-of-virginia/1-210-computation-of-time",
  ],
};

export const US_VA_PACK: RulePack = {
  jurisdiction: "us_va",
  rule: {
    ...VIRGINIA,
    appeal: appealRule(
      VIRGINIA,
      law(60, "days", "Va. Code §59.1-577(C)"),
      null,
      "Va. Code §59.1-577(C): the controller runs an appeal process against a refusal, conspicuously available and " +
        "as easy to use as the request; it answers in writing with its reasons and, when the appeal is denied, says " +
        "how to complain to the Attorney General.",
    ),
  },
  byRequest: [],
};

const COLORADO: DeadlineRule = {
  jurisdiction: "us_co",
  law: "the Colorado Privacy Act",
  source: "pack",
  clockStarts: { at: "receipt", cite: "C.R.S. §6-1-1306(2): within 45 days after receipt of the request" },
  acknowledge: null,
  respond: law(45, "days", "C.R.S. §6-1-1306(2)"),
  extension: law(45, "days", "C.R.S. §6-1-1306(2): telling the consumer why within the first 45 days"),
  counting:
    "C.R.S. §2-4-108(1): the first day is excluded and the last included; (3) a period in months ends on the same day " +
    "of its last month, or that month's last day",
  rollOver: {
    from: "weekends_and_holidays",
    to: "working_day",
    cite: "C.R.S. §2-4-108(2): a last day on a Saturday, Sunday or legal holiday moves to the next day that is none",
  },
  appeal: null,
  notes: ["Colorado's legal holidays are not built in: pass them in `holidays`."],
  sources: ["https://law.counselstack.com/statute/co/06/6-1-1306", "https://colorado.public.law/statutes/crs_2-4-108"],
};

export const US_CO_PACK: RulePack = {
  jurisdiction: "us_co",
  rule: {
    ...COLORADO,
    appeal: appealRule(
      COLORADO,
      law(45, "days", "C.R.S. §6-1-1306(3)"),
      law(60, "days", "C.R.S. §6-1-1306(3): telling the consumer why within the first 45 days"),
      "C.R.S. §6-1-1306(3): the controller runs an internal appeal process against a refusal, within a reasonable " +
        "time of the refusal's notice, conspicuously available and as easy to use as the request; it answers within " +
        "45 days of the appeal's receipt (60 more where reasonably necessary, told with the reasons within the first " +
        "45) with a written explanation, and says how the consumer can contact the Attorney General about the result.",
    ),
  },
  byRequest: [],
};

const CONNECTICUT: DeadlineRule = {
  jurisdiction: "us_ct",
  law: "the CTDPA",
  source: "pack",
  clockStarts: { at: "receipt", cite: "Conn. Gen. Stat. §42-518(c)(1): not later than 45 days after receipt" },
  acknowledge: null,
  respond: law(45, "days", "Conn. Gen. Stat. §42-518(c)(1) (PA 22-15 §4(c)(1))"),
  extension: law(45, "days", "Conn. Gen. Stat. §42-518(c)(1): telling the consumer why within the first 45 days"),
  counting: "the day of receipt is not counted ('after receipt')",
  rollOver: null,
  appeal: null,
  notes: ["No Connecticut rule found that moves a last day on a weekend for these deadlines; a due day stays put."],
  sources: ["https://www.cga.ct.gov/2022/act/pa/pdf/2022PA-00015-R00SB-00006-PA.PDF (§4, §6)"],
};

export const US_CT_PACK: RulePack = {
  jurisdiction: "us_ct",
  rule: {
    ...CONNECTICUT,
    appeal: appealRule(
      CONNECTICUT,
      law(60, "days", "Conn. Gen. Stat. §42-518(d) (PA 22-15 §4(d))"),
      null,
      "Conn. Gen. Stat. §42-518(d): the controller runs an appeal process against a refusal, conspicuously available " +
        "and like the process for the request; it answers in writing with its reasons and, when the appeal is " +
        "denied, gives the online way to complain to the Attorney General.",
    ),
  },
  byRequest: [
    {
      ...CONNECTICUT,
      requestTypes: ["withdraw_consent"],
      clockStarts: { at: "receipt", cite: "Conn. Gen. Stat. §42-520(a)(6): after receipt of the revocation" },
      respond: law(15, "days", "Conn. Gen. Stat. §42-520(a)(6) (PA 22-15 §6(a)(6)): stop processing"),
      extension: null,
      notes: ["Revoking consent stops the processing within 15 days; the law allows no extension."],
    },
  ],
};
