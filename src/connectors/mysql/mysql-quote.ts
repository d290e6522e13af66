/**
 * The one way a MySQL/MariaDB identifier enters SQL text: back-quoted, with inner back quotes doubled. Values never
 * enter SQL text at all — they are bind parameters.
 *
 * @example
 *   quoteMysql("we`ird"); // `we``ird`
 */
export function quoteMysql(identifier: string): string {
  // NUL cannot be stored in an identifier; refusing it keeps the quoting total.
  if (identifier.includes("\0")) throw new RangeError("an identifier cannot contain a NUL character");
  return `\`${identifier.replace(/`/g, "``")}\``;
}
