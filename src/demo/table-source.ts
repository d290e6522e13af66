import type { TsvChunk } from "./tsv.ts";

/**
 * One table's rows as the loaders consume them: the column list (in the order of the encoded fields) and a lazy
 * sequence of encoded chunks. Nothing is generated until a loader pulls, so a million learners never sit in memory.
 */
export interface TableSource {
  readonly table: string;
  readonly columns: readonly string[];
  /** Rows the plan says this table holds; the chunks add up to exactly this. */
  readonly rows: number;
  chunks(): Iterable<TsvChunk>;
}
