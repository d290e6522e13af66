/**
 * Reads tables, columns, keys and foreign keys of the current schema from `pg_catalog` in three queries (the catalog
 * is exact about unique indexes and column order, which `information_schema` is not).
 */
import {
  type IntrospectedColumn,
  type IntrospectedForeignKey,
  type IntrospectedTable,
  onDeleteOf,
} from "../connector.ts";
import type { PostgresQueryable } from "./postgres-connector.ts";

const COLUMNS = `
SELECT c.relname AS table_name, a.attname AS column_name, format_type(a.atttypid, a.atttypmod) AS type,
       NOT a.attnotnull AS nullable,
       CASE WHEN a.atttypid IN (1042, 1043) AND a.atttypmod > 4 THEN a.atttypmod - 4 END AS max_length
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p')
ORDER BY c.relname, a.attnum`;

// Primary keys and plain (non-partial, non-expression) unique indexes, with their columns in index order.
const KEYS = `
SELECT c.relname AS table_name, i.indisprimary AS is_primary,
       array(SELECT a.attname::text FROM unnest(i.indkey) WITH ORDINALITY k(num, pos)
             JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.num ORDER BY k.pos) AS columns
FROM pg_index i
JOIN pg_class c ON c.oid = i.indrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = current_schema() AND i.indisunique AND i.indpred IS NULL AND i.indexprs IS NULL`;

const FOREIGN_KEYS = `
SELECT c.relname AS table_name, con.conname AS name, rc.relname AS referenced_table,
       CASE con.confdeltype WHEN 'c' THEN 'cascade' WHEN 'r' THEN 'restrict' WHEN 'n' THEN 'set null'
         WHEN 'd' THEN 'set default' ELSE 'no action' END AS on_delete,
       array(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY k(num, pos)
             JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.num ORDER BY k.pos) AS columns,
       array(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY k(num, pos)
             JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.num ORDER BY k.pos) AS referenced_columns
FROM pg_constraint con
JOIN pg_class c ON c.oid = con.conrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_class rc ON rc.oid = con.confrelid
WHERE n.nspname = current_schema() AND con.contype = 'f'
ORDER BY c.relname, con.conname`;

interface ColumnRow {
  table_name: string;
  column_name: string;
  type: string;
  nullable: boolean;
  max_length: number | null;
}
interface KeyRow {
  table_name: string;
  is_primary: boolean;
  columns: string[];
}
interface ForeignKeyRow {
  table_name: string;
  name: string;
  referenced_table: string;
  columns: string[];
  referenced_columns: string[];
  on_delete: string;
}

export async function introspectPostgres(db: PostgresQueryable): Promise<IntrospectedTable[]> {
  const columns = (await db.query<ColumnRow>(COLUMNS)).rows;
  const keys = (await db.query<KeyRow>(KEYS)).rows;
  const foreignKeys = (await db.query<ForeignKeyRow>(FOREIGN_KEYS)).rows;

  const uniqueColumns = new Set(
    keys.filter((k) => k.columns.length === 1).map((k) => `${k.table_name}\0${k.columns[0]}`),
  );
  const byTable = new Map<string, IntrospectedColumn[]>();
  for (const c of columns) {
    const column: IntrospectedColumn = {
      name: c.column_name,
      type: c.type,
      nullable: c.nullable,
      unique: uniqueColumns.has(`${c.table_name}\0${c.column_name}`),
      ...(c.max_length === null ? {} : { maxLength: c.max_length }),
    };
    byTable.set(c.table_name, [...(byTable.get(c.table_name) ?? []), column]);
  }
  return [...byTable.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, cols]) => ({
      name,
      columns: cols,
      primaryKey: keys.find((k) => k.table_name === name && k.is_primary)?.columns ?? [],
      foreignKeys: foreignKeys
        .filter((f) => f.table_name === name)
        .map(
          (f): IntrospectedForeignKey => ({
            name: f.name,
            columns: f.columns,
            referencedTable: f.referenced_table,
            referencedColumns: f.referenced_columns,
            ...(onDeleteOf(f.on_delete) ? { onDelete: onDeleteOf(f.on_delete)! } : {}),
          }),
        ),
    }));
}
