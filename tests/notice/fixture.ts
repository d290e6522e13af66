import { fileURLToPath } from "node:url";
import { loadManifestDir } from "../../src/fs/load-manifest-dir.ts";
import type { Manifest } from "../../src/manifest/types.ts";

/** The small learning-platform manifest under tests/fixtures/notice, loaded by the real loader. */
export const FIXTURE_DIR = fileURLToPath(new URL("../fixtures/notice", import.meta.url));
export const EXAMPLE_DIR = fileURLToPath(new URL("../../examples/learning-platform", import.meta.url));

export const loadFixture = (): Promise<Manifest> => loadManifestDir(FIXTURE_DIR);

/** The example manifest, or the reason it cannot be loaded yet (it is written in parallel with this code). */
export async function tryLoadExample(): Promise<{ manifest?: Manifest; reason: string }> {
  try {
    return { manifest: await loadManifestDir(EXAMPLE_DIR), reason: "" };
  } catch (e) {
    return { reason: e instanceof Error ? e.message.slice(0, 200) : String(e) };
  }
}

/** Every `id="…"` in an HTML page. */
export const htmlIds = (html: string): Set<string> => new Set([...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]!));

/** The ids of the top-level sections of <main>, in page order. */
export const mainSectionIds = (html: string, known: readonly string[]): string[] =>
  [...html.matchAll(/<section id="([^"]+)"/g)].map((m) => m[1]!).filter((id) => known.includes(id));
