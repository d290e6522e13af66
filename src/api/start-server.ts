/**
 * Opens the store (running migrations), publishes the current notice version, builds the server and listens. This is
 * `steward serve` without the command line, so tests can start the real thing on an ephemeral port.
 */

import { dirname } from "node:path";
import type { FastifyInstance } from "fastify";
import { ensureFirstAdminKey } from "../auth/first-admin-key.ts";
import { loopbackUrl, newLocalToken, removeServeFile, writeServeFile } from "../auth/local-admin.ts";
import { drpConfigFromEnv } from "../drp/drp-config.ts";
import { DrpService } from "../drp/drp-service.ts";
import { isStewardError, stewardError } from "../errors.ts";
import type { Manifest } from "../manifest/types.ts";
import { openRequestService, type RequestService, type RequestServiceOptions } from "../requests/request-service.ts";
import { openStore } from "../store/open-store.ts";
import type { Store } from "../store/store.ts";
import { DEFAULT_DATA_DIR, resolveStoreTarget, type StoreOptions } from "../store/store-options.ts";
import { buildServer, type ServerOptions } from "./build-server.ts";
import { type CurrentNoticeOutcome, recordCurrentNotice } from "./record-current-notice.ts";

export interface StartOptions {
  readonly manifest: Manifest;
  /** Port to listen on; 0 picks a free one. Default 3000. */
  readonly port?: number;
  /** Address to bind. Default 127.0.0.1 (this machine only); use 0.0.0.0 to accept other machines. */
  readonly host?: string;
  readonly store?: StoreOptions;
  readonly logger?: ServerOptions["logger"];
  /**
   * The request service's options (mail, engine connections, configuration); `false` serves no request routes.
   * The secret and the mail outbox live in the store's data dir.
   */
  readonly requests?: Omit<RequestServiceOptions, "store" | "manifest"> | false;
  /**
   * Run a worker in this process. Default true: the embedded store can have no other process, and a small
   * PostgreSQL deployment needs none. With `false`, run `steward worker` processes.
   */
  readonly worker?: boolean;
}

export interface RunningServer {
  /** e.g. http://127.0.0.1:3000 */
  readonly url: string;
  readonly app: FastifyInstance;
  readonly store: Store;
  readonly notice: CurrentNoticeOutcome;
  readonly requests: RequestService | undefined;
  /** The Data Rights Protocol service, when STEWARD_DRP_AGENTS is set. */
  readonly drp: DrpService | undefined;
  /** Where the first admin key was written, when the store had none (src/auth/first-admin-key.ts). */
  readonly firstKeyFile: string | undefined;
  /** Stops accepting connections, finishes requests in flight, closes the store. Safe to call twice. */
  close(): Promise<void>;
}

function listenError(error: unknown, host: string, port: number): Error {
  const code = (error as { code?: unknown }).code;
  if (code === "EADDRINUSE") return stewardError("STW_SERVE_PORT_IN_USE", { host, port });
  const detail = error instanceof Error ? error.message : String(error);
  return stewardError("STW_SERVE_CANNOT_LISTEN", { host, port, detail });
}

/** A failed request sweep in the server's log: the code and the registry's message (ids and counts, no person). */
function logSweepError(log: FastifyInstance["log"], error: unknown): void {
  const coded = isStewardError(error) ? error : undefined;
  log.error({ code: coded?.code ?? "STW_INTERNAL" }, `request sweep failed: ${coded?.message ?? String(error)}`);
}

export async function startServer(options: StartOptions): Promise<RunningServer> {
  const host = options.host ?? "127.0.0.1";
  const port = options.port ?? 3000;
  const store = await openStore(options.store ?? {});
  let requests: RequestService | undefined;
  let drp: DrpService | undefined;
  let firstKeyFile: string | undefined;
  // The worker starts before the server (and its logger) exists; it logs through it once it does.
  let sweepLog: FastifyInstance["log"] | undefined;
  const early: unknown[] = [];
  try {
    const notice = await recordCurrentNotice(store, options.manifest);
    if (options.requests !== false) {
      requests = await openRequestService({
        dataDir: options.store?.dataDir ?? DEFAULT_DATA_DIR,
        ...options.requests,
        store,
        manifest: options.manifest,
      });
      if (options.worker !== false)
        await requests.startWorker({
          // Codes, ids and counts only: sweep errors name no person.
          onSweepError: (error) => (sweepLog ? logSweepError(sweepLog, error) : early.push(error)),
        });
      firstKeyFile = await ensureFirstAdminKey(store.db, options.store?.dataDir ?? DEFAULT_DATA_DIR);
      // The Data Rights Protocol's endpoints, when the operator named the agents' discovery document.
      const drpConfig = drpConfigFromEnv(options.manifest);
      if (drpConfig.agentsSource) drp = await DrpService.open(requests, drpConfig);
    }
    // On an embedded store no other process can open it: the CLI's `requests` commands come through this server.
    const target = resolveStoreTarget(options.store ?? {});
    const dataDir = target.backend === "pglite" && target.dir ? dirname(target.dir) : undefined;
    const localAdminToken = dataDir && requests ? newLocalToken() : undefined;
    const app: FastifyInstance = await buildServer({
      manifest: options.manifest,
      store,
      ...(requests ? { requests } : {}),
      ...(localAdminToken ? { localAdminToken } : {}),
      ...(drp ? { drp } : {}),
      ...(options.logger !== undefined ? { logger: options.logger } : {}),
    });
    sweepLog = app.log;
    for (const error of early.splice(0)) logSweepError(app.log, error);
    if (notice.outcome === "conflict") {
      app.log.warn(
        { version: notice.version, recorded_hash: notice.recorded_hash, current_hash: notice.manifest_hash },
        "the manifest changed but notice.version did not; the published version stays as recorded — give the changed notice a new version",
      );
    } else if (notice.outcome === "skipped") {
      app.log.warn({ reason: notice.reason }, "notice version not recorded");
    }
    try {
      await app.listen({ port, host });
    } catch (error) {
      await app.close();
      throw listenError(error, host, port);
    }
    const address = app.server.address();
    const actualPort = typeof address === "object" && address ? address.port : port;
    const urlHost = host.includes(":") ? `[${host}]` : host;
    if (dataDir && localAdminToken)
      await writeServeFile(dataDir, { url: loopbackUrl(host, actualPort), token: localAdminToken });
    let closing: Promise<void> | undefined;
    return {
      url: `http://${urlHost}:${actualPort}`,
      app,
      store,
      notice,
      requests,
      drp,
      firstKeyFile,
      close: () => {
        closing ??= (dataDir && localAdminToken ? removeServeFile(dataDir, localAdminToken) : Promise.resolve())
          .then(() => app.close())
          .then(() => requests?.close())
          .finally(() => store.close());
        return closing;
      },
    };
  } catch (error) {
    await requests?.close().catch(() => {});
    await store.close();
    throw error;
  }
}
