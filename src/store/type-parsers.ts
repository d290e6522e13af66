/**
 * How column values come back from the store, the same on both backends. `pg` and PGlite disagree by default (pg
 * returns `bigint` columns as strings and `date` columns as local-midnight `Date`s; PGlite returns numbers and UTC
 * `Date`s), so code written against one would break on the other. We pin the two types that differ:
 *
 * - `int8` (OID 20; identity columns, `count(*)`) → `number`. Ids and counts in Steward's store stay far below 2^53.
 * - `date` (OID 1082; e.g. a notice's effective date) → the `YYYY-MM-DD` string as stored, no time zone involved.
 *
 * `timestamptz` → `Date` and `jsonb` → parsed value are already the same on both.
 */
export const INT8_OID = 20;
export const DATE_OID = 1082;

export const parseInt8 = (value: string): number => Number(value);
export const parseDate = (value: string): string => value;

/** Parsers keyed by type OID, in the shape PGlite's `parsers` option takes. */
export const STORE_PARSERS: Readonly<Record<number, (value: string) => unknown>> = {
  [INT8_OID]: parseInt8,
  [DATE_OID]: parseDate,
};
