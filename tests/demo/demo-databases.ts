/** Uniquely named throwaway databases for the demo tests, and ways to read back what was loaded. */
import { createHash } from "node:crypto";
import type mysql from "mysql2/promise";
import type pg from "pg";
import { type ScratchDatabases, scratchDatabases } from "../scratch-databases.ts";

export type DemoDatabases = ScratchDatabases;

/** The reference deployment's databases for one test, named `stw_demo_<label>_…`; `drop` them after. */
export function demoDatabases(label: string): DemoDatabases {
  return scratchDatabases(`demo_${label}`);
}

/** Row count of every table. */
export async function pgCounts(client: pg.Client, tables: readonly string[]): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of tables) out[t] = Number((await client.query(`SELECT count(*) AS n FROM "${t}"`)).rows[0].n);
  return out;
}

export async function myCounts(
  connection: mysql.Connection,
  tables: readonly string[],
): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of tables) {
    const [rows] = await connection.query<mysql.RowDataPacket[]>(`SELECT count(*) AS n FROM \`${t}\``);
    out[t] = Number(rows[0]?.["n"]);
  }
  return out;
}

/** md5 of every row of each table, in primary-key order (the first column is the key in every demo table). */
export async function pgChecksums(client: pg.Client, tables: readonly string[]): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const t of tables) {
    const key = await client.query(
      "SELECT column_name FROM information_schema.columns WHERE table_name = $1 AND ordinal_position = 1",
      [t],
    );
    const { rows } = await client.query(
      `SELECT md5(string_agg(x::text, E'\\n' ORDER BY x."${key.rows[0].column_name}")) AS h FROM "${t}" x`,
    );
    out[t] = rows[0].h;
  }
  return out;
}

export async function myChecksums(
  connection: mysql.Connection,
  tables: readonly string[],
): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const t of tables) {
    const [rows] = await connection.query<mysql.RowDataPacket[]>(`SELECT * FROM \`${t}\` ORDER BY 1`);
    out[t] = createHash("md5").update(JSON.stringify(rows)).digest("hex");
  }
  return out;
}
