/** Uniquely named throwaway databases for the demo tests, and ways to read back what was loaded. */
import { createHash } from "node:crypto";
import mysql from "mysql2/promise";
import pg from "pg";

export const PG_SERVER = "postgres://postgres@127.0.0.1:5432";

/** Runs one statement as the server's admin (CREATE / DROP DATABASE for a test's own store). */
export async function pgAdmin(statement: string): Promise<void> {
  const c = new pg.Client({ connectionString: `${PG_SERVER}/postgres` });
  await c.connect();
  try {
    await c.query(statement);
  } finally {
    await c.end();
  }
}
export const MY_SERVER = "mysql://root@127.0.0.1:3306";

export interface DemoDatabases {
  readonly name: string;
  readonly pgUrl: string;
  readonly myUrl: string;
  readonly pg: () => Promise<pg.Client>;
  readonly my: () => Promise<mysql.Connection>;
  readonly drop: () => Promise<void>;
}

export function demoDatabases(label: string): DemoDatabases {
  const name = `stw_demo_${label}_${process.pid}_${Date.now().toString(36)}`;
  return {
    name,
    pgUrl: `${PG_SERVER}/${name}`,
    myUrl: `${MY_SERVER}/${name}`,
    async pg() {
      const client = new pg.Client({ connectionString: `${PG_SERVER}/${name}` });
      await client.connect();
      return client;
    },
    async my() {
      return mysql.createConnection({ uri: `${MY_SERVER}/${name}`, dateStrings: true, supportBigNumbers: true });
    },
    async drop() {
      const admin = new pg.Client({ connectionString: `${PG_SERVER}/postgres` });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end();
      const my = await mysql.createConnection({ uri: MY_SERVER });
      await my.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await my.end();
    },
  };
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
