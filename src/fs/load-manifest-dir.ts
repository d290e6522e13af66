/**
 * Reads a manifest folder from disk (every .yml/.yaml file below it, in a stable order) and hands the texts to the
 * pure parser. This is the only place the manifest touches the file system.
 */
import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { stewardError } from "../errors.ts";
import { type ParseResult, parseManifest } from "../manifest/parse-manifest.ts";
import type { SourceFile } from "../manifest/source-file.ts";
import type { Manifest } from "../manifest/types.ts";

const SKIP = new Set(["node_modules", ".git", ".steward"]);

async function walk(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const files: string[] = [];
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (SKIP.has(e.name) || e.name.startsWith(".")) continue;
    const full = join(dir, e.name);
    if (e.isDirectory()) files.push(...(await walk(full)));
    else if (/\.ya?ml$/i.test(e.name)) files.push(full);
  }
  return files;
}

/** Reads the manifest's files; a missing folder or one without YAML is a coded error. */
export async function readManifestFiles(dir: string): Promise<SourceFile[]> {
  const info = await stat(dir).catch(() => undefined);
  if (!info) throw stewardError("STW_MANIFEST_DIR_NOT_FOUND", { dir });
  const paths = info.isDirectory() ? await walk(dir) : [dir];
  if (paths.length === 0) throw stewardError("STW_MANIFEST_DIR_NOT_FOUND", { dir });
  // Paths stay as the user wrote the folder, so error locations can be pasted back into an editor.
  return Promise.all(paths.map(async (p) => ({ path: p, text: await readFile(p, "utf8") })));
}

/** Reads and parses, returning every error (for `steward check`). */
export async function parseManifestDir(dir: string): Promise<ParseResult> {
  return parseManifest(await readManifestFiles(dir), dir);
}

/**
 * Loads a manifest folder or throws the first coded error (with file, line and column).
 *
 * @example
 *   const manifest = await loadManifestDir("examples/learning-platform");
 */
export async function loadManifestDir(dir: string): Promise<Manifest> {
  const { manifest, errors } = await parseManifestDir(dir);
  if (!manifest)
    throw errors[0] ?? stewardError("STW_INTERNAL", { detail: "manifest failed to load without an error" });
  return manifest;
}
