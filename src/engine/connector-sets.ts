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
 *
 * The live schema of each store (its tables, keys and foreign keys, which an erasure reads before it writes) is read
 * once for every request within `schemaSeconds` (60 by default; 0 = each request reads its own). Reading it costs
 * the databases more than a person's whole request (40–200 ms of catalogue queries on PostgreSQL and MariaDB, measured
 * under load), and it changes with a migration, not between requests. A schema changed meanwhile costs at most a write
 * the database refuses, rolled back and retried: `forgetSchemas` drops what was read, so the retry reads it again.
 */
import type { Connector, IntrospectedTable } from "../connectors/connector.ts";

/** How long a store's live schema read for one request serves the next ones (`ConnectorSets`). */
export const DEFAULT_SCHEMA_SECONDS = 60;

/** Dataset → its connector (being) opened. */
export type ConnectorSet = Map<string, Promise<Connector>>;

export class ConnectorSets {
  readonly #idle: ConnectorSet[] = [];
  readonly #schemas = new Map<string, { readonly until: number; readonly tables: Promise<IntrospectedTable[]> }>();
  readonly #schemaMs: number;
  #closed = false;

  constructor(options: { readonly schemaSeconds?: number } = {}) {
    this.#schemaMs = (options.schemaSeconds ?? DEFAULT_SCHEMA_SECONDS) * 1000;
  }

  /**
   * The tables of the store `place` names (a dataset and its URL), read by `read` when not read within
   * `schemaSeconds`. A read that fails is not kept.
   */
  schemaOf(place: string, read: () => Promise<IntrospectedTable[]>): Promise<IntrospectedTable[]> {
    const now = Date.now();
    const known = this.#schemas.get(place);
    if (known && known.until > now) return known.tables;
    const tables = read();
    if (this.#schemaMs > 0) {
      this.#schemas.set(place, { until: now + this.#schemaMs, tables });
      tables.catch(() => {
        if (this.#schemas.get(place)?.tables === tables) this.#schemas.delete(place);
      });
    }
    return tables;
  }

  /** Forgets every schema read, so that the next request reads its stores' again (after a write that failed). */
  forgetSchemas(): void {
    this.#schemas.clear();
  }

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
