/**
 * A minimal `pg`-style pool over one embedded PGlite database, so that Kysely's own `PostgresDialect` (and thus one
 * SQL dialect, one compiler, one set of migrations) serves both backends.
 *
 * PGlite is a single PostgreSQL session. Kysely runs a transaction as `begin` … `commit` on one acquired connection;
 * if a second caller could send statements in between, they would silently join that transaction. So the pool holds
 * exactly one client and hands it out to one caller at a time: `connect()` waits until the previous holder called
 * `release()`. That serialises all work on the store, which is what an embedded single-user database needs anyway.
 */
import type { PGlite } from "@electric-sql/pglite";
import type { PostgresPool, PostgresPoolClient, PostgresQueryResult } from "kysely";
import { copied, copyBlob, takeCopyJob } from "./copy-rows.ts";

type Command = PostgresQueryResult<unknown>["command"];

export class PGlitePool implements PostgresPool {
  /** Settles when the current holder releases the client; the next `connect()` waits on it. */
  #queue: Promise<void> = Promise.resolve();
  #ended = false;

  constructor(readonly pglite: PGlite) {}

  async connect(): Promise<PostgresPoolClient> {
    if (this.#ended) throw new Error("the PGlite store is closed");
    let release!: () => void;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    const previous = this.#queue;
    this.#queue = previous.then(() => released);
    await previous;
    return this.#client(release);
  }

  /**
   * Runs raw SQL in its turn on the session, outside any transaction another caller holds. A text without parameters
   * may hold several statements (PGlite's `exec`); the last one's rows are returned.
   */
  async executeSql(text: string, values: readonly unknown[] = []): Promise<{ rows: unknown[]; rowCount: number }> {
    const client = await this.connect();
    try {
      if (values.length === 0) {
        const results = await this.pglite.exec(text);
        const last = results[results.length - 1];
        return { rows: last?.rows ?? [], rowCount: last?.affectedRows ?? 0 };
      }
      const result = await this.pglite.query<unknown>(text, [...values]);
      return { rows: result.rows, rowCount: result.affectedRows ?? result.rows.length };
    } finally {
      client.release();
    }
  }

  /** Closes the database after the current holder (if any) is done. */
  async end(): Promise<void> {
    if (this.#ended) return;
    this.#ended = true;
    await this.#queue;
    await this.pglite.close();
  }

  #client(release: () => void): PostgresPoolClient {
    const pglite = this.pglite;
    let released = false;
    return {
      // Kysely only passes a cursor for `.stream()`, which the store does not use.
      query: (async (sql: string, parameters: readonly unknown[]) => {
        const job = takeCopyJob(sql, parameters);
        if (job) {
          const { statement, blob, count } = copyBlob(job);
          const result = count > 0 ? await pglite.query(statement, [], { blob }) : undefined;
          return copied(result?.affectedRows ?? 0);
        }
        const result = await pglite.query<unknown>(sql, [...parameters]);
        return {
          command: (result.command ?? "SELECT") as Command,
          rowCount: result.rowCount ?? result.affectedRows ?? 0,
          rows: result.rows,
        };
      }) as PostgresPoolClient["query"],
      // A client Kysely wants discarded (a failed rollback) cannot be replaced: PGlite has only this one session.
      release: () => {
        if (released) return;
        released = true;
        release();
      },
    };
  }
}
