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
}

const BENCHMARKS: Record<string, () => Promise<BenchResult>> = {
  load: async () => (await import("./load-manifest.bench.ts")).run(),
};

const names = process.argv.slice(2).filter((a) => !a.startsWith("-"));
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
