/**
 * The names a discovered dataset gets from its URL: the database's name, a `fides_key` made from it, and the
 * environment variable its `connection.url` refers to (a manifest never holds a literal URL, which may carry a
 * password).
 *
 * @example
 *   databaseName("postgres://app:pw@db:5432/shop") // "shop"
 *   datasetKey("Shop-EU 2") // "shop-eu_2"
 *   envVarFor("shop-eu_2") // "SHOP_EU_2_DATABASE_URL"
 */

/** The database a URL names: the path of a server URL, the file's name without extension for SQLite; "" if none. */
export function databaseName(url: string): string {
  const sqlite = /^sqlite:(.*)$/i.exec(url);
  if (sqlite) {
    const path = (sqlite[1] ?? "").replace(/[?#].*$/, "");
    const file = safeDecode(path.split("/").pop() ?? "");
    return file === ":memory:" ? "" : file.replace(/\.[^.]*$/, "");
  }
  try {
    return safeDecode(new URL(url).pathname.replace(/^\/+/, "").split("/")[0] ?? "");
  } catch {
    return "";
  }
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** A `fides_key` from any name: lower case, other characters as `_`, starting with a letter or digit. */
export function datasetKey(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9_.-]+/g, "_")
    .replace(/^[^a-z0-9]+/, "");
}

export const DATASET_KEY = /^[a-z0-9][a-z0-9_.-]*$/;

export function envVarFor(key: string): string {
  const upper = key.toUpperCase().replace(/[^A-Z0-9]+/g, "_");
  return `${/^[0-9]/.test(upper) ? "DB_" : ""}${upper}_DATABASE_URL`;
}
