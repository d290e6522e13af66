/**
 * Loads the learning_app tables into PostgreSQL: create the database when missing, drop and recreate the demo
 * tables, stream each table through COPY … FROM STDIN, then add the constraints and indexes and refresh statistics.
 */
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import type { DatabaseTarget } from "./database-url.ts";
import { unreachable } from "./database-url.ts";
import type { DemoDdl } from "./demo-ddl.ts";
import type { LoadedTable, SeedObserver } from "./seed-observer.ts";
import type { TableSource } from "./table-source.ts";

const quote = (name: string): string => `"${name.replace(/"/g, '""')}"`;

function clientConfig(target: DatabaseTarget, database: string): pg.ClientConfig {
  return {
    host: target.host,
    port: target.port,
    user: target.user,
    ...(target.password === undefined ? {} : { password: target.password }),
    database,
    connectionTimeoutMillis: 10_000,
  };
}

/** Opens a client, mapping any failure to STW_DB_UNREACHABLE. */
async function connect(target: DatabaseTarget, database: string): Promise<pg.Client> {
  const client = new pg.Client(clientConfig(target, database));
  client.on("error", () => {}); // a dropped connection surfaces as the failing query's error instead
  try {
    await client.connect();
    return client;
  } catch (error) {
    await client.end().catch(() => {});
    throw unreachable(target, error);
  }
}

/** Connects to the target database, creating it first (through the `postgres` database) when it does not exist. */
export async function openPostgres(target: DatabaseTarget): Promise<pg.Client> {
  const admin = await connect(target, "postgres");
  try {
    const found = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [target.database]);
    if (found.rowCount === 0) await admin.query(`CREATE DATABASE ${quote(target.database)}`);
  } catch (error) {
    throw unreachable(target, error); // e.g. the user may not create databases
  } finally {
    await admin.end();
  }
  return connect(target, target.database);
}

/** Drops the demo tables (and whatever depends on them), so the load starts from the DDL. */
export async function dropPostgresTables(client: pg.Client, tables: readonly string[]): Promise<void> {
  await client.query(`DROP TABLE IF EXISTS ${tables.map(quote).join(", ")} CASCADE`);
}

async function copyTable(client: pg.Client, source: TableSource, observer: SeedObserver): Promise<number> {
  const columns = source.columns.map(quote).join(", ");
  // FREEZE writes the rows already frozen (no later hint-bit rewrite or anti-wraparound vacuum of the whole table);
  // PostgreSQL allows it only for a table created or truncated in the same transaction, hence the TRUNCATE.
  await client.query("BEGIN");
  await client.query(`TRUNCATE ${quote(source.table)}`);
  const copy = client.query(copyFrom(`COPY ${quote(source.table)} (${columns}) FROM STDIN WITH (FREEZE)`));
  await pipeline(
    Readable.from(
      (function* () {
        for (const chunk of source.chunks()) {
          observer.rows(chunk.rows);
          yield chunk.bytes;
        }
      })(),
    ),
    copy,
  );
  await client.query("COMMIT");
  return copy.rowCount;
}

/**
 * Runs the whole PostgreSQL side. The client must come from `openPostgres`; it is left open for the caller to end.
 */
export async function loadPostgres(
  client: pg.Client,
  ddl: DemoDdl,
  sources: readonly TableSource[],
  observer: SeedObserver,
  database: string,
): Promise<LoadedTable[]> {
  // Nothing here needs to survive a crash mid-load (a rerun starts over), so skip waiting for WAL flushes; give
  // index builds room to sort in memory.
  await client.query("SET synchronous_commit = off");
  await client.query("SET maintenance_work_mem = '512MB'");
  observer.stage(database, "schema");
  await dropPostgresTables(
    client,
    sources.map((s) => s.table),
  );
  for (const statement of ddl.tables) await client.query(statement);

  const loaded: LoadedTable[] = [];
  for (const source of sources) {
    observer.stage(database, `load ${source.table}`);
    const started = Date.now();
    const rows = await copyTable(client, source, observer);
    observer.loaded(database, source.table, rows, Date.now() - started);
    loaded.push({ database, table: source.table, rows });
  }

  observer.stage(database, "constraints and indexes");
  for (const statement of ddl.afterLoad) await client.query(statement);
  // Let identity columns continue after the loaded ids.
  for (const source of sources) {
    if (source.columns[0] !== "id") continue;
    const table = quote(source.table);
    await client.query(
      `SELECT setval(pg_get_serial_sequence('${table}', 'id'), coalesce(max(id), 0) + 1, false) FROM ${table}`,
    );
  }
  observer.stage(database, "analyze");
  await client.query("ANALYZE");
  return loaded;
}
