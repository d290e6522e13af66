/**
 * The fingerprint of a manifest's facts: sha256 of its JSON (`manifestToJson`, without provenance) with object keys
 * sorted. Two folders with the same facts hash alike wherever they live and however their YAML is laid out; any change
 * of fact changes the hash. A published notice version records it, so a later change of facts under the same version
 * number is caught.
 */
import { createHash } from "node:crypto";
import { type JsonValue, manifestToJson } from "../manifest/to-json.ts";
import type { Manifest } from "../manifest/types.ts";

function canonical(value: JsonValue): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  const object = value as { readonly [key: string]: JsonValue };
  const keys = Object.keys(object).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(object[k] as JsonValue)}`).join(",")}}`;
}

/** Hex sha256 of the manifest's canonical JSON. */
export function manifestHash(manifest: Manifest): string {
  return createHash("sha256")
    .update(canonical(manifestToJson(manifest)))
    .digest("hex");
}
