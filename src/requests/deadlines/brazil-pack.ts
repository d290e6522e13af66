/** The Brazilian rule pack: the LGPD (Lei 13.709/2018), counted by the Civil Code (Lei 10.406/2002). */
import type { RulePack } from "./deadline-rule.ts";

export const BR_PACK: RulePack = {
  jurisdiction: "br",
  rule: {
    jurisdiction: "br",
    law: "the LGPD",
    source: "pack",
    clockStarts: { at: "receipt", cite: "LGPD Art. 19 II: counted from the date of the request" },
    acknowledge: null,
    respond: { amount: 15, unit: "days", cite: "LGPD Art. 19 II", source: "law" },
    extension: null,
    counting: "Civil Code Art. 132: the first day is excluded and the last included",
    rollOver: {
      from: "holidays",
      to: "working_day",
      cite: "Civil Code Art. 132 §1: a last day on a holiday moves to the next working day",
    },
    appeal: null,
    notes: [
      "Art. 19 I asks for a simplified confirmation at once; the 15 days are for the complete statement (Art. 19 II).",
      "Art. 18 §5 leaves the deadlines of the other rights to the ANPD's regulation; until it sets them the pack applies " +
        "the 15 days to every request type, the one figure the statute gives.",
      "Brazil's holidays are not built in: pass them in `holidays`; the text names holidays, not weekends.",
    ],
    sources: [
      "https://lgpd-brazil.info/chapter_03/article_19",
      "https://prod-jurishand-web.azurewebsites.net/lei-10406-de-10-janeiro-2002/artigo-132",
    ],
  },
  byRequest: [],
};
