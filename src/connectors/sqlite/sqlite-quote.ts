/**
 * The one way a SQLite identifier enters SQL text: double-quoted, with inner double quotes doubled. Values never enter
 * SQL text at all — they are bind parameters. (This build of SQLite has DQS=0, so a double-quoted name is never taken
 * for a string literal.)
 *
 * @example
 *   quoteSqlite('we"ird'); // "we""ird"
 */
export function quoteSqlite(identifier: string): string {
  // NUL ends a C string inside SQLite; refusing it keeps the quoting total.
  if (identifier.includes("\0")) throw new RangeError("an identifier cannot contain a NUL character");
  return `"${identifier.replace(/"/g, '""')}"`;
}
