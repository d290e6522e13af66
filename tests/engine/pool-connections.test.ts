/**
 * A request's connectors are opened at the size the process asks for (`poolConnections`): a worker running several
 * requests at once opens each request's pools at two connections, and the database sees no more than that however
 * many statements the request sends at once. A retention sweep (`forBulkWork`) opens its own, at full size. On the
 * real PostgreSQL and MariaDB, in a scratch database of each.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POOL_CONNECTIONS } from "../../src/connectors/connector.ts";
import { ConnectorSets } from "../../src/engine/connector-sets.ts";
import { forBulkWork, Stores } from "../../src/engine/stores.ts";
import { loadManifestDir } from "../../src/fs/load-manifest-dir.ts";
import type { Manifest } from "../../src/manifest/types.ts";
import { REQUEST_POOL_CONNECTIONS } from "../../src/requests/request-service.ts";
import { scratchDatabases } from "../scratch-databases.ts";

const EXAMPLE = new URL("../../examples/learning-platform", import.meta.url).pathname;
const db = scratchDatabases("pool");
let manifest: Manifest;
const sets = new ConnectorSets();

beforeAll(async () => {
  manifest = await loadManifestDir(EXAMPLE);
  await db.createPg(["CREATE TABLE t (id int PRIMARY KEY)", "INSERT INTO t SELECT generate_series(1, 100)"]);
  await db.createMy(["CREATE TABLE t (id int PRIMARY KEY)", "INSERT INTO t VALUES (1), (2), (3)"]);
});
afterAll(async () => {
  await db.drop();
});

const connections = () => ({ learning_app: db.pgUrl, learning_analytics: db.myUrl });

/** The most sessions the servers saw on the scratch databases while `work` ran (sampled every 5 ms). */
async function peakSessions(work: () => Promise<unknown>): Promise<{ pg: number; my: number }> {
  const pg = await db.pg();
  const my = await db.my();
  const peak = { pg: 0, my: 0 };
  let running = true;
  const sample = (async () => {
    while (running) {
      const a = await pg.query(
        "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()",
        [db.name],
      );
      const [rows] = await my.query(
        "SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE DB = ? AND ID <> CONNECTION_ID()",
        [db.name],
      );
      peak.pg = Math.max(peak.pg, a.rows[0].n);
      peak.my = Math.max(peak.my, Number((rows as { n: number }[])[0]!.n));
      await new Promise((r) => setTimeout(r, 5));
    }
  })();
  try {
    await work();
  } finally {
    running = false;
    await sample;
    await pg.end();
    await my.end();
  }
  return peak;
}

/** Twelve statements at once on each store, each holding its connection for a moment. */
async function busy(stores: Stores): Promise<void> {
  const app = await stores.get("learning_app");
  const analytics = await stores.get("learning_analytics");
  const keys = Array.from({ length: 100 }, (_, i) => i + 1);
  await Promise.all(
    Array.from({ length: 12 }, async () => {
      for await (const _ of app.readByKeys("t", "id", keys, ["id"]));
      for await (const _ of analytics.readByKeys("t", "id", keys, ["id"]));
      await Promise.all([app.countWhere("t", {}), analytics.countWhere("t", {})]);
    }),
  );
}

describe("the size of a request's pools", () => {
  it("holds at most poolConnections connections per database, and says so in its capabilities", async () => {
    const stores = new Stores(manifest, {
      connections: connections(),
      reuse: sets,
      poolConnections: REQUEST_POOL_CONNECTIONS,
    });
    const peak = await peakSessions(() => busy(stores));
    expect((await stores.get("learning_app")).capabilities.concurrentTransactions).toBe(REQUEST_POOL_CONNECTIONS);
    expect((await stores.get("learning_analytics")).capabilities.concurrentTransactions).toBe(REQUEST_POOL_CONNECTIONS);
    await stores.closeAll();
    await sets.closeAll();
    expect(peak.pg).toBeGreaterThanOrEqual(1);
    expect(peak.pg).toBeLessThanOrEqual(REQUEST_POOL_CONNECTIONS);
    expect(peak.my).toBeGreaterThanOrEqual(1);
    expect(peak.my).toBeLessThanOrEqual(REQUEST_POOL_CONNECTIONS);
  });

  it("opens a sweep's stores at full size, apart from the requests' kept connectors", async () => {
    const mine = new ConnectorSets();
    const options = { connections: connections(), reuse: mine, poolConnections: REQUEST_POOL_CONNECTIONS };
    const request = new Stores(manifest, options);
    const kept = await request.get("learning_app");
    await request.closeAll();
    const sweep = new Stores(manifest, forBulkWork(options));
    const own = await sweep.get("learning_app");
    expect(own).not.toBe(kept);
    expect(own.capabilities.concurrentTransactions).toBe(POOL_CONNECTIONS);
    // Only the sweep's connections are counted.
    await mine.closeAll();
    const peak = await peakSessions(() => busy(sweep));
    await sweep.closeAll();
    expect(peak.pg).toBeGreaterThan(REQUEST_POOL_CONNECTIONS);
    expect(peak.pg).toBeLessThanOrEqual(POOL_CONNECTIONS);
  });
});
