/**
 * Splits a key list into chunks a single statement can carry. Shared by every SQL connector so that all of them agree
 * on what a batch is: duplicates removed first (a key read twice would yield its rows twice), order otherwise kept.
 * With `distinct`, the caller says the keys are distinct already (or that a key twice does no harm: a delete), and
 * no set of every key is made to find duplicates — at 100,000 keys, megabytes per call.
 *
 * @example
 *   [...chunkKeys([1, 2, 2, 3, 4, 5], 2)]; // [[1, 2], [3, 4], [5]]
 */
export function* chunkKeys<K>(keys: readonly K[], size: number, distinct = false): Generator<K[]> {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`chunk size must be a positive integer, got ${size}`);
  if (distinct) {
    for (let start = 0; start < keys.length; start += size) yield keys.slice(start, start + size);
    return;
  }
  // Chunk by chunk as the keys are gone through: no second list of every key.
  const seen = new Set<K>();
  let chunk: K[] = [];
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    if (seen.has(key)) continue;
    seen.add(key);
    chunk.push(key);
    if (chunk.length === size) {
      yield chunk;
      chunk = [];
    }
  }
  if (chunk.length > 0) yield chunk;
}

/** The default number of keys per statement: big enough to amortise a round trip, small enough to stream. */
export const DEFAULT_BATCH_SIZE = 1000;

/** The chunk size for a call: the caller's batch size, never above what the store accepts. */
export function batchSizeFor(requested: number | undefined, maxKeys: number): number {
  return Math.max(1, Math.min(requested ?? DEFAULT_BATCH_SIZE, maxKeys));
}
