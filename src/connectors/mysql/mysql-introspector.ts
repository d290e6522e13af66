/**
 * Reads tables, columns, keys and foreign keys of the connected database from `information_schema` in three queries.
 * Column names are aliased to lower case because MySQL and MariaDB spell them differently.
 */
import {
  type IntrospectedColumn,
  type IntrospectedForeignKey,
  type IntrospectedTable,
  onDeleteOf,
} from "../connector.ts";
import type { MysqlQueryable } from "./mysql-connector.ts";

const COLUMNS = `
SELECT c.TABLE_NAME AS table_name, c.COLUMN_NAME AS column_name, c.COLUMN_TYPE AS type,
       c.IS_NULLABLE = 'YES' AS nullable, c.CHARACTER_MAXIMUM_LENGTH AS max_length, c.DATA_TYPE AS data_type,
       t.TABLE_TYPE = 'VIEW' AS is_view
FROM information_schema.COLUMNS c
JOIN information_schema.TABLES t ON t.TABLE_SCHEMA = c.TABLE_SCHEMA AND t.TABLE_NAME = c.TABLE_NAME
WHERE c.TABLE_SCHEMA = DATABASE() AND t.TABLE_TYPE IN ('BASE TABLE', 'VIEW')
ORDER BY c.TABLE_NAME, c.ORDINAL_POSITION`;

// The partitions (and sub-partitions) of partitioned tables: one table each, read and written through.
const PARTITIONS = `
SELECT TABLE_NAME AS table_name, COALESCE(SUBPARTITION_NAME, PARTITION_NAME) AS partition_name
FROM information_schema.PARTITIONS
WHERE TABLE_SCHEMA = DATABASE() AND PARTITION_NAME IS NOT NULL
ORDER BY TABLE_NAME, PARTITION_ORDINAL_POSITION, SUBPARTITION_ORDINAL_POSITION`;

// Primary keys and unique indexes (MySQL has no partial indexes), with their columns in index order.
const KEYS = `
SELECT TABLE_NAME AS table_name, INDEX_NAME AS index_name, COLUMN_NAME AS column_name
FROM information_schema.STATISTICS
WHERE TABLE_SCHEMA = DATABASE() AND NON_UNIQUE = 0 AND COLUMN_NAME IS NOT NULL
ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX`;

const FOREIGN_KEYS = `
SELECT k.TABLE_NAME AS table_name, k.CONSTRAINT_NAME AS name, k.COLUMN_NAME AS column_name,
       k.REFERENCED_TABLE_NAME AS referenced_table, k.REFERENCED_COLUMN_NAME AS referenced_column,
       r.DELETE_RULE AS on_delete
FROM information_schema.KEY_COLUMN_USAGE k
LEFT JOIN information_schema.REFERENTIAL_CONSTRAINTS r
  ON r.CONSTRAINT_SCHEMA = k.TABLE_SCHEMA AND r.TABLE_NAME = k.TABLE_NAME AND r.CONSTRAINT_NAME = k.CONSTRAINT_NAME
WHERE k.TABLE_SCHEMA = DATABASE() AND k.REFERENCED_TABLE_NAME IS NOT NULL
ORDER BY k.TABLE_NAME, k.CONSTRAINT_NAME, k.ORDINAL_POSITION`;

interface ColumnRow {
  table_name: string;
  column_name: string;
  type: string;
  nullable: number;
  max_length: number | string | null;
  data_type: string;
  is_view: number | string;
}
interface KeyRow {
  table_name: string;
  index_name: string;
  column_name: string;
}
interface ForeignKeyRow {
  table_name: string;
  name: string;
  column_name: string;
  referenced_table: string;
  referenced_column: string;
  on_delete: string | null;
}

const CHARACTER_TYPES = new Set(["char", "varchar"]);

/** Groups rows by a key, keeping first-seen order. */
function groupBy<R>(rows: readonly R[], key: (row: R) => string): Map<string, R[]> {
  const groups = new Map<string, R[]>();
  for (const row of rows) groups.set(key(row), [...(groups.get(key(row)) ?? []), row]);
  return groups;
}

export async function introspectMysql(db: MysqlQueryable): Promise<IntrospectedTable[]> {
  const [columns] = await db.query(COLUMNS);
  const [keyRows] = await db.query(KEYS);
  const [fkRows] = await db.query(FOREIGN_KEYS);
  const [partitionRows] = await db.query(PARTITIONS);
  const partitions = groupBy(partitionRows as { table_name: string; partition_name: string }[], (p) => p.table_name);

  const indexes = [...groupBy(keyRows as KeyRow[], (k) => `${k.table_name}\0${k.index_name}`).values()];
  const uniqueColumns = new Set(
    indexes.filter((cols) => cols.length === 1).map((cols) => `${cols[0]?.table_name}\0${cols[0]?.column_name}`),
  );
  const fks = [...groupBy(fkRows as ForeignKeyRow[], (f) => `${f.table_name}\0${f.name}`).values()];

  const tables = groupBy(columns as ColumnRow[], (c) => c.table_name);
  return [...tables.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, cols]) => ({
      name,
      ...(cols.some((c) => Boolean(Number(c.is_view))) ? { kind: "view" as const } : {}),
      ...(partitions.has(name) ? { partitions: partitions.get(name)!.map((p) => p.partition_name) } : {}),
      columns: cols.map(
        (c): IntrospectedColumn => ({
          name: c.column_name,
          type: c.type,
          nullable: Boolean(Number(c.nullable)),
          unique: uniqueColumns.has(`${name}\0${c.column_name}`),
          ...(c.max_length !== null && CHARACTER_TYPES.has(c.data_type) ? { maxLength: Number(c.max_length) } : {}),
        }),
      ),
      primaryKey:
        indexes
          .find((cols) => cols[0]?.table_name === name && cols[0]?.index_name === "PRIMARY")
          ?.map((k) => k.column_name) ?? [],
      foreignKeys: fks
        .filter((rows) => rows[0]?.table_name === name)
        .map(
          (rows): IntrospectedForeignKey => ({
            name: rows[0]?.name ?? "",
            columns: rows.map((r) => r.column_name),
            referencedTable: rows[0]?.referenced_table ?? "",
            referencedColumns: rows.map((r) => r.referenced_column),
            ...(onDeleteOf(rows[0]?.on_delete) ? { onDelete: onDeleteOf(rows[0]?.on_delete)! } : {}),
          }),
        ),
    }));
}
