/**
 * `--connection DATASET=URL` on `steward plan` and `steward check`: introspects the named datasets (only those) and
 * compares the manifest with their live schema (src/plan/live-schema.ts). The connections are closed before it
 * returns; a store that cannot be reached is a coded error, as for `steward request`.
 */
import { Stores } from "../engine/stores.ts";
import type { Manifest } from "../manifest/types.ts";
import type { LiveTables } from "../plan/live-schema.ts";
import { connectionsOf } from "./commands/request.ts";

export async function liveTablesOf(manifest: Manifest, pairs: readonly string[]): Promise<LiveTables> {
  const connections = connectionsOf(pairs, manifest);
  const stores = new Stores(manifest, { connections });
  try {
    return await stores.liveTables(Object.keys(connections), { required: true });
  } finally {
    await stores.closeAll();
  }
}
