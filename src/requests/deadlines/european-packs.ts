/**
 * The European rule packs: the GDPR (EEA), the UK GDPR and Switzerland's FADP. Each figure carries the provision that
 * sets it; `notes` say why the pack reads the text as it does where the text leaves room.
 */
import type { RulePack } from "./deadline-rule.ts";

const EEA_COUNTING =
  "Regulation (EEC, Euratom) No 1182/71 Art. 3(1): the day of receipt is not counted; Art. 3(2)(c): a period in months " +
  "ends on the same date of its last month, or on that month's last day when it has no such date";

export const EEA_PACK: RulePack = {
  jurisdiction: "eea",
  rule: {
    jurisdiction: "eea",
    law: "the GDPR",
    source: "pack",
    clockStarts: { at: "receipt", cite: "GDPR Art. 12(3): the month runs from receipt of the request" },
    acknowledge: null,
    respond: { amount: 1, unit: "months", cite: "GDPR Art. 12(3)", source: "law" },
    extension: {
      amount: 2,
      unit: "months",
      cite: "GDPR Art. 12(3): for complex or numerous requests, telling the person why within the first month",
      source: "law",
    },
    counting: EEA_COUNTING,
    rollOver: {
      from: "weekends_and_holidays",
      to: "working_day",
      cite: "Regulation 1182/71 Art. 3(4): a period ending on a Saturday, Sunday or public holiday ends with the next working day",
    },
    appeal: null,
    notes: [
      "Regulation 1182/71 sets the rules for periods in EU acts and the Court of Justice reads EU time limits by it, so the " +
        "pack counts the GDPR's month by it, including the move of a last day on a Saturday, Sunday or public holiday to " +
        "the next working day (Art. 3(4)). Public holidays differ between Member States: pass the controller's in " +
        "`holidays`; without them only weekends move.",
      "The extension is counted as three months from the same start, not as two months from the first due date.",
      "The clock starts at receipt even while the controller checks who is asking; unlike the UK, the GDPR has no rule " +
        "that starts it later.",
    ],
    sources: [
      "https://eur-lex.europa.eu/eli/reg/2016/679/oj (Art. 12(3))",
      "https://eur-lex.europa.eu/eli/reg/1971/1182/oj (Art. 3)",
      "https://dataprotection.ie/en/individuals/know-your-rights/how-long-will-it-take",
    ],
  },
  byRequest: [],
};

export const UK_PACK: RulePack = {
  jurisdiction: "uk",
  rule: {
    jurisdiction: "uk",
    law: "the UK GDPR",
    source: "pack",
    clockStarts: {
      at: "verification",
      cite:
        "UK GDPR Art. 12(3) and 12A (Data (Use and Access) Act 2025); ICO guidance: the month runs from the latest of " +
        "receipt, receipt of the information asked for to confirm identity, and payment of a fee",
    },
    acknowledge: null,
    respond: { amount: 1, unit: "months", cite: "UK GDPR Art. 12(3) and 12A", source: "law" },
    extension: {
      amount: 2,
      unit: "months",
      cite: "UK GDPR Art. 12A; ICO guidance: for complex or numerous requests, telling the person why within the first month",
      source: "law",
    },
    counting:
      "ICO guidance (calculating the time limit): from the day the clock starts to the corresponding calendar date in the " +
      "next month, or the last day of that month when it has no such date",
    rollOver: {
      from: "weekends_and_holidays",
      to: "working_day",
      cite: "ICO guidance: when the corresponding date falls on a weekend or public holiday, the answer is due the next working day",
    },
    appeal: null,
    notes: [
      "The pack follows the ICO's published reading. Read strictly, 'one month beginning with' the relevant time could end " +
        "a day earlier; the ICO, which enforces the law, counts to the corresponding date.",
      "The ICO counts the extension as three months from the same start.",
      "A request that needs no identity check starts the clock at receipt: pass verifiedAt = receivedAt.",
      "Waiting for a clarification the controller asked for also stops the clock (Art. 12A): record it as a pause.",
      "The UK's nations have different bank holidays: pass the controller's in `holidays`.",
    ],
    sources: [
      "https://www.legislation.gov.uk/eur/2016/679/chapter/III/section/1 (Art. 12, 12A)",
      "https://ico.org.uk/for-organisations/uk-gdpr-guidance-and-resources/individual-rights/right-of-access/what-should-we-consider-when-responding-to-a-request/",
    ],
  },
  byRequest: [],
};

export const CH_PACK: RulePack = {
  jurisdiction: "ch",
  rule: {
    jurisdiction: "ch",
    law: "the Swiss FADP",
    source: "pack",
    clockStarts: { at: "receipt", cite: "DPO (SR 235.11) Art. 18(1): 30 days from receipt of the request" },
    acknowledge: null,
    respond: { amount: 30, unit: "days", cite: "FADP Art. 25(7); DPO Art. 18(1)", source: "law" },
    extension: null,
    extensionNotice: "when",
    counting:
      "Code of Obligations Art. 77(1)(1), which Civil Code Art. 7 applies to private-law periods: the day of receipt is " +
      "not counted",
    rollOver: {
      from: "weekends_and_holidays",
      to: "working_day",
      cite:
        "Code of Obligations Art. 78(1): a last day on a Sunday or public holiday moves to the next working day; the " +
        "Federal Act of 21 June 1963 (SR 173.110.3) treats a Saturday like a public holiday for federal time limits",
    },
    appeal: null,
    notes: [
      "A refusal, restriction or deferral of the answer must be announced within the same 30 days (DPO Art. 18(3)).",
      "The extension comes from the manifest: without a manifest `extension` the pack allows none.",
    ],
    sources: [
      "FADP, SR 235.1, Art. 25(7): https://prighter.com/resources/laws/swiss-fadp/fadp/chapters/chapter-4",
      "DPO, SR 235.11, Art. 18: https://www.datenschutzpartner.ch/dsv/dsv-18/",
      "Code of Obligations, SR 220, Art. 77 and 78: https://lawbrary.ch/law/art/OR-v2024.01-en-art-78/print",
    ],
  },
  byRequest: [],
  extensionFromManifest:
    "DPO Art. 18(2): a longer period is allowed when the person is told, within the 30 days, when the answer will " +
    "come; the law sets no maximum, so the manifest's `extension` is the most the company takes",
};
