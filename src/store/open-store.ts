/**
 * Opens Steward's own store — embedded PGlite or a PostgreSQL server — behind one Kysely `PostgresDialect`, checks that
 * it answers and runs pending migrations. Everything else reaches the database through the returned `Store`.
 *
 * @example
 *   await withStore({ dataDir: ".steward" }, async (store) => listNoticeVersions(store.db));
 */
import { mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { Kysely, PostgresDialect, sql } from "kysely";
import pg from "pg";
import { AuditLinker } from "../audit/link-audit-chain.ts";
import { ConnectTimeoutClient } from "../connectors/postgres/connect-timeout-client.ts";
import { isStewardError, stewardError } from "../errors.ts";
import { copied, copyOnClient, takeCopyJob } from "./copy-rows.ts";
import { type DataDirLock, lockDataDir } from "./data-dir-lock.ts";
import { migrateStore, readSchemaVersion } from "./migrate-store.ts";
import { PGlitePool } from "./pglite-pool.ts";
import type { SqlExecutor, Store } from "./store.ts";
import { resolveStoreTarget, type StoreOptions, type StoreTarget } from "./store-options.ts";
import type { StoreSchema } from "./store-schema.ts";
import { STORE_PARSERS } from "./type-parsers.ts";

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** A store connection that gives up connecting after 10 s, and runs COPY jobs sent through Kysely (copy-rows.ts). */
class StoreClient extends ConnectTimeoutClient {
  constructor(config?: string | pg.ClientConfig) {
    super(config);
    const query = this.query.bind(this) as (...args: unknown[]) => unknown;
    this.query = ((...args: unknown[]) => {
      const job = takeCopyJob(args[0], args[1]);
      if (!job) return query(...args);
      return copyOnClient(query as pg.Client["query"], job).then(copied);
    }) as pg.Client["query"];
  }
}

async function createPool(target: StoreTarget, options: StoreOptions): Promise<PGlitePool | pg.Pool> {
  if (target.backend === "pglite") {
    return new PGlitePool(await PGlite.create(target.dir, { parsers: { ...STORE_PARSERS } }));
  }
  const pool = new pg.Pool({
    connectionString: target.url,
    max: options.poolSize ?? 10,
    // Fail fast instead of hanging on an address that drops packets — as the client's connect timeout, not the
    // pool's: pg-pool applies its own to the wait for a free connection too, and under a burst (500 people at once in
    // the `requests` benchmark) that wait passed 10 s and the requests failed with STW_INTERNAL. They wait their turn.
    Client: StoreClient,
    types: {
      getTypeParser: ((oid: number, format?: "text" | "binary") =>
        STORE_PARSERS[oid] ?? pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  // An idle client whose server went away emits "error" on the pool; without a listener Node would crash. The next
  // query reports the failure instead (as STW_STORE_UNREACHABLE from `ping`).
  pool.on("error", () => {});
  return pool;
}

/**
 * Opens the store, verifies it answers, and (unless `migrate: false`) applies pending migrations.
 *
 * @throws STW_STORE_UNREACHABLE when the database cannot be opened or reached; STW_STORE_SCHEMA_NEWER when it was
 *   written by a newer Steward; STW_STORE_MIGRATION_FAILED when a migration fails; STW_STORE_LOCKED when another
 *   running process has the embedded store open.
 */
export async function openStore(options: StoreOptions = {}): Promise<Store> {
  const target = resolveStoreTarget(options);
  let lock: DataDirLock | undefined;
  if (target.backend === "pglite" && target.dir) {
    try {
      await mkdir(target.dir, { recursive: true });
    } catch (error) {
      throw stewardError("STW_STORE_UNREACHABLE", { target: target.display, detail: message(error) });
    }
    lock = await lockDataDir(dirname(target.dir));
  }
  const release = async () => {
    await lock?.release();
  };
  let db: Kysely<StoreSchema> | undefined;
  let executor: SqlExecutor | undefined;
  let pool: PGlitePool | pg.Pool | undefined;
  try {
    pool = await createPool(target, options);
    const opened = pool;
    executor =
      opened instanceof PGlitePool
        ? opened
        : {
            async executeSql(text, values) {
              const result = await opened.query(text, values as unknown[] | undefined);
              return { rows: result.rows, rowCount: result.rowCount ?? 0 };
            },
          };
    db = new Kysely<StoreSchema>({ dialect: new PostgresDialect({ pool: opened }) });
    await sql`select 1`.execute(db);
  } catch (error) {
    await db?.destroy().catch(() => {});
    await release();
    throw stewardError("STW_STORE_UNREACHABLE", { target: target.display, detail: message(error) });
  }
  try {
    const schemaVersion = options.migrate === false ? await readSchemaVersion(db) : (await migrateStore(db)).to;
    const listen = listenerFor(pool, target);
    return makeStore(db, executor, target, schemaVersion, release, listen);
  } catch (error) {
    await db.destroy().catch(() => {});
    await release();
    if (isStewardError(error)) throw error;
    throw stewardError("STW_STORE_UNREACHABLE", { target: target.display, detail: message(error) });
  }
}

type Listen = Store["listen"];

/** The schema version from which audit events are linked after they are written (migration 13). */
const LINKED_LATER = 13;

/** LISTEN on the embedded database itself, or on a connection of its own on PostgreSQL. */
function listenerFor(pool: PGlitePool | pg.Pool, target: StoreTarget): Listen {
  return async (channel, onNotice, onLost) => {
    if (pool instanceof PGlitePool || target.backend === "pglite")
      return (pool as PGlitePool).pglite.listen(channel, onNotice);
    const client = new ConnectTimeoutClient(target.url);
    let stopped = false;
    client.on("error", () => {
      if (!stopped) onLost?.();
    });
    client.on("end", () => {
      if (!stopped) onLost?.();
    });
    client.on("notification", (n) => {
      if (n.channel === channel) onNotice(n.payload ?? "");
    });
    await client.connect();
    await client.query(`listen ${pg.escapeIdentifier(channel)}`);
    return async () => {
      stopped = true;
      await client.end().catch(() => {});
    };
  };
}

function makeStore(
  db: Kysely<StoreSchema>,
  executor: SqlExecutor,
  target: StoreTarget,
  schemaVersion: number,
  release: () => Promise<void>,
  listen: Listen,
): Store {
  let closing: Promise<void> | undefined;
  const listeners = new Set<() => Promise<void>>();
  // Links the audit events this and other processes write (migration 13 on); a store older than that has none.
  const linker = schemaVersion >= LINKED_LATER ? new AuditLinker(db).start() : undefined;
  return {
    db,
    sql: executor,
    backend: target.backend,
    target: target.display,
    schemaVersion,
    async ping() {
      try {
        await sql`select 1`.execute(db);
        return { ok: true };
      } catch (error) {
        return { ok: false, detail: message(error) };
      }
    },
    async listen(channel, onNotice, onLost) {
      const stop = await listen(channel, onNotice, onLost);
      const unlisten = async () => {
        if (listeners.delete(unlisten)) await stop();
      };
      listeners.add(unlisten);
      return unlisten;
    },
    close() {
      closing ??= Promise.all([...listeners].map((stop) => stop()))
        .then(() => linker?.stop())
        .then(() => db.destroy())
        .finally(release);
      return closing;
    },
  };
}

/** Opens the store, runs `callback`, and closes the store whatever happens. */
export async function withStore<T>(options: StoreOptions, callback: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore(options);
  try {
    return await callback(store);
  } finally {
    await store.close();
  }
}
