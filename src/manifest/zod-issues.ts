/**
 * Turns zod's validation issues into Steward's coded errors, with the file, line and column of the bad value, the
 * allowed keys or values, and a did-you-mean where a typo is likely.
 */
import type { z } from "zod";
import { type StewardError, stewardError } from "../errors.ts";
import { didYouMean } from "./did-you-mean.ts";
import type { YamlLocator, YamlPath } from "./yaml-locator.ts";

interface ZodInternals {
  _zod: { def: Record<string, unknown> & { type: string } };
}

/** Steps through wrappers (optional, default, lazy, pipe…) to the schema that describes the value itself. */
function unwrap(schema: unknown): ZodInternals | undefined {
  let current = schema as ZodInternals | undefined;
  for (let i = 0; i < 20 && current; i++) {
    const def = current._zod.def;
    switch (def.type) {
      case "optional":
      case "nullable":
      case "default":
      case "prefault":
      case "readonly":
        current = def["innerType"] as ZodInternals;
        break;
      case "lazy":
        current = (def["getter"] as () => ZodInternals)();
        break;
      case "pipe":
        current = def["in"] as ZodInternals;
        break;
      default:
        return current;
    }
  }
  return current;
}

/** The schema at `path` below `root` (array indexes and record keys step into elements and values). */
function schemaAt(root: unknown, path: readonly PropertyKey[]): ZodInternals | undefined {
  let current = unwrap(root);
  for (const step of path) {
    if (!current) return undefined;
    const def = current._zod.def;
    if (def.type === "object") current = unwrap((def["shape"] as Record<string, unknown>)[String(step)]);
    else if (def.type === "array") current = unwrap(def["element"]);
    else if (def.type === "record") current = unwrap(def["valueType"]);
    else if (def.type === "union") {
      const options = def["options"] as unknown[];
      current = options.map(unwrap).find((o) => o?._zod.def.type === "object");
      if (current) current = unwrap((current._zod.def["shape"] as Record<string, unknown>)[String(step)]);
    } else return undefined;
  }
  return current;
}

/** The keys the object schema at `path` below `root` allows (for unknown-key messages). */
export function allowedKeys(root: unknown, path: readonly PropertyKey[]): string[] {
  const schema = schemaAt(root, path);
  if (!schema) return [];
  if (schema._zod.def.type === "object") return Object.keys(schema._zod.def["shape"] as object);
  if (schema._zod.def.type === "union") {
    const keys = new Set<string>();
    for (const option of schema._zod.def["options"] as unknown[]) {
      const o = unwrap(option);
      if (o?._zod.def.type === "object") for (const k of Object.keys(o._zod.def["shape"] as object)) keys.add(k);
    }
    return [...keys];
  }
  return [];
}

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let current = value;
  for (const step of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<PropertyKey, unknown>)[step];
  }
  return current;
}

function show(value: unknown): string {
  if (value === undefined) return "(missing)";
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}

const ERASURE_FORMS = ["delete", "{action: delete}", "{action: mask, strategy: …}", "{action: keep, reason: …}"];

/**
 * Converts the issues of one failed parse into coded errors. `base` is the YAML path of the validated value inside
 * its file (e.g. `["purposes"]`), `root` the schema it was validated against and `input` the value.
 */
export function issuesToErrors(
  issues: readonly z.core.$ZodIssue[],
  locator: YamlLocator,
  base: YamlPath,
  root: unknown,
  input: unknown,
): StewardError[] {
  const errors: StewardError[] = [];
  for (const issue of issues) {
    const path = issue.path.map((p) => (typeof p === "symbol" ? String(p) : p));
    const yamlPath = [...base, ...path];
    if (issue.code === "unrecognized_keys") {
      const allowed = allowedKeys(root, issue.path);
      for (const key of issue.keys) {
        errors.push(
          stewardError(
            "STW_MANIFEST_UNKNOWN_KEY",
            { key, allowed, suggestion: didYouMean(key, allowed) },
            locator.locateKey(yamlPath, key),
          ),
        );
      }
      continue;
    }
    const value = valueAt(input, issue.path);
    const parentKey = path.length > 0 ? String(path[path.length - 1]) : String(base[base.length - 1] ?? "file");
    if (issue.code === "invalid_type" && value === undefined) {
      const parent = path.slice(0, -1);
      errors.push(
        stewardError(
          "STW_MANIFEST_MISSING_KEY",
          { key: parentKey, parent: [...base, ...parent].join(".") || "the file" },
          locator.locate([...base, ...parent]),
        ),
      );
      continue;
    }
    if (issue.code === "invalid_value") {
      const allowed = issue.values.map(String);
      const suggestion = typeof value === "string" ? didYouMean(value, allowed) : undefined;
      errors.push(
        stewardError(
          "STW_MANIFEST_INVALID_VALUE",
          {
            value: show(value),
            detail: `"${parentKey}" must be one of the allowed values${suggestion ? ` (did you mean "${suggestion}"?)` : ""}`,
            allowed,
          },
          locator.locate(yamlPath),
        ),
      );
      continue;
    }
    if (issue.code === "invalid_union" && parentKey !== "erasure") {
      // Report the issues of the form the value was meant to have: a mapping was meant as the object form, a scalar
      // as a scalar form (`verification: emial` as a level, `{access: nobody}` as a map of levels).
      const isObject = typeof value === "object" && value !== null && !Array.isArray(value);
      const meant = issue.errors.filter((e) =>
        e.every((i) => (isObject ? i.path.length > 0 || i.code === "unrecognized_keys" : i.code !== "invalid_type")),
      );
      if (meant.length === 1) {
        const nested = meant[0]!.map((e) => ({ ...e, path: [...issue.path, ...e.path] }));
        errors.push(...issuesToErrors(nested, locator, base, root, input));
        continue;
      }
    }
    if (issue.code === "invalid_union" && parentKey === "erasure") {
      errors.push(
        stewardError(
          "STW_MANIFEST_INVALID_VALUE",
          { value: show(value), detail: '"erasure" has none of the allowed forms', allowed: ERASURE_FORMS },
          locator.locate(yamlPath),
        ),
      );
      continue;
    }
    errors.push(
      stewardError(
        "STW_MANIFEST_INVALID_VALUE",
        { value: show(value), detail: `"${parentKey}" ${issue.message}` },
        locator.locate(yamlPath),
      ),
    );
  }
  return errors;
}
