import { type StewardError, stewardError } from "../../errors.ts";
import { didYouMean } from "../did-you-mean.ts";
import type { Taxonomy, TaxonomyEntry } from "../types.ts";
import type { YamlLocator, YamlPath } from "../yaml-locator.ts";
import type { DefaultTaxonomyEntry } from "./default-taxonomy-entry.ts";
import { FIDESLANG_DATA_CATEGORIES, FIDESLANG_DATA_SUBJECTS, FIDESLANG_DATA_USES } from "./fideslang.ts";

type Extension = Record<keyof Taxonomy, readonly DefaultTaxonomyEntry[]>;

const DEFAULTS: Extension = {
  data_categories: FIDESLANG_DATA_CATEGORIES,
  data_uses: FIDESLANG_DATA_USES,
  data_subjects: FIDESLANG_DATA_SUBJECTS,
};

/**
 * The fideslang default taxonomy extended by the manifest's own keys. A manifest key may not redefine a default one,
 * and its parent must exist (default or custom).
 */
export function buildTaxonomy(
  extension: Partial<Extension> | undefined,
  origin: { locator: YamlLocator; path: YamlPath } | undefined,
  errors: StewardError[],
): Taxonomy {
  const build = (kind: keyof Taxonomy): ReadonlyMap<string, TaxonomyEntry> => {
    const map = new Map<string, TaxonomyEntry>();
    for (const e of DEFAULTS[kind]) map.set(e.key, { ...e, is_default: true });
    const custom = extension?.[kind] ?? [];
    custom.forEach((e, i) => {
      const at = origin?.locator.locate([...origin.path, kind, i]) ?? { file: "(taxonomy)" };
      if (map.has(e.key)) {
        errors.push(
          stewardError(
            "STW_MANIFEST_DUPLICATE_KEY",
            { kind: kind.slice(0, -1), key: e.key, first: "the default taxonomy (fideslang) or earlier" },
            at,
          ),
        );
        return;
      }
      map.set(e.key, { ...e, is_default: false });
    });
    custom.forEach((e, i) => {
      const parent = e.parent ?? (e.key.includes(".") ? e.key.slice(0, e.key.lastIndexOf(".")) : undefined);
      if (parent && !map.has(parent)) {
        const at = origin?.locator.locate([...origin.path, kind, i, "parent"]) ?? { file: "(taxonomy)" };
        const known = [...map.keys()];
        errors.push(
          stewardError(
            "STW_MANIFEST_UNKNOWN_REFERENCE",
            {
              kind: `parent ${kind.slice(0, -1).replace("_", " ")}`,
              value: parent,
              allowed: known,
              suggestion: didYouMean(parent, known),
            },
            at,
          ),
        );
      }
    });
    return map;
  };
  return {
    data_categories: build("data_categories"),
    data_uses: build("data_uses"),
    data_subjects: build("data_subjects"),
  };
}

/** True when `key` is `ancestor` or lies below it (`user.contact.email` is below `user.contact`). */
export function isWithin(key: string, ancestor: string): boolean {
  return key === ancestor || key.startsWith(`${ancestor}.`);
}
