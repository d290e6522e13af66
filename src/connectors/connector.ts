/**
 * The contract between the engine and a data store. The engine knows a store only through this interface, so a new
 * kind of store is a new folder `connectors/<kind>/` and nothing else changes. Every method works on keys: the plan
 * decides which rows (by which key column and values), the connector only turns that into a few set-based statements.
 *
 * Capabilities are readonly flags the engine checks — it never looks at `kind` to decide what a store can do.
 *
 * @example
 *   const db = await createPostgresConnector("postgres://postgres@127.0.0.1:5432/app");
 *   for await (const rows of db.readByKeys("users", "id", [1, 2, 3], ["id", "email"])) console.log(rows);
 *   await db.transaction((tx) => tx.deleteByKeys("sessions", "user_id", [1, 2, 3]));
 *   await db.close();
 */
import type { ConnectorKind } from "../manifest/types.ts";
import type { KeyColumns } from "./key-match.ts";

export type { KeyColumns };

/** One row as the driver returns it: column name → value. */
export type Row = Record<string, unknown>;

/** What a store can do; the engine chooses its strategy from these flags. */
/** One row's new values, for `updateEach`. */
export interface RowUpdate {
  /** The row's key value; a tuple (array) when the key is several columns. */
  readonly key: unknown;
  readonly set: Readonly<Record<string, unknown>>;
}

/**
 * Which rows a retention sweep covers: those whose `before.column` is earlier than `before.at`, with the `equals`
 * values, except rows matching any `except` (exemptions) and rows whose `notIn.column` is in `notIn.values` (holds);
 * `notNull` keeps only rows where each of those columns has a value (how a column's distinct values are listed).
 */
export interface RowFilter {
  readonly before?: { readonly column: string; readonly at: Date };
  readonly equals?: Readonly<Record<string, string | number | boolean>>;
  readonly except?: readonly Readonly<Record<string, string | number | boolean>>[];
  readonly notIn?: { readonly column: string; readonly values: readonly unknown[] };
  readonly notNull?: readonly string[];
}

export interface ConnectorCapabilities {
  /** `DELETE/UPDATE … RETURNING` is available (saves a read before a write). */
  readonly supportsReturning: boolean;
  /** Writes can be grouped so that they all happen or none does. */
  readonly supportsTransactions: boolean;
  /** `CREATE/ALTER TABLE` can be rolled back with the transaction. */
  readonly supportsTransactionalDdl: boolean;
  /** A whole key list travels as one array parameter (PostgreSQL `= ANY($1)`), so statements do not grow with it. */
  readonly supportsArrayParameters: boolean;
  /** The most bind parameters one statement may carry; key lists are chunked below it. */
  readonly maxParameters: number;
  /** Rows can be chosen by a condition (`countWhere`, `keysWhere`, `deleteWhere`): what time-based sweeps need. */
  readonly supportsConditions: boolean;
  /**
   * Calls from outside an open transaction run while it stays open (a pool of connections). False where one
   * connection serves every call and outside calls wait for the transaction to end (SQLite): such a store starts
   * writing only once nothing else will need to read it.
   */
  readonly readsBesideWrites: boolean;
  /**
   * How many transactions of this store can be open at once (the connections of its pool): a store written by key
   * only may split a large erasure over one fewer transactions than that (see write-changes.ts). 1 where one
   * connection serves every call, or where there are no transactions.
   */
  readonly concurrentTransactions: number;
}

export interface TransactionOptions {
  /**
   * Wait at most this long for a row another transaction holds, then fail the statement (MySQL/MariaDB
   * `innodb_lock_wait_timeout`, PostgreSQL `lock_timeout`); the server's own setting otherwise. Whole seconds, at
   * least 1. Stores without row locks ignore it.
   */
  readonly lockWaitSeconds?: number;
}

/** The connections a server database's pool holds (PostgreSQL, MySQL/MariaDB). */
export const POOL_CONNECTIONS = 4;

/** A server connector's capabilities for a pool of `connections`: as many transactions may run at once. */
export function withConnections(capabilities: ConnectorCapabilities, connections: number): ConnectorCapabilities {
  return connections === capabilities.concurrentTransactions
    ? capabilities
    : { ...capabilities, concurrentTransactions: connections };
}

/** How a connector is opened. */
export interface OpenOptions {
  /**
   * Connections its pool may hold (default POOL_CONNECTIONS); also its `concurrentTransactions`. A process that runs
   * many requests at once, each with connectors of its own (a worker), opens them smaller, so that the number of
   * requests in flight is not capped by the database's connection limit. Two is the least a store written in a
   * transaction needs: the transaction, and the reads deciding still makes beside it.
   */
  readonly connections?: number;
}

export interface IntrospectedColumn {
  readonly name: string;
  /** The type as the store names it, e.g. `character varying(100)` or `varchar(100)`. */
  readonly type: string;
  readonly nullable: boolean;
  /** The column alone is a primary key or has a unique index — a mask must keep values distinct. */
  readonly unique: boolean;
  /** For character types with a limit: the most characters a value may have — a mask must fit. */
  readonly maxLength?: number;
}

export interface IntrospectedForeignKey {
  readonly name: string;
  readonly columns: readonly string[];
  readonly referencedTable: string;
  readonly referencedColumns: readonly string[];
  /** What the database does to these rows when the row they reference is deleted (absent: the store does not say). */
  readonly onDelete?: OnDelete;
}

export type OnDelete = "no_action" | "restrict" | "cascade" | "set_null" | "set_default";

/** `CASCADE`, `SET NULL`, `NO ACTION`… as the stores spell them → `OnDelete` (unknown spellings: absent). */
export function onDeleteOf(rule: string | null | undefined): OnDelete | undefined {
  const key = String(rule ?? "")
    .trim()
    .toLowerCase()
    .replace(/\s+/g, "_");
  return (["no_action", "restrict", "cascade", "set_null", "set_default"] as const).find((r) => r === key);
}

export interface IntrospectedTable {
  readonly name: string;
  /** `view`: rows can be read but not written (absent: a table). */
  readonly kind?: "view";
  /**
   * The partitions a partitioned table's rows live in (PostgreSQL declarative partitioning, sub-partitions included;
   * MariaDB/MySQL `PARTITION BY`). They are not tables of their own here: the table is read and written through.
   */
  readonly partitions?: readonly string[];
  /** PostgreSQL tables that inherit from this one (`INHERITS`): reading or deleting through it covers their rows. */
  readonly inheritedBy?: readonly string[];
  /** In table order. */
  readonly columns: readonly IntrospectedColumn[];
  /** Empty when the table has none. */
  readonly primaryKey: readonly string[];
  readonly foreignKeys: readonly IntrospectedForeignKey[];
}

export interface ReadOptions {
  /**
   * How many keys one statement (and so one yielded batch) covers. Default 1000; capped by `maxParameters`.
   * Larger batches mean fewer round trips but more rows held in memory at once.
   */
  readonly batchSize?: number;
  /**
   * The keys are distinct already (the engine asks each value once): the connector does not look for duplicates,
   * which costs a set of every key per call. Default false.
   */
  readonly distinct?: boolean;
}

export interface Connector {
  readonly kind: ConnectorKind;
  readonly capabilities: ConnectorCapabilities;
  /** Tables of the connected database (PostgreSQL: of the current schema), sorted by name. */
  introspect(): Promise<IntrospectedTable[]>;
  /**
   * Streams the rows whose `keyColumn` is one of `keys`, one batch per chunk of keys (empty batches are skipped).
   * Duplicate keys are read once. Only `columns` are returned. Every method that takes a `keyColumn` also takes
   * several columns (a composite key, or every column of a table without one): each key is then a tuple of their
   * values, NULL matching NULL (src/connectors/key-match.ts).
   */
  readByKeys(
    table: string,
    keyColumn: KeyColumns,
    keys: readonly unknown[],
    columns: readonly string[],
    opts?: ReadOptions,
  ): AsyncIterable<Row[]>;
  /** Deletes the rows whose `keyColumn` is one of `keys` (a key given twice deletes its rows once); returns how many rows went. */
  deleteByKeys(table: string, keyColumn: KeyColumns, keys: readonly unknown[]): Promise<number>;
  /** Sets `set` on the rows whose `keyColumn` is one of `keys` (this is how masking is done); returns rows matched. */
  updateByKeys(
    table: string,
    keyColumn: KeyColumns,
    keys: readonly unknown[],
    set: Readonly<Record<string, unknown>>,
  ): Promise<number>;
  /**
   * Sets a different value on each row: `updates[i].set` on the row whose `keyColumn` is `updates[i].key` (this is how
   * per-row masks — hashes, random strings — are written). Every update must set the same columns. One set-based
   * statement per chunk, never one per row. Returns rows matched.
   */
  updateEach(table: string, keyColumn: KeyColumns, updates: readonly RowUpdate[]): Promise<number>;
  /** How many rows match `filter` (what a retention plan reports, and its proof checks is 0 afterwards). */
  countWhere(table: string, filter: RowFilter): Promise<number>;
  /** Up to `limit` values of `keyColumn` of rows matching `filter`, ascending, each greater than `after` if given. */
  keysWhere(
    table: string,
    keyColumn: string,
    filter: RowFilter,
    page: { readonly limit: number; readonly after?: unknown },
  ): Promise<unknown[]>;
  /**
   * Deletes up to `limit` rows matching `filter` in one statement that checks the filter itself (a row that stopped
   * matching in between stays); returns how many went. Called again until it returns less than `limit`.
   */
  deleteWhere(table: string, filter: RowFilter, limit: number): Promise<number>;
  /** Up to `limit` rows of `table` (only `columns`), in no particular order: what discovery looks at to guess categories. */
  sample(table: string, columns: readonly string[], limit: number): Promise<Row[]>;
  /**
   * Runs `fn` in one transaction: committed when it resolves, rolled back when it throws (the error is rethrown).
   * Inside, `tx` is the connector to use; a nested call joins the outer transaction. `options` must reach the store:
   * a wrapper around a connector passes them on.
   */
  transaction<T>(fn: (tx: Connector) => Promise<T>, options?: TransactionOptions): Promise<T>;
  /** Ends every connection. The connector cannot be used afterwards. */
  close(): Promise<void>;
}
