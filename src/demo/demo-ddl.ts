/**
 * Reads the reference deployment's DDL files and splits each at its `@steward:after-load` marker: the statements
 * before it create the tables, the ones after add unique constraints, foreign keys and indexes once rows are in.
 */
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";

export interface DemoDdl {
  /** CREATE TABLE statements, in file order. */
  readonly tables: readonly string[];
  /** Constraint and index statements to run after the bulk load, in file order. */
  readonly afterLoad: readonly string[];
}

/** The marker is a comment line of its own; a mention inside prose does not count. */
const MARKER = /^--\s*@steward:after-load/m;

/** Where the example's DDL lives in the source tree. */
export const DEMO_DDL_DIR = fileURLToPath(new URL("../../examples/learning-platform/ddl/", import.meta.url));

/** Splits a script into statements. The demo DDL has no semicolons inside strings or bodies, so `;` ends a statement. */
export function splitStatements(script: string): string[] {
  return script
    .split("\n")
    .filter((line) => !line.trimStart().startsWith("--"))
    .join("\n")
    .split(";")
    .map((statement) => statement.trim())
    .filter((statement) => statement.length > 0);
}

export function parseDemoDdl(script: string): DemoDdl {
  const at = script.search(MARKER);
  const before = at === -1 ? script : script.slice(0, at);
  const after = at === -1 ? "" : script.slice(script.indexOf("\n", at) + 1);
  return { tables: splitStatements(before), afterLoad: splitStatements(after) };
}

/** Reads `postgres.sql` or `mariadb.sql` from `dir`. */
export async function readDemoDdl(file: "postgres.sql" | "mariadb.sql", dir = DEMO_DDL_DIR): Promise<DemoDdl> {
  return parseDemoDdl(await readFile(`${dir}/${file}`, "utf8"));
}
