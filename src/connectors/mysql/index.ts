/**
 * The MySQL/MariaDB connector's entry point. Connects once before returning, so a wrong URL or a server that does not
 * answer fails here with a coded error rather than at the first read of a request.
 *
 * @example
 *   const db = await createMysqlConnector("mysql://root@127.0.0.1:3306/analytics");
 */
import mysql from "mysql2/promise";
import { parseConnectionUrl, unreachableError } from "../connection-url.ts";
import { type Connector, type OpenOptions, POOL_CONNECTIONS } from "../connector.ts";
import { MysqlConnector } from "./mysql-connector.ts";

export { MysqlConnector } from "./mysql-connector.ts";
export { quoteMysql } from "./mysql-quote.ts";

export async function createMysqlConnector(url: string, options: OpenOptions = {}): Promise<Connector> {
  const connections = options.connections ?? POOL_CONNECTIONS;
  const parsed = parseConnectionUrl(url, ["mysql:", "mariadb:"], "mysql://user@host:3306/database");
  const pool = mysql.createPool({
    host: parsed.hostname.replace(/^\[(.*)\]$/, "$1"),
    port: parsed.port ? Number(parsed.port) : 3306,
    user: decodeURIComponent(parsed.username) || "root",
    password: decodeURIComponent(parsed.password),
    ...(parsed.pathname.length > 1 ? { database: decodeURIComponent(parsed.pathname.slice(1)) } : {}),
    connectionLimit: connections,
    connectTimeout: 10_000,
    // Statements are prepared and kept per connection, each with a definition per placeholder (a statement of 5,000
    // keys holds ~0.9 MB), and a key list of another length is another statement: by default up to 16,000 of them,
    // so a long-running service would keep growing, and near the server's max_prepared_stmt_count (16,382 by
    // default, shared by every client). The last 16 are kept, older ones closed; preparing again costs a round trip.
    maxPreparedStatements: 16,
    supportBigNumbers: true,
  });
  try {
    const connection = await pool.getConnection();
    connection.release();
  } catch (error) {
    await pool.end().catch(() => {});
    throw unreachableError(url, decodeURIComponent(parsed.password), error);
  }
  return new MysqlConnector(pool, undefined, connections);
}
