/** A throwaway SQLite database and a one-dataset manifest over it, for engine tests of small shapes. */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { runErasure } from "../../src/engine/run-request.ts";
import { Stores } from "../../src/engine/stores.ts";
import { loadManifestDir } from "../../src/fs/load-manifest-dir.ts";
import type { Manifest } from "../../src/manifest/types.ts";

const dirs: string[] = [];

/** Removes every fixture `shop` made (call it in the test file's `afterAll`). */
export const dropShops = () => Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));

/**
 * A manifest of one dataset `shop` (its collections as YAML) over a new SQLite database made by `sql`; `more` is
 * further top-level YAML of the manifest (an `account:`).
 */
export async function shop(collections: string, sql: string, more = "") {
  const dir = await mkdtemp(join(tmpdir(), "stw-shared-"));
  dirs.push(dir);
  await writeFile(join(dir, "d.yml"), `dataset:\n  - fides_key: shop\n    collections:\n${collections}${more}`);
  const file = join(dir, "s.db");
  const db = new Database(file);
  db.exec(sql);
  db.close();
  const manifest: Manifest = await loadManifestDir(dir);
  const url = `sqlite://${file}`;
  return {
    manifest,
    url,
    /** Runs `fn` with the dataset's store open, and closes it. */
    async run<T>(fn: (stores: Stores, manifest: Manifest) => Promise<T>): Promise<T> {
      const stores = new Stores(manifest, { connections: { shop: url } });
      try {
        return await fn(stores, manifest);
      } finally {
        await stores.closeAll();
      }
    },
    /** Every row of `table`, read straight from the database, in the order `orderBy` gives. */
    rows(table: string, orderBy = "rowid"): unknown[] {
      const c = new Database(file, { readonly: true });
      try {
        return c.prepare(`SELECT * FROM ${table} ORDER BY ${orderBy}`).all();
      } finally {
        c.close();
      }
    },
  };
}

export type Shop = Awaited<ReturnType<typeof shop>>;

/** Alice's (or anyone's) erasure by e-mail address. */
export const erase = (s: Shop, email: string) =>
  s.run((stores, manifest) => runErasure(manifest, new Map([["email", [email]]]), stores));
