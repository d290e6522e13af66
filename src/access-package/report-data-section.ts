/**
 * "The data we hold about you": one subsection per collection where something was found. A single record reads as a
 * list of items with what each means; several records read as a table, its column help above it. Large collections
 * show their first rows and point to the CSV and data.json, which hold them all.
 */

import type { AccessResult, CollectedCollection, CollectedField } from "../engine/access-result.ts";
import type { Manifest } from "../manifest/types.ts";
import { escapeHtml as esc } from "../notice/html-escape.ts";
import { categoryName } from "../notice/manifest-facts.ts";
import { humanize, listInWords, withoutFinalStop } from "../notice/plain-words.ts";
import { fieldValue } from "./categories-found.ts";
import { anchorId, paragraph, section, table } from "./html-parts.ts";
import { label, valueHtml } from "./value-html.ts";

/** Rows shown in the page per collection; the rest are in the CSV and data.json. */
export const ROWS_IN_PAGE = 100;

const NUMBER = new Intl.NumberFormat("en");
const records = (n: number): string => `${NUMBER.format(n)} record${n === 1 ? "" : "s"}`;

/** Where a collection's rows are in the package. */
export const csvPath = (c: CollectedCollection): string => `csv/${c.dataset}.${c.name}.csv`;

/** "Users" for "users"; the person never needs to know the table's technical name to read the page. */
export const collectionTitle = (c: CollectedCollection): string => humanize(c.name);

interface DataContext {
  readonly m: Manifest;
  /** Categories the page explains (found with a value); a field's other categories are named without a link. */
  readonly explained: ReadonlySet<string>;
}

const categoryLinks = (f: CollectedField, ctx: DataContext): string =>
  f.data_categories
    .filter((k) => k === "user" || k.startsWith("user."))
    .map((k) =>
      ctx.explained.has(k)
        ? `<a class="kind" href="#${esc(anchorId("category", k))}">${esc(categoryName(ctx.m, k))}</a>`
        : `<span class="kind">${esc(categoryName(ctx.m, k))}</span>`,
    )
    .join(" ");

function help(f: CollectedField, ctx: DataContext): string {
  const text = f.description ? esc(withoutFinalStop(f.description)) : "";
  const kinds = categoryLinks(f, ctx);
  return [text, kinds].filter(Boolean).join(" ");
}

function oneRecord(c: CollectedCollection, ctx: DataContext): string {
  const [row] = c.rows;
  const rows = c.fields.map(
    (f) =>
      `<tr><th scope="row">${esc(label(f.name))}</th><td>${valueHtml(fieldValue(row!, f.name))}</td>` +
      `<td class="help">${help(f, ctx)}</td></tr>`,
  );
  return table(
    `${collectionTitle(c)}: your record`,
    [{ text: "Item" }, { text: "Your data" }, { text: "What it is" }],
    rows,
    "record",
  );
}

function manyRecords(c: CollectedCollection, ctx: DataContext): string {
  const shown = c.rows.slice(0, ROWS_IN_PAGE);
  const columns = c.fields.map((f) => ({ text: label(f.name), ...(f.description ? { help: f.description } : {}) }));
  const helpList = c.fields.map((f) => `<div><dt>${esc(label(f.name))}</dt><dd>${help(f, ctx) || "—"}</dd></div>`);
  const rows = shown.map(
    (row) => `<tr>${c.fields.map((f) => `<td>${valueHtml(fieldValue(row, f.name))}</td>`).join("")}</tr>`,
  );
  const more =
    c.rows.length > shown.length
      ? paragraph(
          `This page shows the first ${NUMBER.format(shown.length)} of ${records(c.rows.length)}. ` +
            `All of them are in <code>${esc(csvPath(c))}</code> and in <code>data.json</code>.`,
          "more",
        )
      : "";
  return (
    `<details class="columns" open><summary>What the columns mean</summary><dl>${helpList.join("")}</dl></details>\n` +
    table(
      `${collectionTitle(c)}: ${records(c.rows.length)}${more ? `, the first ${NUMBER.format(shown.length)} shown here` : ""}`,
      columns,
      rows,
      "rows",
    ) +
    more
  );
}

function collectionBlock(c: CollectedCollection, ctx: DataContext): string {
  const dataset = ctx.m.datasets.find((d) => d.fides_key === c.dataset);
  const declared = dataset?.collections.find((x) => x.name === c.name);
  const where = `${records(c.rows.length)} · kept in ${esc(dataset?.name ?? c.dataset)} (<code>${esc(c.collection)}</code>)`;
  const parts = [paragraph(where, "where")];
  if (declared?.description) parts.push(paragraph(esc(declared.description)));
  if (declared?.public)
    parts.push(paragraph("Other people can see these records: they are published on our services.", "note"));
  parts.push(c.rows.length === 1 ? oneRecord(c, ctx) : manyRecords(c, ctx));
  for (const w of c.withheld ?? [])
    parts.push(
      paragraph(
        `${esc(w.field)} is left empty in ${records(w.rows)}: there it names another person, whose data we may not hand out.`,
        "note",
      ),
    );
  parts.push(paragraph(`The same data as a spreadsheet: <code>${esc(csvPath(c))}</code>.`, "file"));
  return section(anchorId("data", c.collection), 3, collectionTitle(c), parts.join("\n"), "collection");
}

export function dataSection(m: Manifest, result: AccessResult, explained: ReadonlySet<string>): string {
  const ctx: DataContext = { m, explained };
  const found = result.collections.filter((c) => c.rows.length > 0);
  const empty = result.collections.filter((c) => c.rows.length === 0);
  const parts: string[] = [];
  if (found.length === 0) parts.push(paragraph("We found no personal data about you in the places we searched."));
  else
    parts.push(
      paragraph(
        `We found ${records(found.reduce((n, c) => n + c.rows.length, 0))} about you in ` +
          `${found.length === 1 ? "one place" : `${found.length} places`}.`,
      ),
    );
  parts.push(...found.map((c) => collectionBlock(c, ctx)));
  if (empty.length > 0)
    parts.push(
      paragraph(
        `We also searched ${listInWords(empty.map((c) => esc(collectionTitle(c))))} and found nothing about you there.`,
        "empty",
      ),
    );
  return section("data", 2, "The data we hold about you", parts.join("\n"));
}

/** The table of contents entries of this section: one per collection found. */
export const dataToc = (result: AccessResult): { id: string; title: string }[] =>
  result.collections
    .filter((c) => c.rows.length > 0)
    .map((c) => ({ id: anchorId("data", c.collection), title: collectionTitle(c) }));
