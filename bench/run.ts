/**
 * `npm run bench [-- NAME…]`: runs the named benchmarks (all when none is named) and writes each one's figures to
 * bench/results/NAME.json. Every benchmark reports a ratio against a reference measured in the same run, because the
 * machines are shared and noisy: an absolute time alone is not trusted.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { join } from "node:path";

export interface BenchResult {
  readonly name: string;
  readonly figures: Record<string, number | string>;
  readonly notes: string;
  /** Anything more the benchmark records (targets, per-round figures, machine load), written as is. */
  readonly details?: Readonly<Record<string, unknown>>;
}

const BENCHMARKS: Record<string, () => Promise<BenchResult>> = {
  load: async () => (await import("./load-manifest.bench.ts")).run(),
  dsr: async () => (await import("./dsr.ts")).run(),
  consent: async () => (await import("./consent.ts")).run(),
  retention: async () => (await import("./retention.ts")).run(),
  requests: async () => (await import("./requests.ts")).run(),
};

// Options belong to the benchmarks (`--learners 1000000`): neither an option nor its value names a benchmark.
const args = process.argv.slice(2);
const names = args.filter((a, i) => !a.startsWith("-") && !/^--[^=]+$/.test(args[i - 1] ?? ""));
const unknown = names.filter((n) => !(n in BENCHMARKS));
if (unknown.length > 0) {
  process.stderr.write(
    `error STW_CLI_BAD_OPTION: unknown benchmark ${unknown.map((u) => `"${u}"`).join(", ")}; allowed: ${Object.keys(BENCHMARKS).join(", ")}. Run \`npm run bench -- NAME\`.\n`,
  );
  process.exit(2);
}
const results = join(import.meta.dirname, "results");
mkdirSync(results, { recursive: true });
const machine = {
  cpus: cpus().length,
  cpu: cpus()[0]?.model ?? "unknown",
  memory_gib: Math.round(totalmem() / 2 ** 30),
  node: process.version,
};
for (const name of names.length > 0 ? names : Object.keys(BENCHMARKS)) {
  const result = await BENCHMARKS[name]!();
  const record = { ...result, machine, at: new Date().toISOString() };
  writeFileSync(join(results, `${name}.json`), `${JSON.stringify(record, null, 2)}\n`);
  process.stdout.write(`${name}: ${JSON.stringify(result.figures)}\n  ${result.notes}\n`);
}
