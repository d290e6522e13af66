/**
 * Brings the store's schema up to the code's latest migration, and refuses a store written by a newer Steward.
 *
 * Kysely's `Migrator` records each applied migration by name in `steward_migration`; the store's schema version is
 * the highest `NNNN` prefix found there. A newer store is refused *before* the migrator runs, because the migrator
 * would otherwise fail with a generic "corrupted migrations" error that does not tell the user what to do.
 */
import { type Kysely, type MigrationProvider, Migrator, sql } from "kysely";
import { stewardError } from "../errors.ts";
import { MIGRATIONS } from "./migrations/index.ts";

export const MIGRATION_TABLE = "steward_migration";
export const MIGRATION_LOCK_TABLE = "steward_migration_lock";

/** The schema version a migration name brings the store to: its leading number. */
export function migrationVersion(name: string): number {
  const match = /^(\d+)_/.exec(name);
  return match ? Number(match[1]) : 0;
}

/** The highest schema version this build of Steward knows. */
export const SUPPORTED_SCHEMA_VERSION = Math.max(0, ...Object.keys(MIGRATIONS).map(migrationVersion));

const provider: MigrationProvider = { getMigrations: async () => ({ ...MIGRATIONS }) };

export interface MigrationReport {
  /** Schema version before the run (0 for an empty store). */
  readonly from: number;
  /** Schema version after the run. */
  readonly to: number;
  /** Names of the migrations this run applied (empty when the store was up to date). */
  readonly applied: readonly string[];
}

/** The store's recorded schema version: 0 when no migration ever ran. */
export async function readSchemaVersion<DB>(db: Kysely<DB>): Promise<number> {
  const exists = await sql<{ t: string | null }>`select to_regclass(${MIGRATION_TABLE}::text)::text as t`.execute(db);
  if (!exists.rows[0]?.t) return 0;
  const names = await sql<{ name: string }>`select name from ${sql.table(MIGRATION_TABLE)}`.execute(db);
  return Math.max(0, ...names.rows.map((r) => migrationVersion(r.name)));
}

/**
 * Applies every pending migration, each in its own transaction. Running it again is a no-op. Concurrent runs (two
 * servers starting on one PostgreSQL) are serialised by the migrator's lock table.
 *
 * @throws STW_STORE_SCHEMA_NEWER when the store is ahead of this code; STW_STORE_MIGRATION_FAILED when a migration fails.
 */
export async function migrateStore<DB>(db: Kysely<DB>): Promise<MigrationReport> {
  const from = await readSchemaVersion(db);
  if (from > SUPPORTED_SCHEMA_VERSION) {
    throw stewardError("STW_STORE_SCHEMA_NEWER", { found: from, supported: SUPPORTED_SCHEMA_VERSION });
  }
  const migrator = new Migrator({
    db,
    provider,
    migrationTableName: MIGRATION_TABLE,
    migrationLockTableName: MIGRATION_LOCK_TABLE,
  });
  const { error, results = [] } = await migrator.migrateToLatest();
  if (error) {
    const failed = results.find((r) => r.status === "Error")?.migrationName ?? "(before any migration)";
    throw stewardError("STW_STORE_MIGRATION_FAILED", {
      migration: failed,
      detail: error instanceof Error ? error.message : String(error),
    });
  }
  const applied = results.filter((r) => r.status === "Success").map((r) => r.migrationName);
  return { from, to: await readSchemaVersion(db), applied };
}
