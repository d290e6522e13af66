/**
 * The CLI's calls to the running `steward serve` that holds the embedded store (src/auth/local-admin.ts): its admin
 * API on loopback, with this run's local token and the operator's name. An error answer becomes the registry's error
 * again, so the command prints what it would print had it opened the store itself.
 */
import { runningServer, type ServeFile } from "../auth/local-admin.ts";
import { stewardError, stewardErrorFromBody } from "../errors.ts";
import { DEFAULT_DATA_DIR, resolveStoreTarget } from "../store/store-options.ts";
import { cliActor } from "./service-session.ts";

export type LocalApi = <T>(method: "GET" | "POST" | "DELETE", path: string, body?: object) => Promise<T>;

/** The `steward serve` holding the embedded store this command would open (`--data-dir`), if one runs. */
export async function servingServer(dataDir: string | undefined): Promise<ServeFile | undefined> {
  const target = resolveStoreTarget(dataDir === undefined ? {} : { dataDir });
  if (target.backend !== "pglite") return undefined;
  return runningServer(dataDir ?? DEFAULT_DATA_DIR);
}

export function localApi(server: ServeFile): LocalApi {
  return async <T>(method: "GET" | "POST" | "DELETE", path: string, body?: object): Promise<T> => {
    let response: Response;
    try {
      response = await fetch(`${server.url}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${server.token}`,
          "steward-operator": cliActor(),
          ...(body ? { "content-type": "application/json" } : {}),
        },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw stewardError("STW_CLI_SERVER_UNREACHABLE", {
        pid: server.pid,
        url: server.url,
        detail: cause?.code ?? cause?.message ?? (error as Error).message,
      });
    }
    const json = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    if (!response.ok) throw stewardErrorFromBody(response.status, json);
    return json as T;
  };
}
