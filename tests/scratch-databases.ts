/**
 * Throwaway databases on the real servers the tests talk to (PostgreSQL and MariaDB, see the README): one uniquely
 * named database on each, created with a test's own statements and dropped after it, and SQLite files beside them.
 */
import Database from "better-sqlite3";
import mysql from "mysql2/promise";
import pg from "pg";

export const PG_SERVER = "postgres://postgres@127.0.0.1:5432";
export const MY_SERVER = "mysql://root@127.0.0.1:3306";

/** Runs `statements` in order on the PostgreSQL database at `url` (one string may hold several statements). */
export async function pgRun(url: string, statements: readonly string[]): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    for (const sql of statements) await c.query(sql);
  } finally {
    await c.end();
  }
}

/** Runs one statement as the server's admin (CREATE / DROP DATABASE for a test's own store). */
export function pgAdmin(statement: string): Promise<void> {
  return pgRun(`${PG_SERVER}/postgres`, [statement]);
}

/** Runs `statements` in order on a SQLite file, creating it when it does not exist. */
export function sqliteRun(path: string, statements: readonly string[]): void {
  const db = new Database(path);
  try {
    for (const sql of statements) db.exec(sql);
  } finally {
    db.close();
  }
}

export interface ScratchDatabases {
  /** `stw_<label>_<pid>_<time>` (`STEWARD_TEST_DB_PREFIX` replaces `stw`): the same name on both servers. */
  readonly name: string;
  readonly pgUrl: string;
  readonly myUrl: string;
  /** Creates the PostgreSQL database and runs `statements` in it. */
  readonly createPg: (statements?: readonly string[]) => Promise<void>;
  /** Creates the MariaDB database and runs `statements` in it, one statement a string. */
  readonly createMy: (statements?: readonly string[]) => Promise<void>;
  /** A client of the PostgreSQL database; the caller ends it. */
  readonly pg: () => Promise<pg.Client>;
  /** A connection to the MariaDB database (dates as strings, big numbers exact); the caller ends it. */
  readonly my: () => Promise<mysql.Connection>;
  /** Drops both databases, whether or not they were created. */
  readonly drop: () => Promise<void>;
}

/** A name for a test's databases (unique per process and start), and the ways to create, reach and drop them. */
export function scratchDatabases(label: string): ScratchDatabases {
  // A session sharing the servers with others may mark its databases as its own.
  const prefix = /^[a-z][a-z0-9_]{0,15}$/.test(process.env["STEWARD_TEST_DB_PREFIX"] ?? "")
    ? process.env["STEWARD_TEST_DB_PREFIX"]
    : "stw";
  const name = `${prefix}_${label}_${process.pid}_${Date.now().toString(36)}`;
  const pgUrl = `${PG_SERVER}/${name}`;
  const myUrl = `${MY_SERVER}/${name}`;
  const myRun = async (statements: readonly string[]): Promise<void> => {
    const my = await mysql.createConnection({ uri: MY_SERVER });
    try {
      for (const sql of statements) await my.query(sql);
    } finally {
      await my.end();
    }
  };
  return {
    name,
    pgUrl,
    myUrl,
    async createPg(statements = []) {
      await pgAdmin(`CREATE DATABASE "${name}"`);
      await pgRun(pgUrl, statements);
    },
    createMy: (statements = []) => myRun([`CREATE DATABASE \`${name}\``, `USE \`${name}\``, ...statements]),
    async pg() {
      const client = new pg.Client({ connectionString: pgUrl });
      await client.connect();
      return client;
    },
    my: () => mysql.createConnection({ uri: myUrl, dateStrings: true, supportBigNumbers: true }),
    async drop() {
      await pgAdmin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await myRun([`DROP DATABASE IF EXISTS \`${name}\``]);
    },
  };
}
