/**
 * The CLI's way in while `steward serve` holds the embedded store. PGlite is one process: while the server runs, no
 * other process may open its data dir (STW_STORE_LOCKED). So the server, on an embedded store, writes
 * `<data dir>/serve.json` (mode 0600, removed when it stops): its pid, its loopback URL and a token made for this run.
 * `steward requests …` finds the file, checks that the process still runs, and sends its command to the server's
 * admin API with that token — the same service, the same answers, the trail naming the operator as it does when the
 * CLI opens the store itself (`cli:$USER`, sent in `Steward-Operator`).
 *
 * Why a token in a file is enough: whoever can read the data dir can already read `secret.key` and the store's own
 * files, so the token gives nothing its reader does not have. It is accepted only from a loopback address, and only
 * for this run of the server (a new one at every start).
 */
import { randomBytes } from "node:crypto";
import { chmod, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { sameSecret, sha256 } from "../secrets/keyed-hash.ts";

export const SERVE_FILE = "serve.json";

export interface ServeFile {
  readonly pid: number;
  /** The server's admin API on loopback, e.g. http://127.0.0.1:3000. */
  readonly url: string;
  readonly token: string;
  readonly started_at: string;
}

/** A token for one run of the server (`stwl_…`, told apart from API keys by its prefix). */
export const newLocalToken = (): string => `stwl_${randomBytes(32).toString("base64url")}`;

/** The URL a process on this machine reaches a server at, for the address it listens on. */
export function loopbackUrl(host: string, port: number): string {
  const h = host === "0.0.0.0" || host === "" ? "127.0.0.1" : host === "::" ? "[::1]" : host;
  return `http://${h.includes(":") && !h.startsWith("[") ? `[${h}]` : h}:${port}`;
}

export async function writeServeFile(dataDir: string, file: Omit<ServeFile, "pid" | "started_at">): Promise<string> {
  const path = join(dataDir, SERVE_FILE);
  const content: ServeFile = { pid: process.pid, started_at: new Date().toISOString(), ...file };
  await writeFile(path, `${JSON.stringify(content, null, 2)}\n`, { mode: 0o600 });
  await chmod(path, 0o600);
  return path;
}

/** Removes the file if it is still this process's (a newer server may have written its own meanwhile). */
export async function removeServeFile(dataDir: string, token: string): Promise<void> {
  const found = await readServeFile(dataDir);
  if (found?.token === token) await rm(join(dataDir, SERVE_FILE), { force: true });
}

export async function readServeFile(dataDir: string): Promise<ServeFile | undefined> {
  try {
    const parsed = JSON.parse(await readFile(join(dataDir, SERVE_FILE), "utf8")) as Partial<ServeFile>;
    if (typeof parsed.pid !== "number" || typeof parsed.url !== "string" || typeof parsed.token !== "string")
      return undefined;
    return parsed as ServeFile;
  } catch {
    return undefined;
  }
}

/** The running server that holds `dataDir`, from its file; undefined when none (or its process is gone). */
export async function runningServer(dataDir: string): Promise<ServeFile | undefined> {
  const file = await readServeFile(dataDir);
  if (!file) return undefined;
  // The store's lock names the process that holds it: a file left by a server that is gone is not believed, even if
  // its pid now belongs to some other process.
  const holder = Number((await readFile(join(dataDir, "steward.lock"), "utf8").catch(() => "")).trim());
  if (holder !== file.pid) return undefined;
  try {
    process.kill(file.pid, 0);
  } catch (error) {
    if ((error as { code?: string }).code !== "EPERM") return undefined;
  }
  return file;
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;

/** Whether a request carries this run's local token and comes from this machine. */
export function isLocalAdmin(expected: string | undefined, presented: string, remoteAddress: string | undefined) {
  if (!expected || !presented.startsWith("stwl_")) return false;
  return LOOPBACK.test(remoteAddress ?? "") && sameSecret(sha256(presented), sha256(expected));
}

/** The operator the CLI names (`cli:$USER`); anything else is named `cli:local`. */
export const localOperator = (header: string | string[] | undefined): string =>
  typeof header === "string" && /^cli:[\w.-]{1,64}$/.test(header) ? header : "cli:local";
