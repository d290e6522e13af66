/**
 * One collection's rows as CSV: RFC 4180 (quoted where needed, CRLF), a header of field names, UTF-8 without a BOM.
 *
 * Spreadsheets run a cell that starts with = + - @ (or a tab or carriage return) as a formula, so a value the person
 * or anyone else typed could run on their machine when they open the file. Such a cell is prefixed with ' (OWASP's
 * advice), unless it is a plain number ("-12.5"), which no spreadsheet can run. data.json keeps every value as stored.
 */

import type { CollectedCollection } from "../engine/access-result.ts";
import { csvRecord } from "../records/csv.ts";
import { fieldValue } from "./categories-found.ts";
import { stableValue } from "./stable-value.ts";

const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** A cell as text: empty for null, JSON (sorted keys) for lists and objects, guarded against formula injection. */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  const text = typeof value === "object" ? JSON.stringify(stableValue(value)) : String(value);
  return FORMULA_START.test(text) && !PLAIN_NUMBER.test(text) ? `'${text}` : text;
}

/** @example formatCollectionCsv(users) // "id,email\r\n42,ada@example.com\r\n" */
export function formatCollectionCsv(c: CollectedCollection): string {
  const names = c.fields.map((f) => f.name);
  return (
    csvRecord(names.map(csvCell)) +
    c.rows.map((row) => csvRecord(names.map((n) => csvCell(fieldValue(row, n))))).join("")
  );
}
