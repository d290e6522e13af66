/**
 * The condition of a retention sweep as SQL, the same for every SQL store: rows past their time (`before`), narrowed to
 * the rule's rows (`equals`), minus the rows an exemption keeps (`except`) and the rows under a legal hold (`notIn`).
 * The condition travels in the statement that deletes or reads, so a row that became exempt after the plan was made
 * is never deleted. A NULL never matches: a row without a timestamp is not due, and a NULL exemption column does not
 * exempt (as `matches` in the engine reads it).
 */
import type { RowFilter } from "./connector.ts";

export interface FilterDialect {
  readonly quote: (name: string) => string;
  /** The placeholder of the next parameter (`$3`, `?`). */
  readonly placeholder: (index: number) => string;
  /** The column compared with a timestamp parameter (SQLite: `julianday(col)`). */
  readonly timestampColumn?: (quoted: string) => string;
  readonly timestampParameter?: (placeholder: string) => string;
  /** A timestamp as the driver binds it. */
  readonly time: (at: Date) => unknown;
  /** A value of an equality as the driver binds it (SQLite has no booleans). */
  readonly value?: (v: string | number | boolean) => unknown;
  /** `col NOT IN (…)` for a list of keys (PostgreSQL binds one array instead). */
  readonly notIn: (quoted: string, values: readonly unknown[], next: (v: unknown) => string) => string;
}

export interface FilterSql {
  readonly where: string;
  readonly params: unknown[];
}

export function filterSql(filter: RowFilter, d: FilterDialect, firstIndex = 1): FilterSql {
  const params: unknown[] = [];
  const next = (v: unknown) => {
    params.push(v);
    return d.placeholder(firstIndex + params.length - 1);
  };
  const value = (v: string | number | boolean) => (d.value ? d.value(v) : v);
  const all = (where: Readonly<Record<string, string | number | boolean>>) =>
    Object.entries(where)
      .map(([column, v]) => `${d.quote(column)} = ${next(value(v))}`)
      .join(" AND ");
  const parts: string[] = [];
  if (filter.before) {
    const column = d.quote(filter.before.column);
    const p = next(d.time(filter.before.at));
    parts.push(
      `${d.timestampColumn ? d.timestampColumn(column) : column} < ${d.timestampParameter ? d.timestampParameter(p) : p}`,
    );
  }
  if (filter.equals && Object.keys(filter.equals).length > 0) parts.push(`COALESCE((${all(filter.equals)}), FALSE)`);
  for (const except of filter.except ?? [])
    parts.push(Object.keys(except).length === 0 ? "FALSE" : `NOT COALESCE((${all(except)}), FALSE)`);
  if (filter.notIn && filter.notIn.values.length > 0)
    parts.push(d.notIn(d.quote(filter.notIn.column), filter.notIn.values, next));
  for (const column of filter.notNull ?? []) parts.push(`${d.quote(column)} IS NOT NULL`);
  return { where: parts.length === 0 ? "TRUE" : parts.join(" AND "), params };
}

/** A limit as a literal: a whole number, never a parameter (MySQL prepares LIMIT poorly). */
export const limitOf = (n: number): number => Math.max(1, Math.floor(n));
