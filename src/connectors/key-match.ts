/**
 * Rows addressed by several columns at once: a composite primary key (`order_item (order_id, item_no)`), or every
 * column of a table that has no key at all. The key values are then tuples, one value per column in the same order.
 * Shared by the SQL connectors so that they agree on how such a row is matched: each tuple becomes one conjunction,
 * `col = value` per column, and `col IS NULL` where the value is NULL (a keyless row may hold NULLs, and `=` never
 * matches one) — plain equalities, so a composite index still serves them.
 */

/** One column (`"id"`), or several whose key values are tuples. */
export type KeyColumns = string | readonly string[];

/** The tuples of `keys` as arrays, each once (compared by value). */
export function uniqueTuples(keys: readonly unknown[], width: number): unknown[][] {
  const seen = new Set<string>();
  const out: unknown[][] = [];
  for (const key of keys) {
    if (!Array.isArray(key) || key.length !== width)
      throw new RangeError(`a key of ${width} columns must be an array of ${width} values`);
    const id = JSON.stringify(key, (_k, v: unknown) => (typeof v === "bigint" ? `${v}n` : v));
    if (seen.has(id)) continue;
    seen.add(id);
    out.push(key);
  }
  return out;
}

/**
 * `(a = ? AND b = ?) OR (a = ? AND b IS NULL) …` for `tuples`; `param` turns a value into the placeholder that binds
 * it (and records it).
 */
export function tupleCondition(
  columns: readonly string[],
  tuples: readonly (readonly unknown[])[],
  quote: (name: string) => string,
  param: (value: unknown) => string,
): string {
  if (tuples.length === 0) return "FALSE";
  return tuples
    .map(
      (t) =>
        `(${columns
          .map((c, i) => (t[i] === null || t[i] === undefined ? `${quote(c)} IS NULL` : `${quote(c)} = ${param(t[i])}`))
          .join(" AND ")})`,
    )
    .join(" OR ");
}

/** Splits tuples into chunks whose parameters stay under `maxParameters` (and at most `size` tuples). */
export function* chunkTuples(
  tuples: readonly unknown[][],
  width: number,
  maxParameters: number,
  size = 500,
): Generator<unknown[][]> {
  const per = Math.max(1, Math.min(size, Math.floor(maxParameters / Math.max(1, width))));
  for (let start = 0; start < tuples.length; start += per) yield tuples.slice(start, start + per);
}

/** A dialect's side of tuple keys: its parameter limit, its quoting and placeholders, and how it binds a value. */
export interface TupleDialect {
  readonly maxParameters: number;
  readonly quote: (name: string) => string;
  /** The i-th parameter (1-based): `$i` on PostgreSQL, `?` elsewhere. */
  readonly placeholder: (i: number) => string;
  /** A key value as the driver binds it (SQLite has no boolean or date type); as it is when absent. */
  readonly bind?: (value: unknown) => unknown;
}

/**
 * The WHERE condition and parameters for each chunk of the tuples in `keys`, one statement's worth at a time (a
 * generator, so that reads stream chunk by chunk) — how every SQL connector reads, deletes and updates rows by tuple
 * keys. `prefix` holds the parameters before the condition's (the values an UPDATE sets); `size` caps the tuples per
 * statement (500 when not given).
 */
export function* tupleStatements(
  dialect: TupleDialect,
  columns: readonly string[],
  keys: readonly unknown[],
  prefix: readonly unknown[] = [],
  size?: number,
): Generator<{ where: string; params: unknown[] }> {
  const bind = dialect.bind;
  const bound = bind ? keys.map((k) => (Array.isArray(k) ? k.map(bind) : k)) : keys;
  const head = bind ? prefix.map(bind) : prefix;
  const tuples = uniqueTuples(bound, columns.length);
  for (const chunk of chunkTuples(tuples, columns.length, dialect.maxParameters - head.length, size || undefined)) {
    const params: unknown[] = [...head];
    const where = tupleCondition(columns, chunk, dialect.quote, (v) => {
      params.push(v);
      return dialect.placeholder(params.length);
    });
    yield { where, params };
  }
}
