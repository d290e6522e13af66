/**
 * The MySQL/MariaDB connector over `mysql2/promise`. MySQL has no array parameters, so a key list becomes
 * `IN (?, ?, …)` and is chunked so that no statement exceeds the protocol's 65,535 bind parameters.
 */
import type mysql from "mysql2/promise";
import { batchSizeFor, chunkKeys } from "../chunk-keys.ts";
import { columnsOf, columnsToSet } from "../columns-of.ts";
import type {
  Connector,
  ConnectorCapabilities,
  IntrospectedTable,
  ReadOptions,
  Row,
  RowFilter,
  RowUpdate,
  TransactionOptions,
} from "../connector.ts";
import { POOL_CONNECTIONS, withConnections } from "../connector.ts";
import { type KeyColumns, type TupleDialect, tupleStatements } from "../key-match.ts";
import { type FilterDialect, filterSql, limitOf } from "../row-filter.ts";
import { introspectMysql } from "./mysql-introspector.ts";
import { quoteMysql as q } from "./mysql-quote.ts";

/** A pool or one checked-out connection: what the connector runs statements on. */
export type MysqlQueryable = Pick<mysql.Pool | mysql.PoolConnection, "query" | "execute">;

const CAPABILITIES: ConnectorCapabilities = {
  supportsReturning: false,
  supportsTransactions: true,
  supportsTransactionalDdl: false,
  supportsArrayParameters: false,
  maxParameters: 65_535,
  supportsConditions: true,
  readsBesideWrites: true,
  concurrentTransactions: POOL_CONNECTIONS,
};

/** DATETIME has no zone: the demo and most schemas store UTC, so the cutoff is bound as UTC text. */
const utcText = (at: Date): string => at.toISOString().replace("T", " ").replace("Z", "");

const TUPLES: TupleDialect = { maxParameters: CAPABILITIES.maxParameters, quote: q, placeholder: () => "?" };

const DIALECT: FilterDialect = {
  quote: q,
  placeholder: () => "?",
  time: utcText,
  notIn: (column, values, next) => `${column} NOT IN (${values.map((v) => next(v)).join(", ")})`,
};

/** Keys per write statement: well under the parameter limit, and few distinct statement texts to prepare. */
const MAX_KEYS_PER_STATEMENT = 5_000;

const placeholders = (n: number): string => new Array<string>(n).fill("?").join(", ");

type Header = mysql.ResultSetHeader;

export class MysqlConnector implements Connector {
  readonly kind = "mysql" as const;
  readonly capabilities: ConnectorCapabilities;

  /** `pool` owns the connections; `connection` is set inside a transaction. */
  constructor(
    private readonly pool: mysql.Pool,
    private readonly connection?: mysql.PoolConnection,
    /** Connections `pool` holds: how many transactions may run at once. */
    connections: number = POOL_CONNECTIONS,
  ) {
    this.capabilities = withConnections(CAPABILITIES, connections);
  }

  private get db(): MysqlQueryable {
    return this.connection ?? this.pool;
  }

  introspect(): Promise<IntrospectedTable[]> {
    return introspectMysql(this.db);
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
        const [rows] = await this.db.execute(
          `SELECT ${columns.map(q).join(", ")} FROM ${q(table)} WHERE ${where}`,
          params as never[],
        );
        if ((rows as Row[]).length > 0) yield rows as Row[];
      }
      return;
    }
    const head = `SELECT ${columns.map(q).join(", ")} FROM ${q(table)} WHERE ${q(keyColumn)} IN `;
    const size = batchSizeFor(opts?.batchSize ?? MAX_KEYS_PER_STATEMENT, this.capabilities.maxParameters);
    for (const chunk of chunkKeys(keys, size, opts?.distinct)) {
      const [rows] = await this.db.execute(`${head}(${placeholders(chunk.length)})`, chunk as never[]);
      if ((rows as Row[]).length > 0) yield rows as Row[];
    }
  }

  async deleteByKeys(table: string, keyColumn: KeyColumns, keys: readonly unknown[]): Promise<number> {
    if (typeof keyColumn !== "string") {
      let count = 0;
      for (const { where, params } of tupleStatements(TUPLES, keyColumn, keys)) {
        const [result] = await this.db.execute(`DELETE FROM ${q(table)} WHERE ${where}`, params as never[]);
        count += (result as Header).affectedRows;
      }
      return count;
    }
    const head = `DELETE FROM ${q(table)} WHERE ${q(keyColumn)} IN `;
    let count = 0;
    // A key in two chunks is deleted by the first: no need to look for duplicates.
    for (const chunk of chunkKeys(keys, MAX_KEYS_PER_STATEMENT, true)) {
      const [result] = await this.db.execute(`${head}(${placeholders(chunk.length)})`, chunk as never[]);
      count += (result as Header).affectedRows;
    }
    return count;
  }

  async updateByKeys(
    table: string,
    keyColumn: KeyColumns,
    keys: readonly unknown[],
    set: Readonly<Record<string, unknown>>,
  ): Promise<number> {
    const names = columnsToSet(set);
    const assignments = names.map((n) => `${q(n)} = ?`).join(", ");
    const values = names.map((name) => set[name] ?? null);
    if (typeof keyColumn !== "string") {
      let count = 0;
      for (const { where, params } of tupleStatements(TUPLES, keyColumn, keys, values)) {
        const [result] = await this.db.execute(
          `UPDATE ${q(table)} SET ${assignments} WHERE ${where}`,
          params as never[],
        );
        count += (result as Header).affectedRows;
      }
      return count;
    }
    const head = `UPDATE ${q(table)} SET ${assignments} WHERE ${q(keyColumn)} IN `;
    let count = 0;
    for (const chunk of chunkKeys(keys, MAX_KEYS_PER_STATEMENT)) {
      const [result] = await this.db.execute(`${head}(${placeholders(chunk.length)})`, [
        ...values,
        ...chunk,
      ] as never[]);
      // mysql2 connects with FOUND_ROWS, so this counts rows matched, also those whose value was already the mask.
      count += (result as Header).affectedRows;
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
    // A derived table of (key, values…) joined on the key: one statement per chunk under the parameter limit.
    const perRow = names.length + 1;
    const size = Math.max(1, Math.floor(this.capabilities.maxParameters / perRow));
    const set = names.map((n) => `t.${q(n)} = v.${q(`c${names.indexOf(n)}`)}`).join(", ");
    const first = `SELECT ? AS k, ${names.map((_, i) => `? AS ${q(`c${i}`)}`).join(", ")}`;
    const next = `SELECT ${Array.from({ length: perRow }, () => "?").join(", ")}`;
    let count = 0;
    for (const chunk of chunkKeys(updates, size)) {
      const derived = [first, ...chunk.slice(1).map(() => next)].join(" UNION ALL ");
      const values = chunk.flatMap((u) => [u.key, ...names.map((n) => u.set[n] ?? null)]);
      const sql = `UPDATE ${q(table)} AS t JOIN (${derived}) AS v ON t.${q(keyColumn)} = v.k SET ${set}`;
      const [result] = await this.db.query(sql, values as never[]);
      count += (result as Header).affectedRows;
    }
    return count;
  }

  async countWhere(table: string, filter: RowFilter): Promise<number> {
    const f = filterSql(filter, DIALECT);
    const [rows] = await this.db.query(`SELECT COUNT(*) AS n FROM ${q(table)} WHERE ${f.where}`, f.params as never[]);
    return Number((rows as { n: number | string }[])[0]?.n ?? 0);
  }

  async keysWhere(
    table: string,
    keyColumn: string,
    filter: RowFilter,
    page: { readonly limit: number; readonly after?: unknown },
  ): Promise<unknown[]> {
    const f = filterSql(filter, DIALECT);
    const after = page.after === undefined ? "" : ` AND ${q(keyColumn)} > ?`;
    const sql = `SELECT ${q(keyColumn)} AS k FROM ${q(table)} WHERE ${f.where}${after} ORDER BY ${q(keyColumn)} LIMIT ${limitOf(page.limit)}`;
    const [rows] = await this.db.query(
      sql,
      (page.after === undefined ? f.params : [...f.params, page.after]) as never[],
    );
    return (rows as { k: unknown }[]).map((r) => r.k);
  }

  async deleteWhere(table: string, filter: RowFilter, limit: number): Promise<number> {
    // InnoDB checks the condition on each row as it locks it, so a row changed meanwhile stays unless it still matches.
    const f = filterSql(filter, DIALECT);
    const [result] = await this.db.query(
      `DELETE FROM ${q(table)} WHERE ${f.where} LIMIT ${limitOf(limit)}`,
      f.params as never[],
    );
    return (result as Header).affectedRows;
  }

  async sample(table: string, columns: readonly string[], limit: number): Promise<Row[]> {
    const sql = `SELECT ${columns.map(q).join(", ")} FROM ${q(table)} LIMIT ${Math.max(0, Math.floor(limit))}`;
    const [rows] = await this.db.query(sql);
    return rows as Row[];
  }

  async transaction<T>(fn: (tx: Connector) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    if (this.connection) return fn(this);
    const connection = await this.pool.getConnection();
    const wait = options.lockWaitSeconds;
    try {
      // A session setting on a pooled connection: set back to the server's default when it is released.
      if (wait !== undefined)
        await connection.query(`SET SESSION innodb_lock_wait_timeout = ${Math.max(1, Math.ceil(wait))}`);
      await connection.beginTransaction();
      const result = await fn(new MysqlConnector(this.pool, connection, this.capabilities.concurrentTransactions));
      await connection.commit();
      return result;
    } catch (error) {
      await connection.rollback().catch(() => {});
      throw error;
    } finally {
      if (wait !== undefined)
        await connection.query("SET SESSION innodb_lock_wait_timeout = DEFAULT").catch(() => connection.destroy());
      connection.release();
    }
  }

  async close(): Promise<void> {
    if (!this.connection) await this.pool.end();
  }
}
