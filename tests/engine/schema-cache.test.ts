/**
 * A worker's requests share the live schema they read (`ConnectorSets.schemaOf`): within `schemaSeconds` the next
 * request sees what the first one read, `forgetSchemas` (after a write that failed) makes the next one read it again,
 * and `schemaSeconds: 0` reads it for every request. On the real PostgreSQL, in a scratch database whose schema the
 * test changes between requests.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConnectorSets } from "../../src/engine/connector-sets.ts";
import { Stores } from "../../src/engine/stores.ts";
import { loadManifestDir } from "../../src/fs/load-manifest-dir.ts";
import type { Manifest } from "../../src/manifest/types.ts";
import { pgRun, scratchDatabases } from "../scratch-databases.ts";

const EXAMPLE = new URL("../../examples/learning-platform", import.meta.url).pathname;
const db = scratchDatabases("schema");
let manifest: Manifest;

beforeAll(async () => {
  manifest = await loadManifestDir(EXAMPLE);
  await db.createPg([
    "CREATE TABLE parent (id int PRIMARY KEY)",
    "CREATE TABLE child (id int PRIMARY KEY, parent_id int)",
  ]);
});
afterAll(() => db.drop());

/** The foreign keys of `child` as one request of `sets` sees them. */
async function childKeys(sets: ConnectorSets): Promise<string[]> {
  const stores = new Stores(manifest, { connections: { learning_app: db.pgUrl }, reuse: sets });
  try {
    const tables = await stores.tablesOf("learning_app");
    return (tables.get("child")?.foreignKeys ?? []).map((k) => `${k.columns.join(",")}>${k.referencedTable}`);
  } finally {
    await stores.closeAll();
  }
}

describe("the live schema a worker's requests share", () => {
  it("serves the next request within its time, and is read again once forgotten", async () => {
    const sets = new ConnectorSets({ schemaSeconds: 60 });
    const fresh = new ConnectorSets({ schemaSeconds: 0 });
    try {
      expect(await childKeys(sets)).toEqual([]);
      expect(await childKeys(fresh)).toEqual([]);
      await pgRun(db.pgUrl, [
        "ALTER TABLE child ADD CONSTRAINT child_parent FOREIGN KEY (parent_id) REFERENCES parent (id)",
      ]);
      // Within the minute the first reading serves; without a cache, each request reads the store itself.
      expect(await childKeys(sets)).toEqual([]);
      expect(await childKeys(fresh)).toEqual(["parent_id>parent"]);
      sets.forgetSchemas();
      expect(await childKeys(sets)).toEqual(["parent_id>parent"]);
    } finally {
      await sets.closeAll();
      await fresh.closeAll();
    }
  });

  it("keeps no failed reading: the next request tries the store again", async () => {
    const sets = new ConnectorSets({ schemaSeconds: 60 });
    let reads = 0;
    const failing = () => {
      reads++;
      return Promise.reject(new Error("down"));
    };
    await expect(sets.schemaOf("x", failing)).rejects.toThrow("down");
    await expect(sets.schemaOf("x", failing)).rejects.toThrow("down");
    expect(reads).toBe(2);
    const ok = () => {
      reads++;
      return Promise.resolve([]);
    };
    await sets.schemaOf("x", ok);
    await sets.schemaOf("x", ok);
    expect(reads).toBe(3);
    await sets.closeAll();
  });
});
