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
const server = createServer((req, res) => {
  if (req.url === "/agents.json") {
    res.setHeader("content-type", "application/json");
    res.end(DOC);
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
