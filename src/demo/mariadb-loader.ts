/**
 * Loads the learning_analytics tables into MariaDB (or MySQL): create the database when missing, drop and recreate
 * the demo tables, stream each table through LOAD DATA LOCAL INFILE, then build the secondary indexes.
 */
import { Readable } from "node:stream";
import mysql from "mysql2/promise";
import { stewardError } from "../errors.ts";
import type { DatabaseTarget } from "./database-url.ts";
import { unreachable } from "./database-url.ts";
import type { DemoDdl } from "./demo-ddl.ts";
import type { LoadedTable, SeedObserver } from "./seed-observer.ts";
import type { TableSource } from "./table-source.ts";

const quote = (name: string): string => `\`${name.replace(/`/g, "``")}\``;

/** Connects to the server only; `useMariadbDatabase` then creates and selects the database. */
export async function connectMariadb(target: DatabaseTarget): Promise<mysql.Connection> {
  let connection: mysql.Connection;
  try {
    connection = await mysql.createConnection({
      host: target.host,
      port: target.port,
      user: target.user,
      ...(target.password === undefined ? {} : { password: target.password }),
      connectTimeout: 10_000,
    });
  } catch (error) {
    throw unreachable(target, error);
  }
  connection.on("error", () => {}); // a dropped connection surfaces as the failing query's error instead
  return connection;
}

/** Creates the target database when it does not exist and makes it the connection's default. */
export async function useMariadbDatabase(connection: mysql.Connection, target: DatabaseTarget): Promise<void> {
  try {
    await connection.query(
      `CREATE DATABASE IF NOT EXISTS ${quote(target.database)} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
    );
    await connection.query(`USE ${quote(target.database)}`);
  } catch (error) {
    throw unreachable(target, error); // e.g. the user may not create databases
  }
}

export async function dropMariadbTables(connection: mysql.Connection, tables: readonly string[]): Promise<void> {
  await connection.query(`DROP TABLE IF EXISTS ${tables.map(quote).join(", ")}`);
}

async function loadTable(connection: mysql.Connection, source: TableSource, observer: SeedObserver): Promise<number> {
  const stream = Readable.from(
    (function* () {
      for (const chunk of source.chunks()) {
        observer.rows(chunk.rows);
        yield chunk.bytes;
      }
    })(),
  );
  // The file name is a label only: the rows come from infileStreamFactory, never from the file system. The
  // FIELDS/LINES defaults (tab, newline, backslash escapes, \N for NULL) are the encoding tsv.ts writes.
  const [result] = await connection.query<mysql.ResultSetHeader>({
    sql:
      `LOAD DATA LOCAL INFILE 'steward-demo-${source.table}.tsv' INTO TABLE ${quote(source.table)} ` +
      `CHARACTER SET utf8mb4 (${source.columns.map(quote).join(", ")})`,
    infileStreamFactory: () => stream,
  });
  // LOCAL loads turn bad values into warnings instead of errors; a demo row that does not fit is a bug, so fail.
  if (result.warningStatus > 0) {
    const [warnings] = await connection.query<mysql.RowDataPacket[]>("SHOW WARNINGS LIMIT 3");
    const detail = warnings.map((w) => String(w["Message"])).join("; ");
    throw stewardError("STW_INTERNAL", {
      detail: `loading ${source.table} gave ${result.warningStatus} warnings: ${detail}`,
    });
  }
  return result.affectedRows;
}

/** Runs the whole MariaDB side on a connection from `openMariadb`; the caller ends it. */
export async function loadMariadb(
  connection: mysql.Connection,
  ddl: DemoDdl,
  sources: readonly TableSource[],
  observer: SeedObserver,
  database: string,
): Promise<LoadedTable[]> {
  // Keys are built after the load, so there is nothing to check row by row; timestamps are written in UTC.
  await connection.query("SET SESSION unique_checks = 0, foreign_key_checks = 0, time_zone = '+00:00'");
  observer.stage(database, "schema");
  await dropMariadbTables(
    connection,
    sources.map((s) => s.table),
  );
  for (const statement of ddl.tables) await connection.query(statement);

  const loaded: LoadedTable[] = [];
  for (const source of sources) {
    observer.stage(database, `load ${source.table}`);
    const started = Date.now();
    const rows = await loadTable(connection, source, observer);
    observer.loaded(database, source.table, rows, Date.now() - started);
    loaded.push({ database, table: source.table, rows });
  }

  observer.stage(database, "indexes");
  for (const statement of ddl.afterLoad) await connection.query(statement);
  observer.stage(database, "analyze");
  await connection.query(`ANALYZE TABLE ${sources.map((s) => quote(s.table)).join(", ")}`);
  return loaded;
}
