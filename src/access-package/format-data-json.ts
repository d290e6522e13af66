/**
 * data.json: the machine-readable copy of an access package, for taking the data elsewhere (GDPR Art. 20). It holds
 * every row as stored, what each field means, and the Art. 15 facts of every kind of data found. Keys come in a fixed
 * order (rows in the manifest's field order, nested objects sorted), so the same result gives the same bytes.
 */

import type { AccessResult } from "../engine/access-result.ts";
import type { Manifest } from "../manifest/types.ts";
import type { CategoryFacts } from "./art15-facts.ts";
import { fieldValue } from "./categories-found.ts";
import { stableValue } from "./stable-value.ts";

/** Version of the layout below; a reader can refuse a layout it does not know. */
export const ACCESS_PACKAGE_FORMAT = "steward.access-package/1";

function controller(m: Manifest): object | null {
  const o = m.organization;
  if (!o) return null;
  return {
    name: o.name,
    legal_name: o.legal_name,
    contact_email: o.contact_email,
    dpo: o.dpo ? { name: o.dpo.name, email: o.dpo.email } : null,
  };
}

/** @example JSON.parse(formatDataJson(manifest, result, facts)).collections[0].rows */
export function formatDataJson(manifest: Manifest, result: AccessResult, categories: readonly CategoryFacts[]): string {
  const doc = {
    format: ACCESS_PACKAGE_FORMAT,
    request: result.request,
    generated_at: result.generated_at,
    controller: controller(manifest),
    limited_to_categories: result.categories,
    collections: result.collections.map((c) => ({
      collection: c.collection,
      dataset: c.dataset,
      name: c.name,
      fields: c.fields.map((f) => ({
        name: f.name,
        data_categories: f.data_categories,
        description: f.description ?? null,
      })),
      rows: c.rows.map((row) =>
        Object.fromEntries(c.fields.map((f) => [f.name, stableValue(fieldValue(row, f.name))])),
      ),
    })),
    unreached: result.unreached.map((u) => ({ collection: u.collection, why: u.why })),
  };
  // `categories` last, spliced in as text: JSON.stringify(doc with categories, null, 2) gives these very bytes.
  const head = JSON.stringify(doc, null, 2);
  return `${head.slice(0, -2)},\n  "categories": ${categoriesJson(categories)}\n}\n`;
}

/**
 * Each category's facts as the document's indented JSON, worked out once per facts object: they are the manifest's
 * (`art15Facts` hands out one frozen object per category and place), the same in every package, and their text was
 * most of the file (160 of 270 KiB for a learner of the reference deployment) and of the time to write it.
 */
const FACTS_JSON = new WeakMap<CategoryFacts, string>();

function categoriesJson(categories: readonly CategoryFacts[]): string {
  if (categories.length === 0) return "[]";
  const items = categories.map((c) => {
    let text = FACTS_JSON.get(c);
    if (text === undefined) {
      text = `    ${JSON.stringify(c, null, 2).replaceAll("\n", "\n    ")}`;
      if (Object.isFrozen(c)) FACTS_JSON.set(c, text);
    }
    return text;
  });
  return `[\n${items.join(",\n")}\n  ]`;
}
