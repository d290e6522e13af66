/** What the CLI's commands share for their options and their plain-text tables. */
import type { Command } from "commander";

/** Collects a repeatable option's values: `--purpose a --purpose b` → ["a", "b"]. */
export const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** The options of every command that opens the store: `--data-dir` and `--json`. */
export const storeFlags = (c: Command): Command =>
  c
    .option("--data-dir <dir>", "folder of the embedded store (default .steward; PostgreSQL: STEWARD_DATABASE_URL)")
    .option("--json", "print JSON");

/** Columns padded to their widest cell, two spaces apart, no trailing blanks. */
export function textTable(head: readonly string[], body: readonly (readonly string[])[]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => (b[i] ?? "").length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join("  ")
      .trimEnd();
  return `${[line(head), ...body.map(line)].join("\n")}\n`;
}
