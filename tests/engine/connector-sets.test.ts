/**
 * Connectors kept open between requests (a worker's): a request's stores take a set no other request holds and give
 * it back open; a store that could not be opened is not given back, so the next request tries again; closing the
 * sets closes the connections. On the real PostgreSQL (its `postgres` database, only read).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConnectorSets } from "../../src/engine/connector-sets.ts";
import { Stores } from "../../src/engine/stores.ts";
import { loadManifestDir } from "../../src/fs/load-manifest-dir.ts";
import type { Manifest } from "../../src/manifest/types.ts";
import { PG_SERVER } from "../scratch-databases.ts";

const EXAMPLE = new URL("../../examples/learning-platform", import.meta.url).pathname;
const connections = { learning_app: `${PG_SERVER}/postgres`, learning_analytics: "mysql://root@127.0.0.1:1/none" };
let manifest: Manifest;
const sets = new ConnectorSets();

beforeAll(async () => {
  manifest = await loadManifestDir(EXAMPLE);
});
afterAll(() => sets.closeAll());

describe("Stores with reused connectors", () => {
  it("hands the next request the connector the last one gave back, open, and a busy one's to nobody else", async () => {
    const first = new Stores(manifest, { connections, reuse: sets });
    const opened = await first.get("learning_app");
    await first.closeAll();
    const second = new Stores(manifest, { connections, reuse: sets });
    expect(await second.get("learning_app")).toBe(opened);
    await expect(opened.introspect()).resolves.toBeInstanceOf(Array);
    // While the second request holds the set, a third one opens its own.
    const third = new Stores(manifest, { connections, reuse: sets });
    expect(await third.get("learning_app")).not.toBe(opened);
    await second.closeAll();
    await third.closeAll();
  });

  it("does not give back a store that could not be opened, so the next request tries it again", async () => {
    const stores = new Stores(manifest, { connections, reuse: sets });
    await expect(stores.get("learning_analytics")).rejects.toMatchObject({ code: "STW_DB_UNREACHABLE" });
    await stores.get("learning_app");
    await stores.closeAll();
    const given = sets.take();
    expect([...given.keys()]).toEqual(["learning_app"]);
    await sets.give(given, new Set());
  });

  it("closes the connections of every set when the sets are closed", async () => {
    const stores = new Stores(manifest, { connections, reuse: sets });
    const connector = await stores.get("learning_app");
    await stores.closeAll();
    await sets.closeAll();
    await expect(connector.introspect()).rejects.toThrow();
  });
});
