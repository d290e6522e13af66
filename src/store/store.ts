import type { Kysely } from "kysely";
import type { StoreSchema } from "./store-schema.ts";

export interface SqlExecutor {
  executeSql(text: string, values?: unknown[]): Promise<{ rows: unknown[]; rowCount: number }>;
}

/**
 * An open store. Only `openStore`/`withStore` make one, so every connection has an owner that closes it.
 */
export interface Store {
  readonly db: Kysely<StoreSchema>;
  /**
   * Raw SQL on the store's own connections, for pg-boss (src/jobs/): on PGlite it waits its turn on the one session
   * like every Kysely query, and a text without parameters may hold several statements.
   */
  readonly sql: SqlExecutor;
  readonly backend: "pglite" | "postgres";
  /** Where the store lives, without credentials — safe for messages, logs and `/health`. */
  readonly target: string;
  /** Schema version after opening (and migrating). */
  readonly schemaVersion: number;
  /**
   * Calls `onNotice` with the payload of every `NOTIFY channel` (from this process or, on PostgreSQL, any process on
   * the same database) until the returned function is called or the store closes. On PostgreSQL it holds one
   * connection of its own; a lost connection is reported to `onLost`, whose caller should treat its caches as stale.
   */
  listen(channel: string, onNotice: (payload: string) => void, onLost?: () => void): Promise<() => Promise<void>>;
  /** Answers whether the backend still responds; never throws. */
  ping(): Promise<{ ok: true } | { ok: false; detail: string }>;
  /** Closes every connection; waits for the query in flight. Safe to call twice. */
  close(): Promise<void>;
}
