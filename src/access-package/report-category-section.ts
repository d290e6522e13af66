/**
 * "Each kind of your data" (GDPR Art. 15(1)(a)–(d), (g)): for every category found, where it was found, what it is
 * used for and on which legal basis, who receives it, how long it is kept and where it came from. Purposes and
 * recipients are named here and explained once each in their own sections (linked), so that a category used for
 * twenty purposes stays readable; categories about which the manifest says exactly the same (first and last name)
 * share one block. Where the manifest is silent the page says so rather than leaving a gap.
 */
import { LEGAL_BASES } from "../manifest/types.ts";
import { escapeHtml as esc } from "../notice/html-escape.ts";
import { LEGAL_BASIS_NAMES, listInWords, upperFirst, withoutFinalStop } from "../notice/plain-words.ts";
import type { CategoryFacts, PurposeFact, RecipientFact, RetentionFact, SourceFact } from "./art15-facts.ts";
import { anchorId, facts, list, paragraph, section } from "./html-parts.ts";
import { SOURCE_KIND_WORDS } from "./source-kind-words.ts";

export const sentence = (s: string): string => `${withoutFinalStop(s)}.`;

/** "Contract", or "as processor" where the controller we act for decides the basis. */
export const basisName = (p: PurposeFact): string =>
  p.processor_for
    ? `as processor for ${p.processor_for.name}`
    : p.legal_basis
      ? LEGAL_BASIS_NAMES[p.legal_basis]
      : "legal basis not declared";

const purposeLink = (p: PurposeFact): string => `<a href="#${esc(anchorId("purpose", p.key))}">${esc(p.name)}</a>`;

/** The purposes grouped by legal basis ("Contract: Providing the platform, Payments"), bases in the law's order. */
function purposesByBasis(purposes: readonly PurposeFact[]): string {
  const byBasis = new Map<string, PurposeFact[]>();
  const rank = (p: PurposeFact) => (p.processor_for ? 6 : p.legal_basis ? LEGAL_BASES.indexOf(p.legal_basis) : 7);
  for (const p of [...purposes].sort((a, b) => rank(a) - rank(b))) {
    const basis = upperFirst(basisName(p));
    byBasis.set(basis, [...(byBasis.get(basis) ?? []), p]);
  }
  return list([...byBasis].map(([basis, ps]) => `<strong>${esc(basis)}</strong>: ${ps.map(purposeLink).join(", ")}`));
}

const recipientLink = (r: RecipientFact): string =>
  `<a href="#${esc(anchorId("recipient", r.key))}">${esc(r.name)}</a>`;

const retentionItem = (r: RetentionFact): string =>
  `<strong>${esc(upperFirst(sentence(r.how_long)))}</strong> <span class="basis">${esc(sentence(r.description))}</span>`;

const sourceItem = (s: SourceFact): string =>
  `<span title="${esc(s.description)}">${esc(s.name)}</span> ` +
  `<span class="basis">(${esc(SOURCE_KIND_WORDS[s.kind])}${s.system ? `: ${esc(s.system.name)}` : ""})</span>`;

const undeclared = (text: string): string => `<span class="undeclared">${esc(text)}</span>`;

/** Categories the manifest says exactly the same about, in first-seen order. */
function groups(categories: readonly CategoryFacts[]): CategoryFacts[][] {
  const byFacts = new Map<string, CategoryFacts[]>();
  for (const c of categories) {
    const id = [c.purposes, c.recipients, c.retention, c.sources].map((xs) => xs.map((x) => x.key).join(",")).join("|");
    byFacts.set(id, [...(byFacts.get(id) ?? []), c]);
  }
  return [...byFacts.values()];
}

function categoryBlock(group: readonly CategoryFacts[], collectionTitles: ReadonlyMap<string, string>): string {
  const c = group[0]!;
  const foundIn = [...new Set(group.flatMap((g) => g.found_in))];
  const found = foundIn.map((k) => `<a href="#${esc(anchorId("data", k))}">${esc(collectionTitles.get(k) ?? k)}</a>`);
  const pairs: [string, string][] = [
    [
      "What we use it for, and the legal basis",
      c.purposes.length > 0
        ? purposesByBasis(c.purposes)
        : undeclared("Our records do not declare why we use this data."),
    ],
    [
      "Who receives it",
      c.recipients.length > 0
        ? c.recipients.map(recipientLink).join(", ")
        : undeclared("Our records name no one outside our organization who receives it."),
    ],
    [
      "How long we keep it",
      c.retention.length > 0
        ? list(c.retention.map(retentionItem))
        : undeclared("Our records do not say how long we keep it."),
    ],
    [
      "Where it came from",
      c.sources.length > 0
        ? list(c.sources.map(sourceItem), "cols")
        : undeclared("Our records do not say where it came from."),
    ],
  ];
  const decisions = c.purposes.filter((p) => p.automated_decision);
  if (decisions.length > 0)
    pairs.push([
      "Automated decisions",
      `Used in ${listInWords(decisions.map((p) => `<a href="#${esc(anchorId("purpose", p.key))}">${esc(p.name)}</a>`))}, which decide${decisions.length === 1 ? "s" : ""} automatically; see there what it means for you.`,
    ]);
  const head = [
    // The other categories of the group get anchors too, so that every link to a category lands here.
    ...group.slice(1).map((g) => `<span id="${esc(anchorId("category", g.category))}"></span>`),
    ...(group.length === 1 && c.description ? [paragraph(esc(c.description), "description")] : []),
    ...(found.length > 0 ? [paragraph(`Found in: ${found.join(", ")}`, "where")] : []),
  ];
  const title = listInWords(group.map((g) => g.name));
  return section(anchorId("category", c.category), 3, title, [...head, facts(pairs)].join("\n"), "category");
}

/**
 * @param declaresProcessing false for a manifest without purposes (bare Fides datasets): the page then says that
 *   the records this package was made from do not describe the processing, and how to ask for it.
 * @param askUs how to reach the controller, as the end of a sentence.
 */
export function categorySection(
  categories: readonly CategoryFacts[],
  collectionTitles: ReadonlyMap<string, string>,
  declaresProcessing: boolean,
  askUs: string,
): string {
  const parts: string[] = [
    paragraph(
      categories.length === 0
        ? "We found no personal data about you, so there is nothing to explain here."
        : "For each kind of personal data we found about you: what we use it for, who receives it, how long we keep it and where it came from.",
    ),
  ];
  if (!declaresProcessing && categories.length > 0)
    parts.push(
      paragraph(
        "The records this package was made from describe where your data is stored, but not why it is used, who " +
          `receives it or how long it is kept. You are entitled to know (GDPR Art. 15(1)): ${askUs}`,
        "undeclared",
      ),
    );
  parts.push(...groups(categories).map((g) => categoryBlock(g, collectionTitles)));
  return section("categories", 2, "Each kind of your data", parts.join("\n"));
}
