/**
 * The PostgreSQL connector over `pg`. A key list travels as ONE array parameter (`= ANY($1)`), so a statement has the
 * same text whatever the number of keys; key lists are still chunked so that each batch stays small enough to stream.
 */
import type pg from "pg";
import { batchSizeFor, chunkKeys } from "../chunk-keys.ts";
import { columnsOf, columnsToSet } from "../columns-of.ts";
import type {
  Connector,
  ConnectorCapabilities,
  IntrospectedTable,
  KeyColumns,
  ReadOptions,
  Row,
  RowFilter,
  RowUpdate,
  TransactionOptions,
} from "../connector.ts";
import { POOL_CONNECTIONS, withConnections } from "../connector.ts";
import { type TupleDialect, tupleStatements } from "../key-match.ts";
import { type FilterDialect, filterSql, limitOf } from "../row-filter.ts";
import { arrayParameter } from "./postgres-array.ts";
import { introspectPostgres } from "./postgres-introspector.ts";
import { quotePostgres as q } from "./postgres-quote.ts";

/** A pool or one checked-out client: what the connector runs statements on. */
export type PostgresQueryable = Pick<pg.Pool | pg.PoolClient, "query">;

const CAPABILITIES: ConnectorCapabilities = {
  supportsReturning: true,
  supportsTransactions: true,
  supportsTransactionalDdl: true,
  supportsArrayParameters: true,
  maxParameters: 65_535,
  supportsConditions: true,
  readsBesideWrites: true,
  concurrentTransactions: POOL_CONNECTIONS,
};

const TUPLES: TupleDialect = { maxParameters: CAPABILITIES.maxParameters, quote: q, placeholder: (i) => `$${i}` };

const DIALECT: FilterDialect = {
  quote: q,
  placeholder: (i) => `$${i}`,
  time: (at) => at,
  notIn: (column, values, next) => `NOT (${column} = ANY(${next([...values])}))`,
};

/** Keys per statement when the caller does not say: arrays are cheap to bind, so chunks can be large. */
const MAX_KEYS_PER_STATEMENT = 10_000;

export class PostgresConnector implements Connector {
  readonly kind = "postgres" as const;
  readonly capabilities: ConnectorCapabilities;

  /** `pool` owns the connections; `client` is set inside a transaction. */
  constructor(
    private readonly pool: pg.Pool,
    private readonly client?: pg.PoolClient,
    /** Connections `pool` holds: how many transactions may run at once. */
    connections: number = POOL_CONNECTIONS,
  ) {
    this.capabilities = withConnections(CAPABILITIES, connections);
  }

  private get db(): PostgresQueryable {
    return this.client ?? this.pool;
  }

  introspect(): Promise<IntrospectedTable[]> {
    return introspectPostgres(this.db);
  }

  async *readByKeys(
    table: string,
    keyColumn: KeyColumns,
    keys: readonly unknown[],
    columns: readonly string[],
    opts?: ReadOptions,
  ): AsyncIterable<Row[]> {
    if (typeof keyColumn !== "string") {
      for (const { where, params } of tupleStatements(TUPLES, keyColumn, keys, [], opts?.batchSize)) {
        const { rows } = await this.db.query<Row>(
          `SELECT ${columns.map(q).join(", ")} FROM ${q(table)} WHERE ${where}`,
          params,
        );
        if (rows.length > 0) yield rows;
      }
      return;
    }
    const sql = `SELECT ${columns.map(q).join(", ")} FROM ${q(table)} WHERE ${q(keyColumn)} = ANY($1)`;
    // Without a batch size, one statement per MAX_KEYS_PER_STATEMENT keys: one array parameter costs the same at any size.
    const size =
      opts?.batchSize === undefined ? MAX_KEYS_PER_STATEMENT : batchSizeFor(opts.batchSize, MAX_KEYS_PER_STATEMENT);
    for (const chunk of chunkKeys(keys, size, opts?.distinct)) {
      const { rows } = await this.db.query<Row>(sql, [arrayParameter(chunk)]);
      if (rows.length > 0) yield rows;
    }
  }

  async deleteByKeys(table: string, keyColumn: KeyColumns, keys: readonly unknown[]): Promise<number> {
    if (typeof keyColumn !== "string") {
      let count = 0;
      for (const { where, params } of tupleStatements(TUPLES, keyColumn, keys)) {
        count += (await this.db.query(`DELETE FROM ${q(table)} WHERE ${where}`, params)).rowCount ?? 0;
      }
      return count;
    }
    const sql = `DELETE FROM ${q(table)} WHERE ${q(keyColumn)} = ANY($1)`;
    let count = 0;
    // A key in two chunks is deleted by the first: no need to look for duplicates.
    for (const chunk of chunkKeys(keys, MAX_KEYS_PER_STATEMENT, true))
      count += (await this.db.query(sql, [arrayParameter(chunk)])).rowCount ?? 0;
    return count;
  }

  async updateByKeys(
    table: string,
    keyColumn: KeyColumns,
    keys: readonly unknown[],
    set: Readonly<Record<string, unknown>>,
  ): Promise<number> {
    const names = columnsToSet(set);
    const assignments = names.map((name, i) => `${q(name)} = $${i + 1}`).join(", ");
    if (typeof keyColumn !== "string") {
      let count = 0;
      const prefix = names.map((name) => set[name]);
      for (const { where, params } of tupleStatements(TUPLES, keyColumn, keys, prefix)) {
        count += (await this.db.query(`UPDATE ${q(table)} SET ${assignments} WHERE ${where}`, params)).rowCount ?? 0;
      }
      return count;
    }
    const sql = `UPDATE ${q(table)} SET ${assignments} WHERE ${q(keyColumn)} = ANY($${names.length + 1})`;
    const values = names.map((name) => set[name]);
    let count = 0;
    for (const chunk of chunkKeys(keys, MAX_KEYS_PER_STATEMENT)) {
      count += (await this.db.query(sql, [...values, arrayParameter(chunk)])).rowCount ?? 0;
    }
    return count;
  }

  async updateEach(table: string, keyColumn: KeyColumns, updates: readonly RowUpdate[]): Promise<number> {
    const names = columnsOf(updates);
    if (names.length === 0) return 0;
    if (typeof keyColumn !== "string") {
      // Rows without a single-column key: one statement per row (such tables are few, and small).
      let count = 0;
      for (const u of updates) count += await this.updateByKeys(table, keyColumn, [u.key], u.set);
      return count;
    }
    // The rows travel as one jsonb parameter, typed by the table's own row type: no per-column casts to guess.
    const assignments = names.map((name) => `${q(name)} = v.${q(name)}`).join(", ");
    const sql = `UPDATE ${q(table)} AS t SET ${assignments}
      FROM jsonb_populate_recordset(NULL::${q(table)}, $1::jsonb) AS v WHERE t.${q(keyColumn)} = v.${q(keyColumn)}`;
    let count = 0;
    for (const chunk of chunkKeys(updates, MAX_KEYS_PER_STATEMENT)) {
      const json = JSON.stringify(chunk.map((u) => ({ ...u.set, [keyColumn]: u.key })));
      count += (await this.db.query(sql, [json])).rowCount ?? 0;
    }
    return count;
  }

  async countWhere(table: string, filter: RowFilter): Promise<number> {
    const f = filterSql(filter, DIALECT);
    const { rows } = await this.db.query<{ n: string }>(
      `SELECT count(*) AS n FROM ${q(table)} WHERE ${f.where}`,
      f.params,
    );
    return Number(rows[0]?.n ?? 0);
  }

  async keysWhere(
    table: string,
    keyColumn: string,
    filter: RowFilter,
    page: { readonly limit: number; readonly after?: unknown },
  ): Promise<unknown[]> {
    const f = filterSql(filter, DIALECT);
    const after = page.after === undefined ? "" : ` AND ${q(keyColumn)} > $${f.params.length + 1}`;
    const sql = `SELECT ${q(keyColumn)} AS k FROM ${q(table)} WHERE ${f.where}${after} ORDER BY ${q(keyColumn)} LIMIT ${limitOf(page.limit)}`;
    const { rows } = await this.db.query<{ k: unknown }>(
      sql,
      page.after === undefined ? f.params : [...f.params, page.after],
    );
    return rows.map((r) => r.k);
  }

  async deleteWhere(table: string, filter: RowFilter, limit: number): Promise<number> {
    // The batch is chosen by physical row address, and the outer statement checks the condition again: a row changed
    // by someone else meanwhile is re-read (READ COMMITTED) and stays unless it still matches.
    const f = filterSql(filter, DIALECT);
    const sql = `DELETE FROM ${q(table)} WHERE ctid = ANY(ARRAY(SELECT ctid FROM ${q(table)} WHERE ${f.where} LIMIT ${limitOf(limit)})) AND ${f.where}`;
    return (await this.db.query(sql, f.params)).rowCount ?? 0;
  }

  async sample(table: string, columns: readonly string[], limit: number): Promise<Row[]> {
    const { rows } = await this.db.query<Row>(`SELECT ${columns.map(q).join(", ")} FROM ${q(table)} LIMIT $1`, [limit]);
    return rows;
  }

  async transaction<T>(fn: (tx: Connector) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    if (this.client) return fn(this);
    const client = await this.pool.connect();
    try {
      await client.query("BEGIN");
      // Ends with the transaction.
      if (options.lockWaitSeconds !== undefined)
        await client.query(`SET LOCAL lock_timeout = '${Math.max(1, Math.ceil(options.lockWaitSeconds))}s'`);
      const result = await fn(new PostgresConnector(this.pool, client, this.capabilities.concurrentTransactions));
      await client.query("COMMIT");
      return result;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }

  async close(): Promise<void> {
    if (!this.client) await this.pool.end();
  }
}
