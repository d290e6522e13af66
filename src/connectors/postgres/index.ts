/**
 * The PostgreSQL connector's entry point. Connects once before returning, so a wrong URL or a server that does not
 * answer fails here with a coded error rather than at the first read of a request.
 *
 * @example
 *   const db = await createPostgresConnector("postgres://postgres@127.0.0.1:5432/app");
 */
import pg from "pg";
import { parseConnectionUrl, unreachableError } from "../connection-url.ts";
import { type Connector, type OpenOptions, POOL_CONNECTIONS } from "../connector.ts";
import { ConnectTimeoutClient } from "./connect-timeout-client.ts";
import { PostgresConnector } from "./postgres-connector.ts";

export { PostgresConnector } from "./postgres-connector.ts";
export { quotePostgres } from "./postgres-quote.ts";

export async function createPostgresConnector(url: string, options: OpenOptions = {}): Promise<Connector> {
  const connections = options.connections ?? POOL_CONNECTIONS;
  const parsed = parseConnectionUrl(url, ["postgres:", "postgresql:"], "postgres://user@host:5432/database");
  // A request's small pool (two connections) under load makes reads wait their turn: the connect timeout is the
  // client's, not the pool's (see ConnectTimeoutClient).
  const pool = new pg.Pool({ connectionString: url, Client: ConnectTimeoutClient, max: connections });
  pool.on("error", () => {}); // an idle client that drops surfaces as the next query's error instead
  try {
    const client = await pool.connect();
    client.release();
  } catch (error) {
    await pool.end().catch(() => {});
    throw unreachableError(url, decodeURIComponent(parsed.password), error);
  }
  return new PostgresConnector(pool, undefined, connections);
}
