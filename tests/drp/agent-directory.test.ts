/**
 * The agent discovery document read from where STEWARD_DRP_AGENTS points: a file, or a URL served by a real HTTP
 * server on loopback; a document that cannot be used is STW_DRP_AGENTS_INVALID naming the source and the fault.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AgentDirectory } from "../../src/drp/agent-directory.ts";

const KEY = "jkX15E7+NA/0E7K5YAp7+GndMP6/Fa0dJJYyr1GJPoQ=";
const DOC = JSON.stringify({ agents: [{ id: "CR_AA_DRP_ID_001_LOCAL", name: "OSIRAA local", verify_key: KEY }] });
/** The document /changing.json serves, its version (the ETag), and the conditional requests seen. */
let changing = { doc: DOC, version: 1 };
const conditional: (string | undefined)[] = [];
const server = createServer((req, res) => {
  if (req.url === "/agents.json") {
    res.setHeader("content-type", "application/json");
    res.end(DOC);
  } else if (req.url === "/changing.json") {
    const etag = `"v${changing.version}"`;
    const asked = req.headers["if-none-match"];
    conditional.push(typeof asked === "string" ? asked : undefined);
    res.setHeader("etag", etag);
    if (asked === etag) {
      res.statusCode = 304;
      res.end();
      return;
    }
    res.setHeader("content-type", "application/json");
    res.end(changing.doc);
  } else {
    res.statusCode = 404;
    res.end("not here");
  }
});
let base = "";

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

const failure = (p: Promise<unknown>) =>
  p.then(
    () => "loaded",
    (e: Error & { code?: string }) => `${e.code}: ${e.message}`,
  );

describe("agent discovery document", () => {
  it("is read from a URL or a file", async () => {
    const byUrl = await AgentDirectory.load(`${base}/agents.json`);
    expect(byUrl.ids()).toEqual(["CR_AA_DRP_ID_001_LOCAL"]);
    expect(byUrl.require("CR_AA_DRP_ID_001_LOCAL").name).toBe("OSIRAA local");
    const file = join(mkdtempSync(join(tmpdir(), "steward-agents-")), "agents.json");
    writeFileSync(file, DOC);
    expect((await AgentDirectory.load(file)).source).toBe(file);
  });

  it("reads a URL again with If-None-Match: 304 keeps the list, a new version replaces it", async () => {
    const directory = await AgentDirectory.load(`${base}/changing.json`);
    expect(directory.ids()).toEqual(["CR_AA_DRP_ID_001_LOCAL"]);
    expect(await directory.refresh()).toBe("unchanged");
    changing = {
      doc: JSON.stringify([
        { id: "CR_AA_DRP_ID_001_LOCAL", verify_key: KEY },
        { id: "ANOTHER_AGENT", verify_key: KEY },
      ]),
      version: 2,
    };
    expect(await directory.refresh()).toBe("changed");
    expect(directory.ids()).toEqual(["ANOTHER_AGENT", "CR_AA_DRP_ID_001_LOCAL"]);
    expect(conditional).toEqual([undefined, '"v1"', '"v1"']);
    // A broken version is refused and the last good list stays.
    changing = { doc: "[{", version: 3 };
    await expect(directory.refresh()).rejects.toMatchObject({ code: "STW_DRP_AGENTS_INVALID" });
    expect(directory.ids()).toEqual(["ANOTHER_AGENT", "CR_AA_DRP_ID_001_LOCAL"]);
  });

  it("reads a file again only when it changed", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "steward-agents-")), "agents.json");
    writeFileSync(file, DOC);
    const directory = await AgentDirectory.load(file);
    expect(await directory.refresh()).toBe("unchanged");
    writeFileSync(file, JSON.stringify([{ id: "ANOTHER_AGENT", verify_key: KEY }]));
    expect(await directory.refresh()).toBe("changed");
    expect(directory.ids()).toEqual(["ANOTHER_AGENT"]);
  });

  it("names the source and the fault when it cannot be used", async () => {
    expect(await failure(AgentDirectory.load(`${base}/missing.json`))).toMatch(
      new RegExp(
        `^STW_DRP_AGENTS_INVALID: the agent discovery document ${base}/missing.json cannot be used: the server answered 404`,
      ),
    );
    expect(await failure(AgentDirectory.load("/nonexistent/agents.json"))).toMatch(/^STW_DRP_AGENTS_INVALID: .*ENOENT/);
    const bad = join(mkdtempSync(join(tmpdir(), "steward-agents-")), "agents.json");
    writeFileSync(bad, "[{");
    expect(await failure(AgentDirectory.load(bad))).toMatch(/it is not JSON/);
  });
});
