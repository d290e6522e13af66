/**
 * The categories package: the answer to a request to know the *categories* of personal information held about a
 * person (CCPA §1798.110(a)(1)–(4); DRP's `access:categories`) — which kinds of their data we hold, where each came
 * from, why it is used and who receives it — and not the data itself (that is §1798.110(a)(5), the specific pieces:
 * the full access package, src/access-package/build-access-package.ts).
 *
 * - `report.html` — the same sections as the access report's, less the data and its summary: who holds the data,
 *   each kind of data found with its purposes, recipients, retention and sources, the places we could not search,
 *   and the person's rights.
 * - `categories.json` — the same, machine-readable.
 *
 * No value of the person's is written: only taxonomy keys, the manifest's words, and where a kind was found
 * ("dataset.collection"). The result's rows are read only to know which kinds hold a value.
 */

import type { AccessResult } from "../engine/access-result.ts";
import { FIDESLANG_ATTRIBUTION } from "../manifest/taxonomy/fideslang.ts";
import type { Manifest } from "../manifest/types.ts";
import { escapeHtml as esc } from "../notice/html-escape.ts";
import { art15Facts, type CategoryFacts } from "./art15-facts.ts";
import { categoriesFound } from "./categories-found.ts";
import { reportEntries, reportHead, toc } from "./format-report-html.ts";
import { paragraph, section } from "./html-parts.ts";
import { categorySection } from "./report-category-section.ts";
import { collectionTitle } from "./report-data-section.ts";
import { askUs, controllerSection, rightsSection } from "./report-organization-sections.ts";
import { purposesSection, recipientsSection } from "./report-purpose-sections.ts";
import { unreachedSection } from "./report-summary-sections.ts";
import { textInWords } from "./value-html.ts";
import { zipFiles } from "./zip-files.ts";

/** Version of categories.json's layout. */
export const CATEGORIES_PACKAGE_FORMAT = "steward.categories-package/1";

const utf8 = new TextEncoder();

/**
 * @example
 *   const zip = await buildCategoriesPackage(manifest, result); // report.html and categories.json, no values
 */
export async function buildCategoriesPackage(manifest: Manifest, result: AccessResult): Promise<Uint8Array> {
  const found = categoriesFound(result);
  const categories = art15Facts(manifest, [...found.keys()], found);
  return zipFiles(
    new Map([
      ["report.html", utf8.encode(formatCategoriesHtml(manifest, result, categories))],
      ["categories.json", utf8.encode(formatCategoriesJson(manifest, result, categories))],
    ]),
  );
}

export function formatCategoriesJson(m: Manifest, result: AccessResult, categories: readonly CategoryFacts[]): string {
  const o = m.organization;
  const doc = {
    format: CATEGORIES_PACKAGE_FORMAT,
    request: result.request,
    generated_at: result.generated_at,
    controller: o ? { name: o.name, legal_name: o.legal_name, contact_email: o.contact_email } : null,
    searched: result.collections.map((c) => c.collection),
    unreached: result.unreached.map((u) => ({ collection: u.collection, why: u.why })),
    categories,
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

export function formatCategoriesHtml(m: Manifest, result: AccessResult, categories: readonly CategoryFacts[]): string {
  const org = m.organization?.name;
  const when = textInWords(result.generated_at);
  const titles = new Map(result.collections.map((c) => [c.collection, collectionTitle(c)]));
  const entries = reportEntries(result, categories);
  // "Found in" links to the data's sections, which this report does not have (categories.json keeps where).
  const unlinked = categories.map((c) => ({ ...c, found_in: [] }));
  const summary = section(
    "summary",
    2,
    "In short",
    paragraph(
      `This is the list of the kinds of personal data we hold about you, as we found them on ${esc(when)}, in answer to ` +
        "your request to know the categories of personal information we collected about you: for each kind, where it " +
        "came from, why we use it and who receives it. It does not contain the data itself; you can ask for a copy " +
        "of that separately.",
      "lead",
    ) +
      paragraph(
        categories.length === 0
          ? `We searched ${places(result.collections.length)} that can hold personal data and found nothing about you.`
          : `We searched ${places(result.collections.length)} that can hold personal data and found ${kinds(categories.length)} of data about you.`,
      ),
  );
  return `${reportHead(`The kinds of personal data we hold about you${org ? ` — ${esc(org)}` : ""}`)}
<a class="skip-link" href="#content">Skip to the kinds of your data</a>
<header class="notice-header">
<p class="org">${esc(org ?? "Categories of your personal data")}</p>
<h1>The kinds of personal data we hold about you</h1>
<p class="meta">Prepared on <time datetime="${esc(result.generated_at)}">${esc(when)}</time> · Request <code>${esc(result.request)}</code></p>
</header>
<div class="layout">
${toc(entries)}
<main id="content">
${summary}
${controllerSection(m)}
${categorySection(unlinked, titles, m.purposes.length > 0, askUs(m))}
${purposesSection(categories)}
${recipientsSection(categories)}
${unreachedSection(result)}
${rightsSection(m)}
</main>
</div>
<footer>
<p>Prepared on ${esc(when)} for request <code>${esc(result.request)}</code>.</p>
<p>${esc(FIDESLANG_ATTRIBUTION)}; the names of the kinds of data come from it.</p>
</footer>
</body>
</html>
`;
}

const places = (n: number) => (n === 1 ? "1 place" : `${n} places`);
const kinds = (n: number) => (n === 1 ? "1 kind" : `${n} kinds`);
