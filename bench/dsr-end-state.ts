/**
 * The end state of a pair of demo databases, to prove that two erasures did the same thing: every table of both
 * databases, each row (its key included) rendered as text with masked values normalised — a random `~r…`, hashed
 * `~h…` or HMAC `~k…` mask differs from run to run, so each becomes `~r` — then hashed. A table's checksum is its row
 * count and the sum of its rows' hashes, computed by the database itself: equal checksums mean the same set of rows,
 * as a key-ordered dump would show, without moving millions of rows to the client. When two states differ, the keys
 * of the first differing rows are read back, in key order, to say where.
 */
import type mysql from "mysql2/promise";
import type pg from "pg";
import { type DemoPair, myTables, withMy, withPg } from "./dsr-databases.ts";

/** "dataset.table" → "count:sum-of-row-hashes". */
export type EndState = Record<string, string>;

const MASK = "~[rhk][0-9a-z]*";

/** Each row of a PostgreSQL table as (key, normalised row hash); the first column is the key in every demo table. */
const pgRows = (table: string, key: string) =>
  `SELECT x."${key}"::text AS k, md5(regexp_replace(x::text, '${MASK}', '~r', 'g')) AS h FROM "${table}" x`;

/** The same for MariaDB: columns joined with a separator, NULL spelled \N. */
async function myRows(db: mysql.Connection, database: string, table: string): Promise<string> {
  const [columns] = await db.query<mysql.RowDataPacket[]>(
    "SELECT column_name AS c FROM information_schema.columns WHERE table_schema = ? AND table_name = ? ORDER BY ordinal_position",
    [database, table],
  );
  const parts = columns.map((r) => `COALESCE(CAST(\`${String(r["c"])}\` AS CHAR), '\\\\N')`);
  const key = String(columns[0]?.["c"]);
  return `SELECT CAST(\`${key}\` AS CHAR) AS k,
    MD5(REGEXP_REPLACE(CONCAT_WS('|', ${parts.join(", ")}), '${MASK}', '~r')) AS h FROM \`${table}\``;
}

async function pgTables(db: pg.Client): Promise<{ t: string; k: string }[]> {
  const { rows } = await db.query<{ t: string; k: string }>(
    `SELECT c.table_name AS t, c.column_name AS k FROM information_schema.columns c
     JOIN information_schema.tables t USING (table_schema, table_name)
     WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE' AND c.ordinal_position = 1 ORDER BY 1`,
  );
  return rows;
}

export async function endState(pair: DemoPair): Promise<EndState> {
  const out: EndState = {};
  await withPg(pair.pgUrl, async (db) => {
    for (const { t, k } of await pgTables(db)) {
      const { rows } = await db.query(
        `SELECT count(*) AS n, coalesce(sum(('x' || substr(h, 1, 15))::bit(60)::bigint), 0) AS s FROM (${pgRows(t, k)}) r`,
      );
      out[`learning_app.${t}`] = `${rows[0].n}:${rows[0].s}`;
    }
  });
  await withMy(pair.myUrl, async (db) => {
    for (const t of await myTables(db, pair.name)) {
      const [rows] = await db.query<mysql.RowDataPacket[]>(
        `SELECT count(*) AS n, coalesce(sum(conv(substr(h, 1, 15), 16, 10)), 0) AS s FROM (${await myRows(db, pair.name, t)}) r`,
      );
      out[`learning_analytics.${t}`] = `${rows[0]?.["n"]}:${rows[0]?.["s"]}`;
    }
  });
  return out;
}

/** Keys of the rows of one table, in key order, with their hashes: the table's dump, for a diff. */
async function dumpTable(pair: DemoPair, address: string): Promise<Map<string, string>> {
  const [dataset, table = ""] = address.split(".");
  const pick = (rows: Record<string, unknown>[]) => new Map(rows.map((r) => [String(r["k"]), String(r["h"])]));
  if (dataset === "learning_app")
    return withPg(pair.pgUrl, async (db) => {
      const key = (await pgTables(db)).find((x) => x.t === table)?.k ?? "id";
      return pick((await db.query(`${pgRows(table, key)} ORDER BY x."${key}"`)).rows);
    });
  return withMy(pair.myUrl, async (db) => {
    const [rows] = await db.query<mysql.RowDataPacket[]>(`${await myRows(db, pair.name, table)} ORDER BY 1`);
    return pick(rows);
  });
}

/** One side of a comparison: a label for messages and the pair it ran on. */
export interface Side {
  readonly label: string;
  readonly pair: DemoPair;
}

/**
 * Throws, naming every table that differs and up to five differing keys of each, unless every pair of `others`
 * holds the same rows as `reference`.
 */
export async function assertSameEndState(reference: Side, others: readonly Side[]): Promise<void> {
  const expected = await endState(reference.pair);
  for (const other of others) {
    const actual = await endState(other.pair);
    const tables = [...new Set([...Object.keys(expected), ...Object.keys(actual)])].sort();
    const differing = tables.filter((t) => expected[t] !== actual[t]);
    if (differing.length === 0) continue;
    const lines: string[] = [];
    for (const t of differing) {
      const [da, db] = await Promise.all([dumpTable(reference.pair, t), dumpTable(other.pair, t)]);
      const keys = [...new Set([...da.keys(), ...db.keys()])].filter((k) => da.get(k) !== db.get(k));
      const shown = keys
        .slice(0, 5)
        .map((k) => `${k} (${da.has(k) ? "present" : "absent"} / ${db.has(k) ? "present" : "absent"})`);
      const more = keys.length > 5 ? ` and ${keys.length - 5} more` : "";
      lines.push(
        `  ${t}: ${da.size} rows after ${reference.label}, ${db.size} after ${other.label}; differing keys: ${shown.join(", ")}${more}`,
      );
    }
    throw new Error(
      `the end states after ${reference.label} and ${other.label} differ in ${differing.length} table(s):\n${lines.join("\n")}\nThe comparison is void until the two do the same thing.`,
    );
  }
}
