/**
 * Throwaway copies of the reference deployment for the `dsr` benchmark: one seeded base pair (PostgreSQL
 * learning_app + MariaDB learning_analytics), and a fresh copy of it for every erasure run, so that each variant starts
 * from identical rows. PostgreSQL copies with `CREATE DATABASE … TEMPLATE` (a file copy); MariaDB has no template, so
 * each table is copied with `CREATE TABLE … LIKE` + `INSERT … SELECT`, the tables in parallel.
 *
 * Names carry the process id (`dsr_<pid>_<label>`), so concurrent runs never touch each other's databases.
 */
import mysql from "mysql2/promise";
import pg from "pg";

export const PG_SERVER = process.env["DSR_PG_SERVER"] ?? "postgres://postgres@127.0.0.1:5432";
export const MY_SERVER = process.env["DSR_MYSQL_SERVER"] ?? "mysql://root@127.0.0.1:3306";

/** One learning_app database and one learning_analytics database of the same name. */
export interface DemoPair {
  readonly name: string;
  readonly pgUrl: string;
  readonly myUrl: string;
}

export function pairNamed(label: string): DemoPair {
  const name = `dsr_${process.pid}_${label}`;
  return { name, pgUrl: `${PG_SERVER}/${name}`, myUrl: `${MY_SERVER}/${name}` };
}

export async function withPg<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  client.on("error", () => {});
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => {});
  }
}

export async function withMy<T>(url: string, fn: (connection: mysql.Connection) => Promise<T>): Promise<T> {
  const connection = await mysql.createConnection({ uri: url, supportBigNumbers: true, bigNumberStrings: true });
  try {
    return await fn(connection);
  } finally {
    await connection.end().catch(() => {});
  }
}

/** Base tables of a MariaDB database, by name. */
export async function myTables(connection: mysql.Connection, database: string): Promise<string[]> {
  const [rows] = await connection.query<mysql.RowDataPacket[]>(
    "SELECT table_name AS t FROM information_schema.tables WHERE table_schema = ? AND table_type = 'BASE TABLE' ORDER BY 1",
    [database],
  );
  return rows.map((r) => String(r["t"]));
}

/** Copies `from` into a new pair `to` (dropped first if it exists). */
export async function copyPair(from: DemoPair, to: DemoPair): Promise<void> {
  await dropPair(to);
  await Promise.all([
    withPg(`${PG_SERVER}/postgres`, (c) => c.query(`CREATE DATABASE "${to.name}" TEMPLATE "${from.name}"`)),
    (async () => {
      const tables = await withMy(MY_SERVER, async (c) => {
        await c.query(`CREATE DATABASE \`${to.name}\``);
        return myTables(c, from.name);
      });
      await Promise.all(
        tables.map((t) =>
          withMy(MY_SERVER, async (c) => {
            await c.query(`CREATE TABLE \`${to.name}\`.\`${t}\` LIKE \`${from.name}\`.\`${t}\``);
            await c.query(`INSERT INTO \`${to.name}\`.\`${t}\` SELECT * FROM \`${from.name}\`.\`${t}\``);
          }),
        ),
      );
    })(),
  ]);
}

export async function dropPair(pair: DemoPair): Promise<void> {
  await withPg(`${PG_SERVER}/postgres`, (c) => c.query(`DROP DATABASE IF EXISTS "${pair.name}" WITH (FORCE)`));
  await withMy(MY_SERVER, (c) => c.query(`DROP DATABASE IF EXISTS \`${pair.name}\``));
}

/** Row counts of every table of both databases: "learning_app.users" → n. */
export async function rowCounts(pair: DemoPair): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  await withPg(pair.pgUrl, async (c) => {
    const tables = await c.query<{ t: string }>(
      "SELECT table_name AS t FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1",
    );
    for (const { t } of tables.rows)
      out[`learning_app.${t}`] = Number((await c.query(`SELECT count(*) AS n FROM "${t}"`)).rows[0].n);
  });
  await withMy(pair.myUrl, async (c) => {
    for (const t of await myTables(c, pair.name)) {
      const [rows] = await c.query<mysql.RowDataPacket[]>(`SELECT count(*) AS n FROM \`${t}\``);
      out[`learning_analytics.${t}`] = Number(rows[0]?.["n"]);
    }
  });
  return out;
}
