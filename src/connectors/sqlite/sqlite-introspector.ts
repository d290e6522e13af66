/**
 * Reads tables, columns, keys and foreign keys of the `main` database from SQLite's pragma table functions in three
 * queries. SQLite stores a column's type as written in the DDL, so `type` is the declared text and `maxLength` is read
 * from a `varchar(N)`-like declaration — SQLite itself does not enforce it, but the application that declared it does.
 */
import type Database from "better-sqlite3";
import {
  type IntrospectedColumn,
  type IntrospectedForeignKey,
  type IntrospectedTable,
  onDeleteOf,
} from "../connector.ts";

// Ordinary tables of `main`: no views, virtual tables, their shadow tables or SQLite's own `sqlite_*` tables.
const TABLES = `t.schema = 'main' AND t.type IN ('table', 'view') AND lower(substr(t.name, 1, 7)) <> 'sqlite_'`;

// table_xinfo also lists generated columns (hidden 2 or 3), which can hold personal data; hidden 1 is a virtual
// table's hidden column.
const COLUMNS = `
SELECT t.name AS table_name, t.type = 'view' AS is_view, t.wr OR t.strict AS strict_key, c.name AS column_name, c.type, c."notnull" AS not_null, c.pk
FROM pragma_table_list AS t JOIN pragma_table_xinfo(t.name, t.schema) AS c
WHERE ${TABLES} AND c.hidden <> 1
ORDER BY t.name, c.cid`;

// Columns that alone carry a unique, non-partial index (a primary key other than a rowid alias has one too);
// an expression index has a NULL column name and is left out.
const UNIQUE_COLUMNS = `
SELECT t.name AS table_name, min(k.name) AS column_name
FROM pragma_table_list AS t
JOIN pragma_index_list(t.name, t.schema) AS i
JOIN pragma_index_info(i.name, t.schema) AS k
WHERE ${TABLES} AND i."unique" AND NOT i.partial
GROUP BY t.name, i.name
HAVING count(*) = 1 AND min(k.name) IS NOT NULL`;

const FOREIGN_KEYS = `
SELECT t.name AS table_name, f.id, f."table" AS referenced_table, f."from" AS column_name, f."to" AS referenced_column,
       f.on_delete
FROM pragma_table_list AS t JOIN pragma_foreign_key_list(t.name, t.schema) AS f
WHERE ${TABLES}
ORDER BY t.name, f.id, f.seq`;

interface ColumnRow {
  table_name: string;
  is_view: number;
  strict_key: number;
  column_name: string;
  type: string;
  not_null: number;
  pk: number;
}
interface UniqueRow {
  table_name: string;
  column_name: string;
}
interface ForeignKeyRow {
  table_name: string;
  id: number;
  referenced_table: string;
  column_name: string;
  /** NULL when the constraint names only the table: it then refers to that table's primary key. */
  referenced_column: string | null;
  on_delete: string;
}

const CHARACTER_LIMIT =
  /^\s*(?:(?:national|native)\s+)?(?:n?varchar|n?char|character(?:\s+varying)?|varying\s+character)\s*\(\s*(\d+)\s*\)\s*$/i;

const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Groups rows by a key, keeping first-seen order. */
function groupBy<R>(rows: readonly R[], key: (row: R) => string): Map<string, R[]> {
  const groups = new Map<string, R[]>();
  for (const row of rows) groups.set(key(row), [...(groups.get(key(row)) ?? []), row]);
  return groups;
}

/** A table's foreign keys; one that names only the referenced table refers to that table's primary key. */
function foreignKeysOf(
  rows: readonly ForeignKeyRow[],
  primaryKeys: ReadonlyMap<string, readonly string[]>,
): IntrospectedForeignKey[] {
  return [...groupBy(rows, (f) => String(f.id)).values()]
    .map((parts) => {
      const referencedTable = parts[0]?.referenced_table ?? "";
      const columns = parts.map((p) => p.column_name);
      return {
        // SQLite reports no constraint names; this is PostgreSQL's default naming, stable across runs.
        name: `${parts[0]?.table_name}_${columns.join("_")}_fkey`,
        columns,
        referencedTable,
        referencedColumns: parts.every((p) => p.referenced_column === null)
          ? [...(primaryKeys.get(referencedTable) ?? [])]
          : parts.map((p) => p.referenced_column ?? ""),
        ...(onDeleteOf(parts[0]?.on_delete) ? { onDelete: onDeleteOf(parts[0]?.on_delete)! } : {}),
      };
    })
    .sort((a, b) => byName(a.name, b.name));
}

export function introspectSqlite(db: Database.Database): IntrospectedTable[] {
  const tables = groupBy(db.prepare(COLUMNS).all() as ColumnRow[], (c) => c.table_name);
  const unique = new Set(
    (db.prepare(UNIQUE_COLUMNS).all() as UniqueRow[]).map((u) => `${u.table_name}\0${u.column_name}`),
  );
  const foreignKeys = groupBy(db.prepare(FOREIGN_KEYS).all() as ForeignKeyRow[], (f) => f.table_name);
  const primaryKeys = new Map(
    [...tables].map(([name, cols]) => [
      name,
      cols
        .filter((c) => c.pk > 0)
        .sort((a, b) => a.pk - b.pk)
        .map((c) => c.column_name),
    ]),
  );

  return [...tables.entries()]
    .sort(([a], [b]) => byName(a, b))
    .map(([name, cols]) => {
      const primaryKey = primaryKeys.get(name) ?? [];
      const single = primaryKey.length === 1;
      return {
        name,
        ...(cols.some((c) => c.is_view === 1) ? { kind: "view" as const } : {}),
        columns: cols.map((c): IntrospectedColumn => {
          // A rowid alias (`INTEGER PRIMARY KEY`), a WITHOUT ROWID or a STRICT table's key cannot hold NULL; any other
          // primary key column of a rowid table can unless declared NOT NULL (a documented SQLite quirk).
          const keyNotNull = c.pk > 0 && (c.strict_key === 1 || (single && c.type.toUpperCase() === "INTEGER"));
          const limit = CHARACTER_LIMIT.exec(c.type)?.[1];
          return {
            name: c.column_name,
            type: c.type,
            nullable: c.not_null === 0 && !keyNotNull,
            unique: (single && c.pk === 1) || unique.has(`${name}\0${c.column_name}`),
            ...(limit === undefined ? {} : { maxLength: Number(limit) }),
          };
        }),
        primaryKey,
        foreignKeys: foreignKeysOf(foreignKeys.get(name) ?? [], primaryKeys),
      };
    });
}
