/**
 * Parses a manifest's files (already read by the caller: this module does no I/O) into one typed, immutable Manifest.
 * Every problem becomes a coded error with its file, line and column; parsing goes on after an error so that one run
 * reports all of them.
 */
import { isAlias, isMap, isScalar, isSeq } from "yaml";
import { type StewardError, stewardError, TOP_LEVEL_KEYS } from "../errors.ts";
import { buildManifest, type RawResource, type RawSections } from "./build-manifest.ts";
import { didYouMean } from "./did-you-mean.ts";
import { TOP_LEVEL_SCHEMAS } from "./schema.ts";
import type { SourceFile } from "./source-file.ts";
import type { Manifest } from "./types.ts";
import { validateReferences } from "./validate-references.ts";
import { YamlLocator } from "./yaml-locator.ts";
import { issuesToErrors } from "./zod-issues.ts";

export interface ParseResult {
  /** Present when there were no errors. */
  readonly manifest?: Manifest;
  readonly errors: readonly StewardError[];
}

type TopKey = (typeof TOP_LEVEL_KEYS)[number];
const LIST_KEYS = new Set<TopKey>(["purposes", "systems", "sources", "exemptions", "dataset", "retention", "rights"]);

/**
 * @example
 *   const { manifest, errors } = parseManifest([{ path: "purposes.yml", text }], "examples/learning-platform");
 */
export function parseManifest(files: readonly SourceFile[], root: string): ParseResult {
  const errors: StewardError[] = [];
  const sections: RawSections = new Map();
  const locators = new Map<string, YamlLocator>();

  for (const file of files) {
    const locator = new YamlLocator(file.path, file.text);
    locators.set(file.path, locator);
    const doc = locator.document;
    if (doc.errors.length > 0) {
      errors.push(...locator.syntaxErrors());
      continue;
    }
    if (doc.contents === null) continue; // an empty file says nothing
    if (!isMap(doc.contents)) {
      const found = describeTop(doc.contents);
      errors.push(stewardError("STW_MANIFEST_NOT_A_MAPPING", { found }, locator.locate([])));
      continue;
    }
    let content: Record<string, unknown>;
    try {
      content = doc.toJS({ maxAliasCount: 1000 }) as Record<string, unknown>;
    } catch (error) {
      errors.push(stewardError("STW_MANIFEST_YAML_SYNTAX", { detail: (error as Error).message }, locator.locate([])));
      continue;
    }
    for (const [key, value] of Object.entries(content)) {
      if (!(TOP_LEVEL_KEYS as readonly string[]).includes(key)) {
        errors.push(
          stewardError(
            "STW_MANIFEST_UNKNOWN_KEY",
            { key, allowed: TOP_LEVEL_KEYS, suggestion: didYouMean(key, TOP_LEVEL_KEYS) },
            locator.locateKey([], key),
          ),
        );
        continue;
      }
      const top = key as TopKey;
      const schema = TOP_LEVEL_SCHEMAS[top];
      const parsed = schema.safeParse(value ?? (LIST_KEYS.has(top) ? [] : undefined));
      if (!parsed.success) {
        errors.push(...issuesToErrors(parsed.error.issues, locator, [key], schema, value));
        continue;
      }
      const list = sections.get(top) ?? [];
      if (LIST_KEYS.has(top)) {
        (parsed.data as unknown[]).forEach((item, index) => {
          list.push({ data: item, locator, path: [key, index] });
        });
      } else {
        list.push({ data: parsed.data, locator, path: [key] } satisfies RawResource);
      }
      sections.set(top, list);
    }
  }

  if (errors.length > 0) return { errors };
  const built = buildManifest(
    sections,
    root,
    files.map((f) => f.path),
  );
  errors.push(...built.errors);
  errors.push(...validateReferences(built.manifest, built.where));
  if (errors.length > 0) return { errors };
  return { manifest: deepFreeze(built.manifest), errors };
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    if (value instanceof Map) for (const v of value.values()) deepFreeze(v);
    else for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** Names what a file's top level holds, without resolving it (an unresolved alias must not throw here). */
function describeTop(contents: unknown): string {
  if (isSeq(contents)) return "a list";
  if (isScalar(contents)) return `the value ${JSON.stringify(contents.value)}`;
  if (isAlias(contents)) return `an alias (*${contents.source})`;
  return "something else";
}
