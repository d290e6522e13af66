/**
 * A `pg` client that gives up connecting after 10 s, so an address that drops packets fails instead of hanging. The
 * timeout is the client's and not the pool's on purpose: pg-pool applies its own `connectionTimeoutMillis` to the
 * wait for a free connection too, and under a burst that wait is long and normal. Pools pass it as `Client`; the
 * connector's pools and the store's (which adds COPY to it) both do.
 *
 * @example new pg.Pool({ connectionString: url, Client: ConnectTimeoutClient, max: 2 })
 */
import pg from "pg";

export const CONNECT_TIMEOUT_MS = 10_000;

export class ConnectTimeoutClient extends pg.Client {
  constructor(config?: string | pg.ClientConfig) {
    super({
      ...(typeof config === "string" ? { connectionString: config } : config),
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    });
  }
}
