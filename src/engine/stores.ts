/**
 * The data stores a request touches, one connector per dataset, opened lazily and closed together. A dataset's URL
 * comes from `--connection DATASET=URL` when given, else from the manifest's `${ENV_VAR}` resolved in the environment;
 * HTTP processors also need their vendor spec. A store that cannot be opened is reported once (coded error) and the
 * request goes on without it.
 */

import { resolve } from "node:path";
import { LOOPBACK_HOSTS } from "../connectors/connection-url.ts";
import type { Connector, IntrospectedTable } from "../connectors/connector.ts";
import { openConnector } from "../connectors/open-connector.ts";
import { stewardError } from "../errors.ts";
import type { Dataset, Manifest } from "../manifest/types.ts";
import type { LiveTables } from "../plan/live-schema.ts";
import { type ConnectorSet, type ConnectorSets, closeSet } from "./connector-sets.ts";

export interface StoreOptions {
  /** DATASET → URL, overriding the manifest. */
  readonly connections?: Readonly<Record<string, string>>;
  /** Where `${ENV_VAR}` references are resolved (default: process.env). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Connectors kept open between requests (a worker's): taken at the start, given back by `closeAll`. */
  readonly reuse?: ConnectorSets;
  /** Connections each database connector's pool may hold (default POOL_CONNECTIONS; see `OpenOptions`). */
  readonly poolConnections?: number;
}

const KINDS: Readonly<Record<string, { kind: string; port: string }>> = {
  "postgres:": { kind: "postgres", port: "5432" },
  "postgresql:": { kind: "postgres", port: "5432" },
  "mysql:": { kind: "mysql", port: "3306" },
  "mariadb:": { kind: "mysql", port: "3306" },
};

/** The place of a database URL (see `Stores.placeOf`); undefined when it names none that can be shared. */
export function placeOfUrl(text: string): string | undefined {
  if (/^sqlite:/i.test(text)) {
    const path = /^sqlite:(?:\/\/)?([^?#]*)/i.exec(text)?.[1] ?? "";
    if (path === "" || path === ":memory:") return undefined;
    try {
      return `sqlite:${resolve(decodeURIComponent(path))}`;
    } catch {
      return undefined;
    }
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  const known = KINDS[url.protocol];
  if (!known) return undefined;
  const host = LOOPBACK_HOSTS.has(url.hostname) ? "loopback" : url.hostname.toLowerCase();
  const server = `${known.kind}://${host}:${url.port || known.port}`;
  return known.kind === "mysql" ? server : `${server}${decodeURIComponent(url.pathname)}`;
}

/**
 * The same stores for work over many rows at once (a retention sweep): connectors of their own, at full size, not a
 * request's kept small ones (`reuse`, `poolConnections`), so that a large batch can be split over several connections.
 */
export function forBulkWork(options: StoreOptions): StoreOptions {
  const { reuse: _reuse, poolConnections: _size, ...rest } = options;
  return rest;
}

export class Stores {
  private readonly open: ConnectorSet;
  /** Datasets whose connector could not be opened in this request (not given back for reuse). */
  private readonly failed = new Set<string>();
  private readonly tables = new Map<string, Promise<Map<string, IntrospectedTable>>>();
  private readonly down = new Map<string, string>();
  /** The distinct database URLs seen, for `connectionOf`. */
  private readonly connections: string[] = [];

  constructor(
    private readonly manifest: Manifest,
    private readonly options: StoreOptions = {},
  ) {
    this.open = options.reuse?.take() ?? new Map();
    const known = manifest.datasets.map((d) => d.fides_key);
    for (const name of Object.keys(options.connections ?? {}))
      if (!known.includes(name))
        throw stewardError("STW_CLI_BAD_OPTION", {
          option: "--connection",
          value: `${name}=…`,
          allowed: known.map((k) => `${k}=URL`),
        });
  }

  /** The connector of a dataset, opened on first use. Rejects with a coded error when it cannot be reached. */
  get(dataset: string): Promise<Connector> {
    let connector = this.open.get(dataset);
    if (!connector) {
      connector = this.connect(dataset);
      // Reported by each caller; the catch also keeps an unused failure from crashing the process.
      connector.catch(() => this.failed.add(dataset));
      this.open.set(dataset, connector);
    }
    return connector;
  }

  /** The store's tables by name (introspected once per request). */
  tablesOf(dataset: string): Promise<Map<string, IntrospectedTable>> {
    let tables = this.tables.get(dataset);
    if (!tables) {
      tables = this.get(dataset).then(async (c) => new Map((await c.introspect()).map((t) => [t.name, t])));
      tables.catch(() => {});
      this.tables.set(dataset, tables);
    }
    return tables;
  }

  /**
   * The live tables of each of `datasets` (`tablesOf`), for the live-schema step (src/plan/live-schema.ts). A store
   * that cannot say is left out — a request goes on without it and reports it — unless `required`, when its coded
   * error is thrown (`steward plan|check --connection` were asked about that store).
   */
  async liveTables(datasets: Iterable<string>, options: { readonly required?: boolean } = {}): Promise<LiveTables> {
    const out = new Map<string, ReadonlyMap<string, IntrospectedTable>>();
    for (const dataset of new Set(datasets)) {
      const tables = options.required
        ? await this.tablesOf(dataset)
        : await this.tablesOf(dataset).catch(() => undefined);
      if (tables) out.set(dataset, tables);
    }
    return out;
  }

  /**
   * Records that a store did not answer (after its own retries), so that the rest of the request — the proof's
   * second search included — reports it at once instead of waiting for it again.
   */
  markDown(dataset: string, why: string): void {
    this.down.set(dataset, why);
  }

  /** Why a store was found not to answer during this request, if it was. */
  downReason(dataset: string): string | undefined {
    return this.down.get(dataset);
  }

  /**
   * Where a dataset's data lives, without credentials: a PostgreSQL server and database, a MySQL/MariaDB server (its
   * databases share its locks, and a foreign key may cross them), a SQLite file. Datasets with the same place are never
   * written at the same time. Scheme aliases, default ports and this machine's names are taken for the same; a host
   * named once by name and once by address is not. A processor, a dataset without a usable URL, or a
   * `sqlite::memory:` database is its own place.
   */
  placeOf(dataset: string): string {
    const url = this.databaseUrlOf(dataset);
    return (url !== undefined && placeOfUrl(url)) || `dataset:${dataset}`;
  }

  /**
   * Which connection a dataset uses, as an opaque name (never the URL, which may carry a password): datasets of
   * databases reached by the very same URL get the same name, and their writes share one transaction (a foreign key
   * may run between them). A processor, a dataset without a usable URL, or a `sqlite::memory:` database (each
   * connection opens one of its own) has its own.
   */
  connectionOf(dataset: string): string {
    const url = this.databaseUrlOf(dataset);
    if (url === undefined || /^sqlite::memory:/i.test(url)) return `dataset:${dataset}`;
    let n = this.connections.indexOf(url);
    if (n < 0) n = this.connections.push(url) - 1;
    return `connection:${n}`;
  }

  /** The URL of a dataset kept in a database; undefined for a processor or a dataset without a usable URL. */
  private databaseUrlOf(dataset: string): string | undefined {
    const found = this.manifest.datasets.find((d) => d.fides_key === dataset);
    if (!found || found.connection?.kind === "http") return undefined;
    try {
      return this.urlOf(found);
    } catch {
      return undefined; // opening the dataset reports it
    }
  }

  /** Closes the connectors, or gives them back open to `reuse`. */
  async closeAll(): Promise<void> {
    if (this.options.reuse) {
      // Settle every opening first, so that a failure is known before the set is handed on.
      await Promise.allSettled([...this.open.values()]);
      const set = new Map(this.open);
      this.open.clear();
      await this.options.reuse.give(set, this.failed);
      return;
    }
    await closeSet(this.open);
  }

  private async connect(name: string): Promise<Connector> {
    const dataset = this.manifest.datasets.find((d) => d.fides_key === name);
    if (!dataset) throw stewardError("STW_ENGINE_NO_CONNECTION", { dataset: name, needs: "a dataset of that name" });
    const url = this.urlOf(dataset);
    if (dataset.connection?.kind === "http") {
      const { createHttpConnector } = await import("../connectors/http/index.ts");
      return createHttpConnector(url, dataset.connection.spec ?? dataset.fides_key, {
        root: this.manifest.root,
        env: this.env,
      });
    }
    const size = this.options.poolConnections;
    return openConnector(url, size === undefined ? {} : { connections: size });
  }

  private get env(): Readonly<Record<string, string | undefined>> {
    return this.options.env ?? process.env;
  }

  private urlOf(dataset: Dataset): string {
    const given = this.options.connections?.[dataset.fides_key];
    if (given) return given;
    const declared = dataset.connection?.url;
    if (!declared)
      throw stewardError("STW_ENGINE_NO_CONNECTION", {
        dataset: dataset.fides_key,
        needs: `--connection ${dataset.fides_key}=URL (the dataset declares no connection)`,
      });
    const variable = /^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$/.exec(declared)?.[1];
    const value = variable ? this.env[variable] : undefined;
    if (!variable || !value)
      throw stewardError("STW_ENGINE_NO_CONNECTION", {
        dataset: dataset.fides_key,
        needs: `the environment variable ${variable ?? declared} or --connection ${dataset.fides_key}=URL`,
      });
    return value;
  }
}
