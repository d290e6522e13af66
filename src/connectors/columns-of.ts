/**
 * The columns a list of per-row updates sets (`columnsOf`), or one update sets (`columnsToSet`). `updateEach` writes them in one statement per chunk, so every update
 * must set the same columns; a list that does not is a bug in the caller, reported at once.
 */
import type { RowUpdate } from "./connector.ts";

export function columnsOf(updates: readonly RowUpdate[]): string[] {
  const names = Object.keys(updates[0]?.set ?? {});
  for (const u of updates) {
    const these = Object.keys(u.set);
    if (these.length !== names.length || these.some((n) => !names.includes(n)))
      throw new RangeError(`updateEach: every update must set the same columns (${names.join(", ")})`);
  }
  return names;
}

/** The columns `updateByKeys` sets; none is a bug in the caller, reported at once by every connector alike. */
export function columnsToSet(set: Readonly<Record<string, unknown>>): string[] {
  const names = Object.keys(set);
  if (names.length === 0) throw new RangeError("updateByKeys needs at least one column to set");
  return names;
}
