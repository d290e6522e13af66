/**
 * Splits a key list into chunks a single statement can carry. Shared by every SQL connector so that all of them agree
 * on what a batch is: duplicates removed first (a key read twice would yield its rows twice), order otherwise kept.
 *
 * @example
 *   [...chunkKeys([1, 2, 2, 3, 4, 5], 2)]; // [[1, 2], [3, 4], [5]]
 */
export function* chunkKeys<K>(keys: readonly K[], size: number): Generator<K[]> {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`chunk size must be a positive integer, got ${size}`);
  const unique = [...new Set(keys)];
  for (let start = 0; start < unique.length; start += size) yield unique.slice(start, start + size);
}

/** The default number of keys per statement: big enough to amortise a round trip, small enough to stream. */
export const DEFAULT_BATCH_SIZE = 1000;

/** The chunk size for a call: the caller's batch size, never above what the store accepts. */
export function batchSizeFor(requested: number | undefined, maxKeys: number): number {
  return Math.max(1, Math.min(requested ?? DEFAULT_BATCH_SIZE, maxKeys));
}
