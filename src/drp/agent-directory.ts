/**
 * The agent discovery document (DRP 1.0 §3.05.1): the DRP network's list of authorized agents, each with the Ed25519
 * key its messages are signed with — the root of trust. Configured by `STEWARD_DRP_AGENTS` as a file path or an
 * http(s) URL. Read at start, then again while the server runs (`refresh`, driven by `startRefreshing`): a file when
 * it changes (a watch on its folder, so a file replaced by a rename is seen too) and every
 * `STEWARD_DRP_AGENTS_REFRESH_SECONDS`; a URL every that many seconds, with `If-None-Match` / `If-Modified-Since` so
 * an unchanged document costs a 304. An agent removed from the list is unknown from the next read on — its token
 * opens nothing, its messages verify with no key — and an agent added can set up a token.
 *
 * A document that can no longer be used (unreadable, not JSON, an entry without a key) keeps the last good list: the
 * network's operators may be in the middle of a change, and emptying the list would refuse every agent.
 *
 * Accepted shapes: the list itself, `{"agents": [...]}`, or an object of id → entry.
 */

import type { KeyObject } from "node:crypto";
import { type FSWatcher, watch } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import { basename, dirname } from "node:path";
import { isStewardError, stewardError } from "../errors.ts";
import { verifyKeyFrom } from "./signed-message.ts";

export interface Agent {
  readonly id: string;
  readonly name: string;
  readonly verifyKey: KeyObject;
  readonly webUrl: string | undefined;
  readonly technicalContact: string | undefined;
}

/** What tells an unchanged document from a changed one without reading it all. */
interface Validator {
  readonly etag?: string;
  readonly lastModified?: string;
  readonly mtimeMs?: number;
  readonly size?: number;
}

/** Where refreshes are reported: the server's log (codes and counts only; the list names no person). */
export interface RefreshLog {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
}

const isUrl = (source: string) => /^https?:\/\//i.test(source);

export class AgentDirectory {
  private validator: Validator = {};
  private stopRefreshing: (() => void) | undefined;

  private constructor(
    /** Where the document came from, for messages (a path or URL; never a secret). */
    readonly source: string,
    private agents: ReadonlyMap<string, Agent>,
    private readonly fetcher: typeof fetch = fetch,
  ) {}

  /** Reads and checks the document; STW_DRP_AGENTS_INVALID names what is wrong. */
  static async load(source: string, fetcher: typeof fetch = fetch): Promise<AgentDirectory> {
    const directory = new AgentDirectory(source, new Map(), fetcher);
    await directory.refresh();
    return directory;
  }

  static from(source: string, document: unknown): AgentDirectory {
    return new AgentDirectory(source, parseAgents(source, document));
  }

  /**
   * Reads the document again if it changed and takes its list: `changed`, or `unchanged` when the server answered
   * 304 or the file's time and size are the same. A document that cannot be used throws STW_DRP_AGENTS_INVALID and
   * the last good list stays.
   */
  async refresh(): Promise<"changed" | "unchanged"> {
    const fail = (detail: string) => stewardError("STW_DRP_AGENTS_INVALID", { source: this.source, detail });
    let text: string;
    let validator: Validator;
    try {
      if (isUrl(this.source)) {
        const headers: Record<string, string> = { accept: "application/json" };
        if (this.validator.etag) headers["if-none-match"] = this.validator.etag;
        if (this.validator.lastModified) headers["if-modified-since"] = this.validator.lastModified;
        const res = await this.fetcher(this.source, { headers, signal: AbortSignal.timeout(30_000) });
        if (res.status === 304 && this.agents.size > 0) return "unchanged";
        if (!res.ok) throw fail(`the server answered ${res.status}`);
        text = await res.text();
        const etag = res.headers.get("etag");
        const lastModified = res.headers.get("last-modified");
        validator = { ...(etag ? { etag } : {}), ...(lastModified ? { lastModified } : {}) };
      } else {
        const before = await stat(this.source);
        if (this.agents.size > 0 && before.mtimeMs === this.validator.mtimeMs && before.size === this.validator.size)
          return "unchanged";
        text = await readFile(this.source, "utf8");
        validator = { mtimeMs: before.mtimeMs, size: before.size };
      }
    } catch (error) {
      if (isStewardError(error)) throw error;
      throw fail(error instanceof Error ? error.message : String(error));
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw fail("it is not JSON");
    }
    this.agents = parseAgents(this.source, parsed);
    this.validator = validator;
    return "changed";
  }

  /**
   * Refreshes every `everySeconds`, and for a file also when it changes; failures are logged and the last good list
   * stays. Idempotent; `stop()` (the server's close) ends it.
   */
  startRefreshing(everySeconds: number, log: RefreshLog): void {
    if (this.stopRefreshing) return;
    let running: Promise<void> | undefined;
    let again = false;
    const run = (): void => {
      if (running) {
        again = true;
        return;
      }
      running = this.refresh()
        .then((outcome) => {
          if (outcome === "changed") log.info({ agents: this.agents.size }, "agent discovery document read again");
        })
        .catch((error: unknown) =>
          log.warn(
            { code: isStewardError(error) ? error.code : "STW_INTERNAL", agents: this.agents.size },
            "agent discovery document not taken; the last good list stays",
          ),
        )
        .finally(() => {
          running = undefined;
          if (again) {
            again = false;
            run();
          }
        });
    };
    const timer = setInterval(run, everySeconds * 1000);
    timer.unref();
    let watcher: FSWatcher | undefined;
    let settle: NodeJS.Timeout | undefined;
    if (!isUrl(this.source)) {
      const name = basename(this.source);
      try {
        // The folder, not the file: an editor or a deployment that replaces the file by a rename ends a file watch.
        watcher = watch(dirname(this.source), (_event, changed) => {
          if (changed !== null && changed !== name) return;
          clearTimeout(settle);
          // A writer may take several writes; read once they have settled.
          settle = setTimeout(run, 100);
        });
        watcher.unref();
        watcher.on("error", () => watcher?.close());
      } catch {
        watcher = undefined; // no watch on this file system: the interval alone
      }
    }
    this.stopRefreshing = () => {
      clearInterval(timer);
      clearTimeout(settle);
      watcher?.close();
    };
  }

  stop(): void {
    this.stopRefreshing?.();
    this.stopRefreshing = undefined;
  }

  get(id: string): Agent | undefined {
    return this.agents.get(id);
  }

  /** The agent, or STW_DRP_UNKNOWN_AGENT listing the known ones. */
  require(id: string): Agent {
    const agent = this.agents.get(id);
    if (!agent) throw stewardError("STW_DRP_UNKNOWN_AGENT", { agent: id, allowed: this.ids() });
    return agent;
  }

  ids(): string[] {
    return [...this.agents.keys()].sort();
  }
}

function parseAgents(source: string, document: unknown): Map<string, Agent> {
  const fail = (detail: string) => stewardError("STW_DRP_AGENTS_INVALID", { source, detail });
  const entries: unknown[] = Array.isArray(document)
    ? document
    : typeof document === "object" && document !== null
      ? Array.isArray((document as { agents?: unknown }).agents)
        ? ((document as { agents: unknown[] }).agents as unknown[])
        : Object.entries(document).map(([id, v]) => ({ id, ...(v as object) }))
      : [];
  const agents = new Map<string, Agent>();
  entries.forEach((entry, i) => {
    const e = (entry ?? {}) as Record<string, unknown>;
    if (typeof e["id"] !== "string" || e["id"] === "") throw fail(`entry ${i} has no "id"`);
    if (typeof e["verify_key"] !== "string") throw fail(`agent "${e["id"]}" has no "verify_key"`);
    let verifyKey: KeyObject;
    try {
      verifyKey = verifyKeyFrom(e["verify_key"]);
    } catch (error) {
      throw fail(`the verify_key of agent "${e["id"]}" is not an Ed25519 key: ${(error as Error).message}`);
    }
    agents.set(e["id"], {
      id: e["id"],
      name: typeof e["name"] === "string" ? e["name"] : e["id"],
      verifyKey,
      webUrl: typeof e["web_url"] === "string" ? e["web_url"] : undefined,
      technicalContact: typeof e["technical_contact"] === "string" ? e["technical_contact"] : undefined,
    });
  });
  if (agents.size === 0) throw fail("it lists no agent");
  return agents;
}
