/**
 * The manifest as plain JSON: what `GET /api/manifest` answers and what `steward export --format json` writes, so the
 * two never drift apart. Pure (no I/O).
 *
 * - `ReadonlyMap`s (the taxonomy) become objects keyed by the map's keys, in the map's order.
 * - Provenance is dropped by default: `root` and `files` name paths on the machine that loaded the manifest, and `at`
 *   (file/line/column of each resource) changes whenever a file is reformatted, although the facts stay the same.
 *   Pass `{ provenance: true }` to keep them (useful for tools that point back at the YAML).
 * - `undefined` optional properties are left out, as `JSON.stringify` would.
 *
 * @example
 *   const json = manifestToJson(manifest);
 *   JSON.stringify(json); // same bytes for the same facts, wherever the folder lives
 */
import type { Manifest } from "./types.ts";

export type JsonValue = string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };
export type JsonObject = { readonly [key: string]: JsonValue };

export interface ManifestToJsonOptions {
  /** Keep `root`, `files` and every resource's `at` location. Default false. */
  readonly provenance?: boolean;
}

const PROVENANCE_KEYS = new Set(["root", "files"]);

/** True for the `{file, line?, column?}` objects the loader attaches as `at`. */
function isSourceLocation(value: unknown): boolean {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return (
    typeof (value as { file?: unknown }).file === "string" &&
    keys.every((k) => k === "file" || k === "line" || k === "column")
  );
}

function toJson(value: unknown, provenance: boolean): JsonValue | undefined {
  if (value === null) return null;
  switch (typeof value) {
    case "string":
    case "boolean":
      return value;
    case "number":
      return Number.isFinite(value) ? value : null;
    case "undefined":
    case "function":
    case "symbol":
      return undefined;
    case "bigint":
      return value.toString();
  }
  if (value instanceof Map) {
    const out: Record<string, JsonValue> = {};
    for (const [k, v] of value) {
      const converted = toJson(v, provenance);
      if (converted !== undefined) out[String(k)] = converted;
    }
    return out;
  }
  if (Array.isArray(value)) return value.map((v) => toJson(v, provenance) ?? null);
  const out: Record<string, JsonValue> = {};
  for (const [k, v] of Object.entries(value as object)) {
    if (!provenance && k === "at" && isSourceLocation(v)) continue;
    const converted = toJson(v, provenance);
    if (converted !== undefined) out[k] = converted;
  }
  return out;
}

/** Converts the typed manifest into plain JSON (see the module comment for what is kept). */
export function manifestToJson(manifest: Manifest, options: ManifestToJsonOptions = {}): JsonObject {
  const provenance = options.provenance ?? false;
  const out: Record<string, JsonValue> = {};
  for (const [k, v] of Object.entries(manifest)) {
    if (!provenance && PROVENANCE_KEYS.has(k)) continue;
    const converted = toJson(v, provenance);
    if (converted !== undefined) out[k] = converted;
  }
  return out;
}
