/**
 * Opens the connector a URL names, by its scheme. The engine and the CLI call this and never a driver: each
 * connector folder is loaded only when a URL of its kind appears, so a PostgreSQL-only deployment never loads mysql2.
 *
 * @example
 *   const db = await openConnector(process.env.APP_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/app");
 */

import { stewardError } from "../errors.ts";
import { redactUrl } from "./connection-url.ts";
import type { Connector, OpenOptions } from "./connector.ts";

const OPENERS: Readonly<Record<string, (url: string, options: OpenOptions) => Promise<Connector>>> = {
  "postgres:": async (url, o) => (await import("./postgres/index.ts")).createPostgresConnector(url, o),
  "postgresql:": async (url, o) => (await import("./postgres/index.ts")).createPostgresConnector(url, o),
  "mysql:": async (url, o) => (await import("./mysql/index.ts")).createMysqlConnector(url, o),
  "mariadb:": async (url, o) => (await import("./mysql/index.ts")).createMysqlConnector(url, o),
  "sqlite:": async (url) => (await import("./sqlite/index.ts")).createSqliteConnector(url),
};

/** The URL schemes `openConnector` accepts, for messages and help texts. */
export const CONNECTOR_SCHEMES: readonly string[] = Object.keys(OPENERS).map((s) => `${s}//`);

/** @param options.connections the pool's size, for the server kinds (SQLite has one connection). */
export function openConnector(url: string, options: OpenOptions = {}): Promise<Connector> {
  const scheme = /^[a-z][a-z0-9+.-]*:/i.exec(url)?.[0].toLowerCase() ?? "";
  const open = OPENERS[scheme];
  if (!open)
    return Promise.reject(stewardError("STW_DB_BAD_URL", { value: redactUrl(url), allowed: CONNECTOR_SCHEMES }));
  return open(url, options);
}
