/**
 * "Why we use your data" and "Who receives your data": every purpose and every recipient that concerns the data
 * found, explained once — the purpose with its legal basis in words and any automated decision (GDPR Art. 15(1)(a),
 * (h)), the recipient with where it is and the safeguard for a transfer out of the EEA (Art. 15(1)(c), 15(2)).
 */
import { escapeHtml as esc } from "../notice/html-escape.ts";
import {
  countryInSentence,
  legalBasisInWords,
  listInWords,
  MECHANISM_SHORT_NAMES,
  SYSTEM_KIND_NAMES,
  upperFirst,
} from "../notice/plain-words.ts";
import type { CategoryFacts, PurposeFact, RecipientFact } from "./art15-facts.ts";
import { anchorId, facts, link, paragraph, section, table } from "./html-parts.ts";
import { sentence } from "./report-category-section.ts";

interface PurposeUse {
  readonly purpose: PurposeFact;
  readonly categories: CategoryFacts[];
}

/** Each purpose once, in the order the categories first name it, with the categories found that it uses. */
function purposeUses(categories: readonly CategoryFacts[]): PurposeUse[] {
  const uses = new Map<string, PurposeUse>();
  for (const c of categories)
    for (const p of c.purposes) {
      const use = uses.get(p.key) ?? { purpose: p, categories: [] };
      use.categories.push(c);
      uses.set(p.key, use);
    }
  return [...uses.values()];
}

/** Each recipient once, in the order the categories first name it. */
function recipientsOf(categories: readonly CategoryFacts[]): RecipientFact[] {
  const out = new Map<string, RecipientFact>();
  for (const c of categories) for (const r of c.recipients) if (!out.has(r.key)) out.set(r.key, r);
  return [...out.values()];
}

function basisInWords(p: PurposeFact): string {
  if (p.processor_for)
    return `We do this as processor for ${esc(p.processor_for.name)}, which decides why the data is used and on which legal basis.`;
  return p.legal_basis
    ? esc(sentence(legalBasisInWords(p.legal_basis)))
    : `<span class="undeclared">Not declared.</span>`;
}

function purposeBlock({ purpose: p, categories }: PurposeUse, recipients: ReadonlyMap<string, RecipientFact>): string {
  const kinds = categories.map((c) => `<a href="#${esc(anchorId("category", c.category))}">${esc(c.name)}</a>`);
  const to = p.recipients.flatMap((k) => {
    const r = recipients.get(k);
    return r ? [`<a href="#${esc(anchorId("recipient", k))}">${esc(r.name)}</a>`] : [];
  });
  const pairs: [string, string][] = [
    ["Legal basis", basisInWords(p)],
    ["Your data used", kinds.join(", ")],
  ];
  if (to.length > 0) pairs.push(["Shared with", to.join(", ")]);
  const a = p.automated_decision;
  if (a)
    pairs.push(
      ["Automated decision", esc(sentence(a.logic))],
      ["Why it matters", esc(sentence(a.significance))],
      ["What it can mean for you", esc(sentence(a.consequences))],
    );
  return section(
    anchorId("purpose", p.key),
    3,
    p.name,
    paragraph(esc(sentence(p.description))) + facts(pairs),
    "purpose",
  );
}

export function purposesSection(categories: readonly CategoryFacts[]): string {
  const uses = purposeUses(categories);
  if (uses.length === 0) return "";
  const recipients = new Map(recipientsOf(categories).map((r) => [r.key, r]));
  return section(
    "purposes",
    2,
    "Why we use your data",
    paragraph("Each purpose for which we use the data we found about you, and the law that allows it.") +
      uses.map((u) => purposeBlock(u, recipients)).join("\n"),
  );
}

function recipientRow(r: RecipientFact): string {
  const name = r.privacy_policy ? link(r.name, r.privacy_policy) : esc(r.name);
  const where = r.countries.length > 0 ? upperFirst(listInWords(r.countries.map(countryInSentence))) : "Not declared";
  const safeguard =
    r.third_countries.length === 0
      ? "Not needed: inside the European Economic Area"
      : r.transfer_mechanisms.length > 0
        ? r.transfer_mechanisms.map((x) => MECHANISM_SHORT_NAMES[x]).join(", ")
        : "None recorded";
  return (
    `<tr id="${esc(anchorId("recipient", r.key))}"><th scope="row">${name}</th><td>${esc(upperFirst(SYSTEM_KIND_NAMES[r.kind]))}</td>` +
    `<td>${esc(where)}</td><td>${esc(safeguard)}</td></tr>`
  );
}

export function recipientsSection(categories: readonly CategoryFacts[]): string {
  const recipients = recipientsOf(categories);
  if (recipients.length === 0) return "";
  return section(
    "recipients",
    2,
    "Who receives your data",
    paragraph(
      "Organizations outside ours that receive some of the data we found about you. Where one is outside the " +
        "European Economic Area, the last column says what protects your data there.",
    ) +
      table(
        "Recipients of your data",
        [{ text: "Recipient" }, { text: "What they are" }, { text: "Where" }, { text: "Safeguard for the transfer" }],
        recipients.map(recipientRow),
        "recipients",
      ),
  );
}
