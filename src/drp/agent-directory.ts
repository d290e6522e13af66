/**
 * The agent discovery document (DRP 1.0 §3.05.1): the DRP network's list of authorized agents, each with the Ed25519
 * key its messages are signed with — the root of trust. Configured by `STEWARD_DRP_AGENTS` as a file path or an
 * http(s) URL, read once when the server starts (restart to take a changed list).
 *
 * Accepted shapes: the list itself, `{"agents": [...]}`, or an object of id → entry.
 */

import type { KeyObject } from "node:crypto";
import { readFile } from "node:fs/promises";
import { stewardError } from "../errors.ts";
import { verifyKeyFrom } from "./signed-message.ts";

export interface Agent {
  readonly id: string;
  readonly name: string;
  readonly verifyKey: KeyObject;
  readonly webUrl: string | undefined;
  readonly technicalContact: string | undefined;
}

export class AgentDirectory {
  private constructor(
    /** Where the document came from, for messages (a path or URL; never a secret). */
    readonly source: string,
    private readonly agents: ReadonlyMap<string, Agent>,
  ) {}

  /** Reads and checks the document; STW_DRP_AGENTS_INVALID names what is wrong. */
  static async load(source: string, fetcher: typeof fetch = fetch): Promise<AgentDirectory> {
    const fail = (detail: string) => stewardError("STW_DRP_AGENTS_INVALID", { source, detail });
    let text: string;
    try {
      if (/^https?:\/\//i.test(source)) {
        const res = await fetcher(source, { headers: { accept: "application/json" } });
        if (!res.ok) throw fail(`the server answered ${res.status}`);
        text = await res.text();
      } else text = await readFile(source, "utf8");
    } catch (error) {
      if (error instanceof Error && "code" in error && String(error.code).startsWith("STW_")) throw error;
      throw fail(error instanceof Error ? error.message : String(error));
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw fail("it is not JSON");
    }
    return AgentDirectory.from(source, parsed);
  }

  static from(source: string, document: unknown): AgentDirectory {
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
    return new AgentDirectory(source, agents);
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
