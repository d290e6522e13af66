/**
 * The two backends Steward's store runs on, as test fixtures: each hands out fresh, empty store locations and cleans
 * them up. PGlite stores live in temporary folders (so that a case can close and reopen them); PostgreSQL stores are
 * uniquely named databases on the test server, dropped afterwards.
 */
import { randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import type { StoreOptions } from "../../src/store/store-options.ts";

export interface FreshStore {
  readonly options: StoreOptions;
  dispose(): Promise<void>;
}

export interface StoreBackend {
  readonly name: "pglite" | "postgres";
  /** A new, empty store location that survives close and reopen until disposed. */
  fresh(): Promise<FreshStore>;
  /** Options that name a store which cannot be opened, and a fragment the error must not leak (e.g. a password). */
  unreachable(): Promise<FreshStore & { readonly secret?: string }>;
}

export const pgliteBackend: StoreBackend = {
  name: "pglite",
  async fresh() {
    const dir = await mkdtemp(join(tmpdir(), "steward-store-"));
    return { options: { dataDir: dir }, dispose: () => rm(dir, { recursive: true, force: true }) };
  },
  async unreachable() {
    // A data folder that is a file: PGlite can neither create nor open it.
    const dir = await mkdtemp(join(tmpdir(), "steward-store-"));
    await writeFile(join(dir, "pglite"), "not a database");
    return { options: { dataDir: dir }, dispose: () => rm(dir, { recursive: true, force: true }) };
  },
};

/** The test server (DESIGN.md: PostgreSQL 15 on 127.0.0.1:5432, user postgres, trust auth). */
export const POSTGRES_ADMIN_URL = process.env["STEWARD_TEST_POSTGRES_URL"] ?? "postgres://postgres@127.0.0.1:5432/test";

async function admin<T>(callback: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await client.connect();
  try {
    return await callback(client);
  } finally {
    await client.end();
  }
}

export const postgresBackend: StoreBackend = {
  name: "postgres",
  async fresh() {
    const name = `steward_store_${process.pid}_${randomBytes(4).toString("hex")}`;
    await admin((c) => c.query(`create database ${name}`));
    const url = new URL(POSTGRES_ADMIN_URL);
    url.pathname = `/${name}`;
    return {
      options: { databaseUrl: url.toString() },
      dispose: () => admin((c) => c.query(`drop database if exists ${name} with (force)`)).then(() => undefined),
    };
  },
  async unreachable() {
    // Port 1 on localhost: nothing listens there, so the connection is refused at once.
    const secret = "s3cret-pw";
    return {
      options: { databaseUrl: `postgres://steward:${secret}@127.0.0.1:1/nowhere` },
      secret,
      dispose: async () => {},
    };
  },
};
