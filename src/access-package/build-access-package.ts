/**
 * The access package: the one ZIP a person receives after an access request.
 *
 * - `report.html` — a page to read: who holds the data, what was found, and for each kind of data why it is used, on
 *   which legal basis, who receives it, how long it is kept and where it came from (GDPR Art. 15), where we could
 *   not search, and how to complain.
 * - `data.json` — everything machine-readable, for taking the data elsewhere (GDPR Art. 20).
 * - `csv/<dataset>.<collection>.csv` — one spreadsheet per collection where something was found.
 *
 * The same manifest and result always give the same bytes.
 */

import type { AccessResult } from "../engine/access-result.ts";
import type { Manifest } from "../manifest/types.ts";
import { art15Facts } from "./art15-facts.ts";
import { categoriesFound } from "./categories-found.ts";
import { formatCollectionCsv } from "./format-collection-csv.ts";
import { formatDataJson } from "./format-data-json.ts";
import { formatReportHtml } from "./format-report-html.ts";
import { csvPath } from "./report-data-section.ts";
import { zipFiles } from "./zip-files.ts";

const utf8 = new TextEncoder();

/**
 * @example
 *   const zip = await buildAccessPackage(manifest, result);
 *   await writeFile(`access-${result.request}.zip`, zip);
 */
export async function buildAccessPackage(
  manifest: Manifest,
  result: AccessResult,
  /** More files of the person's, by name (the consent ledger's `consent.json`). */
  extras: ReadonlyMap<string, Uint8Array> = new Map(),
): Promise<Uint8Array> {
  const found = categoriesFound(result);
  const categories = art15Facts(manifest, [...found.keys()], found);
  const files = new Map<string, Uint8Array>([
    ["report.html", utf8.encode(formatReportHtml(manifest, result, categories))],
    ["data.json", utf8.encode(formatDataJson(manifest, result, categories))],
  ]);
  for (const c of result.collections) if (c.rows.length > 0) files.set(csvPath(c), utf8.encode(formatCollectionCsv(c)));
  for (const [name, bytes] of extras) files.set(name, bytes);
  return zipFiles(files);
}
