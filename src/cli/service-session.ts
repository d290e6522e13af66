/**
 * Opens what a command of the request service needs — the store (embedded in `--data-dir`, or PostgreSQL from
 * STEWARD_DATABASE_URL), the manifest and the request service — runs the command, and closes all of it. On the
 * embedded store a running `steward serve` holds the data dir; the command then says so, naming the server and what
 * works beside it (STW_STORE_SERVED; `steward requests …` go through the server, src/cli/requests-twin.ts).
 */
import { resolve } from "node:path";
import { runningServer } from "../auth/local-admin.ts";
import { isStewardError, stewardError } from "../errors.ts";
import { loadManifestDir } from "../fs/load-manifest-dir.ts";
import { openRequestService, type RequestService } from "../requests/request-service.ts";
import { openStore } from "../store/open-store.ts";
import type { Store } from "../store/store.ts";
import { DEFAULT_DATA_DIR } from "../store/store-options.ts";

/** How the trail names an operator at the command line: `cli:$USER`. */
export const cliActor = (): string => `cli:${process.env["USER"] ?? "operator"}`.replaceAll(/[^\w:.-]/g, "_");

export interface SessionOptions {
  readonly dataDir?: string;
  /** Where the engine finds the datasets (`--connection DATASET=URL`), else their `${ENV_VAR}`. */
  readonly engine?: { readonly connections?: Readonly<Record<string, string>> };
}

export async function withStoreOnly<T>(options: SessionOptions, run: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore(options.dataDir === undefined ? {} : { dataDir: options.dataDir }).catch(
    async (error: unknown) => {
      // Held by `steward serve`: say which server, and what works while it runs.
      if (isStewardError(error) && error.code === "STW_STORE_LOCKED") {
        const dir = resolve(options.dataDir ?? DEFAULT_DATA_DIR);
        const server = await runningServer(dir);
        if (server) throw stewardError("STW_STORE_SERVED", { dir, pid: server.pid, url: server.url });
      }
      throw error;
    },
  );
  try {
    return await run(store);
  } finally {
    await store.close();
  }
}

export async function withService<T>(
  dir: string,
  options: SessionOptions & { readonly jobs?: boolean },
  run: (service: RequestService, store: Store) => Promise<T>,
): Promise<T> {
  const manifest = await loadManifestDir(dir);
  return withStoreOnly(options, async (store) => {
    const service = await openRequestService({
      store,
      manifest,
      dataDir: options.dataDir ?? DEFAULT_DATA_DIR,
      ...(options.engine ? { engine: options.engine } : {}),
      // Pass maintenance to the workers: a command only enqueues.
      jobs: options.jobs === false ? false : { maintenanceSeconds: 3600, schedule: false },
    });
    try {
      return await run(service, store);
    } finally {
      await service.close();
    }
  });
}
