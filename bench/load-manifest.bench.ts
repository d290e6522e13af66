/**
 * Loading and checking the reference manifest, against the floor: parsing the same YAML texts with the `yaml`
 * package alone (no validation). The ratio says what validation, located errors and the lints cost on top.
 */
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { parse } from "yaml";
import { runChecks } from "../src/check/run-checks.ts";
import { readManifestFiles } from "../src/fs/load-manifest-dir.ts";
import { parseManifest } from "../src/manifest/parse-manifest.ts";
import type { BenchResult } from "./run.ts";

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

export async function run(): Promise<BenchResult> {
  const dir = join(import.meta.dirname, "..", "examples", "learning-platform");
  const files = await readManifestFiles(dir);
  const rounds = 30;
  const reference: number[] = [];
  const steward: number[] = [];
  for (let i = 0; i < rounds + 5; i++) {
    // Interleaved, so that a burst of load on the shared machine hits both sides alike.
    let t = performance.now();
    for (const f of files) parse(f.text);
    const r = performance.now() - t;
    t = performance.now();
    const { manifest } = parseManifest(files, dir);
    if (manifest) runChecks(manifest);
    const s = performance.now() - t;
    if (i >= 5) {
      reference.push(r);
      steward.push(s);
    }
  }
  const ref = median(reference);
  const stw = median(steward);
  return {
    name: "load",
    figures: {
      files: files.length,
      yaml_parse_ms_p50: Number(ref.toFixed(2)),
      load_and_check_ms_p50: Number(stw.toFixed(2)),
      ratio: Number((stw / ref).toFixed(2)),
    },
    notes: `median of ${rounds} interleaved rounds after 5 warm-up rounds; ratio = Steward load+check / plain YAML parse of the same files`,
  };
}
