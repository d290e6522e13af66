import type { ConsentMechanism, Manifest, NoticeSection, Purpose } from "../../manifest/types.ts";
import { categoryName, subjectName, systemOf } from "../manifest-facts.ts";
import { type Block, type Fact, type Inline, link } from "../notice-document.ts";
import {
  CONSENT_NAMES,
  countryInSentence,
  countryName,
  legalBasisInWords,
  listInWords,
  SYSTEM_KIND_NAMES,
  upperFirst,
} from "../plain-words.ts";
import { sectionId } from "../section-titles.ts";
import type { NoticeContext } from "./notice-context.ts";

/** Anchor id of a purpose's subsection in `section`. */
export const purposeAnchor = (section: NoticeSection, p: Purpose): string =>
  `${sectionId(section)}--${p.key.replaceAll(/[_.]/g, "-")}`;

/** A `consent:` key as a reader names it: the jurisdiction it is the key of, else the region ("EEA", "US"). */
const regionOfChoice = (m: Manifest, where: string): string =>
  m.rights.find((r) => r.jurisdiction.toLowerCase() === where.toLowerCase())?.name ??
  (where === "UK" ? "United Kingdom" : countryName(where));

/**
 * "You can opt out" when one rule holds everywhere, else the regions grouped by choice:
 * "European Economic Area, United Kingdom and Switzerland: only with your consent; elsewhere: you can opt out".
 */
function choicesInWords(m: Manifest, choices: readonly [string, ConsentMechanism][]): string {
  const [only] = choices;
  if (choices.length === 1 && only?.[0] === "default") return upperFirst(CONSENT_NAMES[only[1]]);
  const groups = new Map<ConsentMechanism, string[]>();
  for (const [where, how] of choices)
    if (where !== "default") groups.set(how, [...(groups.get(how) ?? []), regionOfChoice(m, where)]);
  const parts = [...groups].map(([how, regions]) => `${listInWords(regions)}: ${CONSENT_NAMES[how]}`);
  const fallback = choices.find(([where]) => where === "default");
  if (fallback) parts.push(`elsewhere: ${CONSENT_NAMES[fallback[1]]}`);
  return parts.join("; ");
}

/** One purpose as the reader sees it: what we do, on which basis, with which data, who receives it, their choices. */
export function purposeBlock(ctx: NoticeContext, p: Purpose, id: string): Block {
  const m = ctx.manifest;
  const facts: Fact[] = [];
  if (p.processor_for) {
    const controller = systemOf(m, p.processor_for);
    facts.push({
      term: "Our role",
      text: [
        `we act as processor for ${controller?.name ?? p.processor_for}, which decides why and how this data is used ` +
          "and on which legal basis",
      ],
    });
  } else if (p.legal_basis) {
    facts.push({ term: "Legal basis", text: [legalBasisInWords(p.legal_basis)] });
  }
  if (p.legitimate_interest) facts.push({ term: "Our interest", text: [upperFirst(p.legitimate_interest.interest)] });
  if (p.data_subjects.length > 0)
    facts.push({ term: "Whose data", text: [listInWords(p.data_subjects.map((s) => subjectName(m, s)))] });
  if (p.data_categories.length > 0)
    facts.push({ term: "Personal data used", text: [p.data_categories.map((c) => categoryName(m, c)).join(", ")] });
  if (p.recipients.length > 0) {
    const text: Inline[] = [];
    p.recipients.forEach((key, i) => {
      const s = systemOf(m, key);
      if (i > 0) text.push("; ");
      text.push(s?.privacy_policy ? link(s.name, s.privacy_policy) : (s?.name ?? key));
      if (s) {
        const where = s.countries.length > 0 ? `; in ${listInWords(s.countries.map(countryInSentence))}` : "";
        text.push(` (${SYSTEM_KIND_NAMES[s.kind]}${where})`);
      }
    });
    facts.push({ term: "Shared with", text });
  }
  const choices = Object.entries(p.consent);
  if (choices.length > 0) facts.push({ term: "Your choice", text: [choicesInWords(m, choices)] });
  if (p.automated_decision) {
    const a = p.automated_decision;
    facts.push({ term: "Automated decision", text: [a.logic] });
    facts.push({ term: "Why it matters", text: [a.significance] });
    facts.push({ term: "What it can mean for you", text: [a.consequences] });
  }
  return {
    kind: "subsection",
    id,
    title: p.name,
    blocks: [
      { kind: "paragraph", text: [p.description] },
      ...(facts.length > 0 ? [{ kind: "facts" as const, facts }] : []),
    ],
  };
}
