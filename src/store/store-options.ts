/**
 * Where Steward's own store lives, decided once from options and environment.
 *
 * Precedence: an explicit `databaseUrl` → an explicit `dataDir` or `inMemory` → `STEWARD_DATABASE_URL` → the embedded
 * default `.steward/`. A flag given on the command line wins over the environment, so `--data-dir` can always point
 * a one-off run at a scratch store.
 */
import { join, resolve } from "node:path";
import { stewardError } from "../errors.ts";

export interface StoreOptions {
  /**
   * PostgreSQL URL (`postgres://user:password@host:5432/db`). Default: `STEWARD_DATABASE_URL`. Use PostgreSQL when
   * more than one Steward process shares the store, or for more than a few thousand requests a day.
   */
  readonly databaseUrl?: string;
  /** Folder of the embedded PGlite store. Default `.steward` (relative to the current directory). */
  readonly dataDir?: string;
  /** Keep the embedded store in memory only; everything is lost on close. For tests. Default false. */
  readonly inMemory?: boolean;
  /** Most connections the PostgreSQL pool opens. Default 10; the embedded store always has exactly one. */
  readonly poolSize?: number;
  /** Run pending migrations when opening. Default true; false only to inspect a store as found. */
  readonly migrate?: boolean;
}

export type StoreTarget =
  | { readonly backend: "postgres"; readonly url: string; readonly display: string }
  | { readonly backend: "pglite"; readonly dir: string | undefined; readonly display: string };

export const DEFAULT_DATA_DIR = ".steward";

/** A URL fit for messages and logs: the password is removed. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "";
    return parsed.toString();
  } catch {
    return "(unparsable database URL)";
  }
}

/** Resolves the options (and `env`) into the one place the store lives. */
export function resolveStoreTarget(options: StoreOptions, env: NodeJS.ProcessEnv = process.env): StoreTarget {
  const url =
    options.databaseUrl ??
    (options.dataDir === undefined && !options.inMemory ? env["STEWARD_DATABASE_URL"] || undefined : undefined);
  if (url !== undefined) {
    if (!/^postgres(ql)?:\/\//.test(url)) {
      throw stewardError("STW_DB_BAD_URL", { value: redactUrl(url), allowed: ["postgres://", "postgresql://"] });
    }
    return { backend: "postgres", url, display: redactUrl(url) };
  }
  if (options.inMemory) return { backend: "pglite", dir: undefined, display: "memory (PGlite)" };
  const dir = join(resolve(options.dataDir ?? DEFAULT_DATA_DIR), "pglite");
  return { backend: "pglite", dir, display: `${dir} (PGlite)` };
}
