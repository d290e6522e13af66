/**
 * A burst of work on a PostgreSQL store waits for a free connection as long as it takes: the 10-second connect
 * timeout is the connection's, not a limit on the wait in the pool's queue (which made a burst of 500 requests fail
 * with STW_INTERNAL). With a pool of one connection held for longer than that, the next query still runs.
 */
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore } from "../../src/store/open-store.ts";
import type { Store } from "../../src/store/store.ts";
import { type FreshStore, postgresBackend } from "./backends.ts";

let fresh: FreshStore;
let store: Store;

beforeAll(async () => {
  fresh = await postgresBackend.fresh();
  store = await openStore({ ...fresh.options, poolSize: 1 });
}, 60_000);

afterAll(async () => {
  await store?.close();
  await fresh?.dispose();
});

describe("the PostgreSQL store's pool", () => {
  it("lets a query wait for the only connection longer than the connect timeout", async () => {
    const holding = sql`select pg_sleep(11)`.execute(store.db);
    const waiting = sql<{ one: number }>`select 1 as one`.execute(store.db);
    await holding;
    expect((await waiting).rows).toEqual([{ one: 1 }]);
  }, 60_000);
});
