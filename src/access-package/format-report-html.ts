/**
 * report.html: the access package as one page a person can read — standalone (inline CSS, no script, no external
 * resource), with a table of contents, in the notice's look. Every value is HTML-escaped where it is written.
 */

import type { AccessResult } from "../engine/access-result.ts";
import { FIDESLANG_ATTRIBUTION } from "../manifest/taxonomy/fideslang.ts";
import type { Manifest } from "../manifest/types.ts";
import { escapeHtml as esc } from "../notice/html-escape.ts";
import { pageStart } from "../notice/page-start.ts";
import type { CategoryFacts } from "./art15-facts.ts";
import { categorySection } from "./report-category-section.ts";
import { REPORT_CSS } from "./report-css.ts";
import { collectionTitle, dataSection, dataToc } from "./report-data-section.ts";
import { askUs, controllerSection, rightsSection } from "./report-organization-sections.ts";
import { purposesSection, recipientsSection } from "./report-purpose-sections.ts";
import { summarySection, unreachedSection } from "./report-summary-sections.ts";
import { textInWords } from "./value-html.ts";

export interface TocEntry {
  readonly id: string;
  readonly title: string;
  readonly children?: readonly { id: string; title: string }[];
}

/** The report's table of contents: its sections' titles, linked, with their sub-sections. */
export function toc(entries: readonly TocEntry[]): string {
  const li = (e: TocEntry) => {
    const nested = e.children?.length
      ? `<ol>${e.children.map((c) => `<li><a href="#${esc(c.id)}">${esc(c.title)}</a></li>`).join("")}</ol>`
      : "";
    return `<li><a href="#${esc(e.id)}">${esc(e.title)}</a>${nested}</li>`;
  };
  return `<nav class="toc" aria-labelledby="contents"><h2 id="contents">Contents</h2>\n<ol>\n${entries.map(li).join("\n")}\n</ol></nav>`;
}

/**
 * The sections of a report about one person, in order: the access report's and the categories report's, which has no
 * section of the data itself (`data`).
 */
export function reportEntries(result: AccessResult, categories: readonly CategoryFacts[], data?: TocEntry): TocEntry[] {
  return [
    { id: "summary", title: "In short" },
    { id: "controller", title: "Who holds your data" },
    ...(data ? [data] : []),
    { id: "categories", title: "Each kind of your data" },
    ...(categories.some((c) => c.purposes.length > 0) ? [{ id: "purposes", title: "Why we use your data" }] : []),
    ...(categories.some((c) => c.recipients.length > 0) ? [{ id: "recipients", title: "Who receives your data" }] : []),
    ...(result.unreached.length > 0 ? [{ id: "unreached", title: "Where we could not search" }] : []),
    { id: "rights", title: "Your rights and how to complain" },
  ];
}

/** A report's page up to and including `<body>`; `title` is HTML (escaped by the caller). */
export function reportHead(title: string): string {
  return `${pageStart([
    '<meta name="generator" content="Steward">',
    '<meta name="referrer" content="no-referrer">',
    `<title>${title}</title>`,
    `<style>${REPORT_CSS}</style>`,
  ])}<body>`;
}

/** Per manifest: the three sections about the kinds of data found, by the facts objects they are made of. */
const FACT_SECTIONS = new WeakMap<Manifest, Map<string, string>>();
const FACTS_IDS = new WeakMap<CategoryFacts, number>();
/** Sets of facts whose sections are kept per manifest (the reference deployment's take up to ~430 KB each). */
const KEPT_FACT_SECTIONS = 32;
let nextFactsId = 0;

/**
 * "Each kind of your data", "Why we use your data" and "Who receives your data". They are made of the manifest's
 * facts alone (`art15Facts` hands out one frozen object per category and place, and a collection's title is its
 * name's), so most people of one deployment get the very same text: it is written once per set of facts. It was the
 * larger part of the time to write a report.
 */
function factSections(m: Manifest, categories: readonly CategoryFacts[], titles: ReadonlyMap<string, string>): string {
  const write = () =>
    `${categorySection(categories, titles, m.purposes.length > 0, askUs(m))}\n${purposesSection(categories)}\n${recipientsSection(categories)}`;
  if (!categories.every((c) => Object.isFrozen(c))) return write();
  const key = categories
    .map((c) => {
      let id = FACTS_IDS.get(c);
      if (id === undefined) {
        id = nextFactsId++;
        FACTS_IDS.set(c, id);
      }
      return id;
    })
    .join(",");
  const known = FACT_SECTIONS.get(m) ?? new Map<string, string>();
  FACT_SECTIONS.set(m, known);
  let text = known.get(key);
  if (text === undefined) {
    text = write();
    // A few hundred kilobytes each: the most recent sets only, the oldest going first.
    if (known.size >= KEPT_FACT_SECTIONS) known.delete(known.keys().next().value!);
    known.set(key, text);
  }
  return text;
}

/** @example formatReportHtml(manifest, result, art15Facts(manifest, …)) // "<!doctype html><html lang=\"en\">…" */
export function formatReportHtml(m: Manifest, result: AccessResult, categories: readonly CategoryFacts[]): string {
  const org = m.organization?.name;
  const when = textInWords(result.generated_at);
  const titles = new Map(result.collections.map((c) => [c.collection, collectionTitle(c)]));
  const entries = reportEntries(result, categories, {
    id: "data",
    title: "The data we hold about you",
    children: dataToc(result),
  });
  return `${reportHead(`Your personal data${org ? ` — ${esc(org)}` : ""}`)}
<a class="skip-link" href="#content">Skip to your data</a>
<header class="notice-header">
<p class="org">${esc(org ?? "Copy of your personal data")}</p>
<h1>Your personal data</h1>
<p class="meta">Prepared on <time datetime="${esc(result.generated_at)}">${esc(when)}</time> · Request <code>${esc(result.request)}</code></p>
</header>
<div class="layout">
${toc(entries)}
<main id="content">
${summarySection(m, result)}
${controllerSection(m)}
${dataSection(m, result, new Set(categories.map((c) => c.category)))}
${factSections(m, categories, titles)}
${unreachedSection(result)}
${rightsSection(m)}
</main>
</div>
<footer>
<p>Prepared on ${esc(when)} for request <code>${esc(result.request)}</code>. Keep this package safe: it holds your personal data.</p>
<p>${esc(FIDESLANG_ATTRIBUTION)}; the names of the kinds of data come from it.</p>
</footer>
</body>
</html>
`;
}
