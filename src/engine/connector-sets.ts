/**
 * Open connectors kept between requests, for a process that runs many (a worker, the server). Opening the stores of
 * a request — a PostgreSQL and a MariaDB pool with their first connection each, a vendor spec read and parsed — took
 * about a third of a short access request's time in the `requests` benchmark. A request takes a set of connectors
 * no other request is using (or an empty one), and gives it back when it is done: requests never share a connection,
 * as before, but the next one finds the connections open. What a request learns about its stores (their live tables,
 * which did not answer) stays with the request (`Stores`).
 *
 * @example
 *   const sets = new ConnectorSets();
 *   const stores = new Stores(manifest, { reuse: sets });
 *   await runAccess(manifest, identities, stores);
 *   await stores.closeAll(); // gives the set back, open
 *   await sets.closeAll(); // at shutdown
 */
import type { Connector } from "../connectors/connector.ts";

/** Dataset → its connector (being) opened. */
export type ConnectorSet = Map<string, Promise<Connector>>;

export class ConnectorSets {
  readonly #idle: ConnectorSet[] = [];
  #closed = false;

  /** A set no other request holds; empty when every set is in use. */
  take(): ConnectorSet {
    return this.#idle.pop() ?? new Map();
  }

  /** Gives a set back; `failed` datasets (that could not be opened) are left out, so the next request tries again. */
  async give(set: ConnectorSet, failed: ReadonlySet<string>): Promise<void> {
    for (const name of failed) set.delete(name);
    if (this.#closed) await closeSet(set);
    else this.#idle.push(set);
  }

  /** Closes every idle set; sets given back later are closed then. */
  async closeAll(): Promise<void> {
    this.#closed = true;
    const idle = this.#idle.splice(0);
    await Promise.all(idle.map(closeSet));
  }
}

export async function closeSet(set: ConnectorSet): Promise<void> {
  const all = [...set.values()];
  set.clear();
  await Promise.all(all.map((p) => p.then((c) => c.close()).catch(() => {})));
}
