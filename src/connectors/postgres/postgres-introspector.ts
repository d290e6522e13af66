/**
 * Reads tables, columns, keys and foreign keys of the current schema from `pg_catalog` in four queries (the catalog
 * is exact about unique indexes and column order, which `information_schema` is not). A partitioned table is one
 * table, its partitions listed under it (their keys and foreign keys are the table's, cloned); views are marked.
 */
import {
  type IntrospectedColumn,
  type IntrospectedForeignKey,
  type IntrospectedTable,
  onDeleteOf,
} from "../connector.ts";
import type { PostgresQueryable } from "./postgres-connector.ts";

// Tables, partitioned tables, views and materialised views; partitions are folded into their table (see TREE).
const COLUMNS = `
SELECT c.relname AS table_name, c.relkind AS relkind, a.attname AS column_name,
       format_type(a.atttypid, a.atttypmod) AS type,
       NOT a.attnotnull AS nullable,
       CASE WHEN a.atttypid IN (1042, 1043) AND a.atttypmod > 4 THEN a.atttypmod - 4 END AS max_length
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p', 'v', 'm') AND NOT c.relispartition
ORDER BY c.relname, a.attnum`;

// Every partition (at any depth) under its top table, and every table inheriting (at any depth) from another.
const TREE = `
WITH RECURSIVE tree AS (
  SELECT i.inhparent AS root, i.inhrelid AS child FROM pg_inherits i
  UNION ALL
  SELECT t.root, i.inhrelid FROM tree t JOIN pg_inherits i ON i.inhparent = t.child)
SELECT p.relname AS table_name, c.relname AS child_name, c.relispartition AS is_partition
FROM tree
JOIN pg_class p ON p.oid = tree.root
JOIN pg_class c ON c.oid = tree.child
JOIN pg_namespace n ON n.oid = p.relnamespace
WHERE n.nspname = current_schema() AND NOT p.relispartition AND (c.relispartition OR p.relkind <> 'p')
ORDER BY p.relname, c.relname`;

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
WHERE n.nspname = current_schema() AND con.contype = 'f' AND con.conparentid = 0
ORDER BY c.relname, con.conname`;

interface ColumnRow {
  table_name: string;
  relkind: string;
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
  const tree = (await db.query<{ table_name: string; child_name: string; is_partition: boolean }>(TREE)).rows;
  const views = new Set(columns.filter((c) => c.relkind === "v" || c.relkind === "m").map((c) => c.table_name));
  const childrenOf = (name: string, partition: boolean) =>
    tree.filter((t) => t.table_name === name && t.is_partition === partition).map((t) => t.child_name);

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
      ...(views.has(name) ? { kind: "view" as const } : {}),
      ...(childrenOf(name, true).length > 0 ? { partitions: childrenOf(name, true) } : {}),
      ...(childrenOf(name, false).length > 0 ? { inheritedBy: childrenOf(name, false) } : {}),
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
