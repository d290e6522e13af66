/** What the benchmarks share: their whole-number options, and percentiles of their timings. */

/** `--name N` or `--name=N`; `min` 0 lets a part be skipped (`--rounds 0`, `--sample 0`). */
export function option(name: string, fallback: number, min = 1): number {
  const args = process.argv;
  const at = args.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (at < 0) return fallback;
  const raw = args[at]!.includes("=") ? args[at]!.split("=")[1] : args[at + 1];
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min)
    throw new Error(`--${name} must be a whole number of at least ${min}, got ${raw}`);
  return value;
}

/** The nearest-rank percentile `p` (0–100) of `xs`; NaN when there are none. */
export function percentile(xs: readonly number[], p: number): number {
  if (xs.length === 0) return Number.NaN;
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export const median = (xs: readonly number[]) => percentile(xs, 50);

/** Rounded to two decimals (ratios). */
export const r2 = (x: number) => Math.round(x * 100) / 100;
