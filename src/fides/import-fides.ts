/**
 * `steward import fides`: reads Fides dataset YAML (the current `fides_meta` and the older `fidesops_meta` spelling)
 * and turns it into Steward dataset files. Pure: texts in, texts out. Data categories the default taxonomy does not
 * know (older fideslang keys, an organisation's own) are kept and declared in a taxonomy file marked for review, so
 * that nothing in the data map is lost on the way in.
 */
import { stringify } from "yaml";
import { type StewardError, stewardError } from "../errors.ts";
import { buildManifest, type RawSections } from "../manifest/build-manifest.ts";
import { datasetSchema } from "../manifest/schema.ts";
import type { SourceFile } from "../manifest/source-file.ts";
import type { Dataset } from "../manifest/types.ts";
import { YamlLocator } from "../manifest/yaml-locator.ts";
import { issuesToErrors } from "../manifest/zod-issues.ts";
import { datasetToFides } from "./dataset-to-fides.ts";

export interface ImportResult {
  /** One Steward dataset file per Fides dataset: relative path → YAML text. */
  readonly files: ReadonlyMap<string, string>;
  readonly datasets: readonly Dataset[];
  /** Categories not in the taxonomy that were declared for review. */
  readonly unknownCategories: readonly string[];
  readonly errors: readonly StewardError[];
}

function categoriesOf(dataset: Dataset): string[] {
  const out: string[] = [...dataset.data_categories];
  const visit = (fields: Dataset["collections"][number]["fields"]) => {
    for (const f of fields) {
      out.push(...f.data_categories);
      visit(f.fields);
    }
  };
  for (const c of dataset.collections) {
    out.push(...c.data_categories);
    visit(c.fields);
  }
  return out;
}

export function importFides(sources: readonly SourceFile[], knownCategories: ReadonlySet<string>): ImportResult {
  const errors: StewardError[] = [];
  const sections: RawSections = new Map([["dataset", []]]);
  for (const source of sources) {
    const locator = new YamlLocator(source.path, source.text);
    if (locator.document.errors.length > 0) {
      errors.push(...locator.syntaxErrors());
      continue;
    }
    const content = locator.document.toJS({ maxAliasCount: 1000 }) as unknown;
    const list = content && typeof content === "object" ? (content as Record<string, unknown>)["dataset"] : undefined;
    if (!Array.isArray(list)) {
      const found =
        content && typeof content === "object"
          ? `keys ${Object.keys(content).join(", ") || "(none)"}`
          : String(content);
      errors.push(stewardError("STW_FIDES_NOT_A_DATASET", { file: source.path, found }));
      continue;
    }
    list.forEach((item, index) => {
      const parsed = datasetSchema.safeParse(item);
      if (!parsed.success) {
        errors.push(...issuesToErrors(parsed.error.issues, locator, ["dataset", index], datasetSchema, item));
        return;
      }
      sections.get("dataset")!.push({ data: parsed.data, locator, path: ["dataset", index] });
    });
  }
  const built = buildManifest(
    sections,
    ".",
    sources.map((s) => s.path),
  );
  errors.push(...built.errors);
  const datasets = built.manifest.datasets;
  // An unknown key's unknown ancestors are declared too, so that the taxonomy file loads on its own.
  const unknownSet = new Set<string>();
  for (const c of datasets.flatMap(categoriesOf)) {
    for (let key = c; key && !knownCategories.has(key); key = key.slice(0, Math.max(0, key.lastIndexOf("."))))
      unknownSet.add(key);
  }
  const unknown = [...unknownSet].sort();

  const files = new Map<string, string>();
  for (const d of datasets) {
    files.set(`datasets/${d.fides_key}.yml`, stringify({ dataset: [datasetToFides(d)] }, { lineWidth: 0 }));
  }
  if (unknown.length > 0) {
    const entries = unknown.map((key) => ({
      key,
      name: key.split(".").at(-1)!.replace(/_/g, " "),
      description: "Imported from a Fides dataset; not in the default taxonomy — review and describe it.",
    }));
    files.set("taxonomy.imported.yml", stringify({ taxonomy: { data_categories: entries } }, { lineWidth: 0 }));
  }
  return { files, datasets, unknownCategories: unknown, errors };
}
