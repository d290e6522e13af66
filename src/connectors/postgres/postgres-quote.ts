/**
 * The one way a PostgreSQL identifier enters SQL text: double-quoted, with inner double quotes doubled. Values never
 * enter SQL text at all — they are bind parameters.
 *
 * @example
 *   quotePostgres('we"ird'); // "we""ird"
 */
export function quotePostgres(identifier: string): string {
  // NUL cannot be stored in an identifier; refusing it keeps the quoting total.
  if (identifier.includes("\0")) throw new RangeError("an identifier cannot contain a NUL character");
  return `"${identifier.replace(/"/g, '""')}"`;
}
