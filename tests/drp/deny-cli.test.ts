/**
 * `steward requests deny --denial <kind>`: the operator picks the kind of denial (DRP 1.0 §3.02) at the command line,
 * on the embedded store of a data dir; the request records it, and an unknown kind is refused with the coded error
 * naming the allowed ones. The request is made in this process on the same store first (a verified erasure that
 * waits for approval), then the store is closed and the CLI opens it.
 */
import { mkdtempSync } from "node:fs";
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadManifestDir } from "../../src/fs/load-manifest-dir.ts";
import { openRequestService } from "../../src/requests/request-service.ts";
import { openStore } from "../../src/store/open-store.ts";
import { stewardAsync } from "../cli/run-cli.ts";

const EXAMPLE = "examples/learning-platform";
const dataDir = mkdtempSync(join(tmpdir(), "steward-deny-cli-"));
const ENV = { STEWARD_DATABASE_URL: "" };
let id = "";

beforeAll(async () => {
  const store = await openStore({ dataDir });
  const service = await openRequestService({
    store,
    manifest: await loadManifestDir(EXAMPLE),
    dataDir,
    config: { approvalTypes: ["erasure"] },
    jobs: { maintenanceSeconds: 3600, schedule: false },
  });
  const { row } = await service.submit({
    type: "erasure",
    identity: { email: "nobody.here@example.net" },
    jurisdiction: "us_ca",
    source: "agent",
    agent: "TEST_AGENT",
    agentVerified: true,
  });
  id = row.id;
  expect(row.status).toBe("awaiting_approval");
  await service.close();
  await store.close();
}, 60_000);

afterAll(() => rm(dataDir, { recursive: true, force: true }));

describe("steward requests deny --denial", () => {
  it("refuses a kind of denial that does not exist, naming the allowed ones, and changes nothing", async () => {
    const run = await stewardAsync(
      ["requests", "deny", id, EXAMPLE, "--reason", "x", "--denial", "maybe", "--data-dir", dataDir],
      ENV,
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /^error STW_REQUEST_BAD_DENIAL: "maybe" is not a kind of denial; allowed: "suspected_fraud", "insufficient_verification", "no_match"/,
    );
  }, 60_000);

  it("records the kind the operator picked with the denial", async () => {
    const run = await stewardAsync(
      [
        "requests",
        "deny",
        id,
        EXAMPLE,
        "--reason",
        "We hold no account for this address",
        "--denial",
        "no_match",
        "--data-dir",
        dataDir,
        "--json",
      ],
      ENV,
    );
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ id, status: "denied" });
    const shown = await stewardAsync(["requests", "show", id, EXAMPLE, "--data-dir", dataDir, "--json"], ENV);
    const view = JSON.parse(shown.stdout) as {
      outcome: Record<string, unknown>;
      audit: { kind: string; payload: unknown }[];
    };
    expect(view.outcome).toMatchObject({ denial: "no_match" });
    expect(view.audit.find((e) => e.kind === "request.denied")?.payload).toMatchObject({ denial: "no_match" });
  }, 60_000);
});
