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
    categories,
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}
