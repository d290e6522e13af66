/**
 * A shipped spec with a few values changed (a smaller page, shorter back-off), written to a temporary folder: tests
 * reach more pages and retries with the fixtures, and load the spec by path as a manifest's own spec would be.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const SPECS = join(import.meta.dirname, "..", "..", "..", "src", "connectors", "http", "specs");

/** Returns the folder (`root`) and the file name relative to it. */
export function specVariant(name: string, replacements: readonly (readonly [string, string])[]) {
  let text = readFileSync(join(SPECS, `${name}.yml`), "utf8");
  for (const [from, to] of replacements) {
    if (!text.includes(from)) throw new Error(`${name}.yml holds no "${from}" to replace`);
    text = text.replaceAll(from, to);
  }
  const root = mkdtempSync(join(tmpdir(), "steward-spec-"));
  writeFileSync(join(root, `${name}-variant.yml`), text);
  return { root, ref: `${name}-variant.yml` };
}
