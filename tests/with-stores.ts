/** A request's stores for one test: opened on the given connections, closed after, whatever happens. */
import { Stores } from "../src/engine/stores.ts";
import type { Manifest } from "../src/manifest/types.ts";

/** Runs `fn` with the stores of `manifest` on `connections` (DATASET → URL) and closes them after. */
export async function withStores<T>(
  manifest: Manifest,
  connections: Readonly<Record<string, string>>,
  fn: (stores: Stores) => Promise<T>,
): Promise<T> {
  const stores = new Stores(manifest, { connections });
  try {
    return await fn(stores);
  } finally {
    await stores.closeAll();
  }
}
