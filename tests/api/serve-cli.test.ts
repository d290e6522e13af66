/**
 * `steward serve` as a user runs it: a child process that prints its URL, answers, and stops cleanly on SIGTERM.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { SUPPORTED_SCHEMA_VERSION } from "../../src/store/migrate-store.ts";
import { TINY_MANIFEST_DIR } from "./fixtures/tiny-manifest.ts";

interface Run {
  readonly child: ChildProcess;
  readonly stdout: () => string;
  readonly stderr: () => string;
  readonly exited: Promise<number | null>;
}

function steward(args: readonly string[]): Run {
  // Node itself (not `npx`), so that the signal reaches the process that runs Steward.
  const child = spawn(process.execPath, ["--import", "tsx", "src/cli/main.ts", ...args], {
    cwd: new URL("../..", import.meta.url),
    env: { ...process.env, STEWARD_DATABASE_URL: "", STEWARD_LOG_LEVEL: "warn" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout?.on("data", (d) => {
    out += String(d);
  });
  child.stderr?.on("data", (d) => {
    err += String(d);
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, stdout: () => out, stderr: () => err, exited };
}

/** Resolves with the URL the server printed, or rejects if the process ends first. */
function servedUrl(run: Run): Promise<string> {
  return new Promise((resolve, reject) => {
    const look = () => {
      const match = /at (http:\/\/\S+) /.exec(run.stdout());
      if (match?.[1]) resolve(match[1]);
    };
    run.child.stdout?.on("data", look);
    run.exited.then((code) => reject(new Error(`steward serve exited (${code}): ${run.stderr()}`)));
  });
}

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

describe("steward serve", () => {
  it("serves, keeps one notice version across restarts, and stops cleanly on SIGTERM", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "steward-cli-"));
    dirs.push(dataDir);
    for (let start = 0; start < 2; start++) {
      const run = steward(["serve", TINY_MANIFEST_DIR, "--port", "0", "--data-dir", dataDir]);
      const url = await servedUrl(run);
      expect(run.stdout()).toContain(`${dataDir}/pglite (PGlite), schema ${SUPPORTED_SCHEMA_VERSION}`);
      const health = await fetch(`${url}/health`);
      expect(health.status).toBe(200);
      const versions = (await (await fetch(`${url}/api/notice/versions`)).json()) as { versions: unknown[] };
      expect(versions.versions).toHaveLength(1);
      run.child.kill("SIGTERM");
      expect(await run.exited).toBe(0);
      expect(run.stdout()).toContain("Stopped on SIGTERM.");
      expect(run.stderr()).not.toMatch(/\n\s+at /);
    }
  });

  it("refuses a port that is not a number with STW_CLI_BAD_OPTION and exit code 2", async () => {
    const run = steward(["serve", TINY_MANIFEST_DIR, "--port", "eighty"]);
    expect(await run.exited).toBe(2);
    expect(run.stderr()).toContain('error STW_CLI_BAD_OPTION: option --port does not take "eighty"');
  });
});
