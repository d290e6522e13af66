/**
 * `steward requests …` while `steward serve` runs on the embedded store: PGlite is one process, so the CLI goes
 * through the running server's admin API on loopback with the token it left in the data dir — and answers, prints
 * and records exactly what it does when it opens the store itself. A command that needs the store itself says which
 * server holds it and what to do (STW_STORE_SERVED).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readServeFile } from "../../src/auth/local-admin.ts";
import { stewardAsync } from "./run-cli.ts";

const EXAMPLE = new URL("../../examples/learning-platform", import.meta.url).pathname;
const ENV = { STEWARD_DATABASE_URL: "", STEWARD_LOG_LEVEL: "warn", USER: "ada" };

let dataDir: string;
let server: ChildProcess;
let exited: Promise<number | null>;
let url: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "steward-twins-"));
  server = spawn(
    process.execPath,
    ["--import", "tsx", "src/cli/main.ts", "serve", EXAMPLE, "--port", "0", "--data-dir", dataDir, "--no-worker"],
    { cwd: new URL("../..", import.meta.url), env: { ...process.env, ...ENV }, stdio: ["ignore", "pipe", "pipe"] },
  );
  let out = "";
  let err = "";
  server.stderr?.on("data", (d) => {
    err += String(d);
  });
  exited = new Promise((resolve) => server.on("exit", (code) => resolve(code)));
  url = await new Promise<string>((resolve, reject) => {
    server.stdout?.on("data", (d) => {
      out += String(d);
      const match = /at (http:\/\/\S+) /.exec(out);
      if (match?.[1]) resolve(match[1]);
    });
    void exited.then((code) => reject(new Error(`steward serve exited (${code}): ${err}`)));
  });
}, 120_000);

afterAll(async () => {
  if (server.exitCode === null) {
    server.kill("SIGTERM");
    await exited;
  }
  await rm(dataDir, { recursive: true, force: true });
});

const cli = (...args: string[]) => stewardAsync([...args, "--data-dir", dataDir], ENV);

describe("the CLI twins while steward serve holds the embedded store", () => {
  let id: string;
  let remoteShow: string;
  let remoteRefusal: string;

  it("finds the server from the data dir and acts through it, naming the operator in the trail", async () => {
    const file = await readServeFile(dataDir);
    expect(file).toMatchObject({ pid: server.pid, url });
    expect((await stat(join(dataDir, "serve.json"))).mode & 0o777).toBe(0o600);

    const made = await fetch(`${url}/api/requests`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ type: "access", identity: { email: "ada.twin@example.net" }, jurisdiction: "eea" }),
    });
    expect(made.status).toBe(202);
    id = ((await made.json()) as { id: string }).id;

    const list = await cli("requests", "list", EXAMPLE, "--json");
    expect(list.stderr).toBe("");
    expect(list.code).toBe(0);
    expect((JSON.parse(list.stdout) as { requests: { id: string; status: string }[] }).requests).toEqual([
      expect.objectContaining({ id, status: "awaiting_verification" }),
    ]);

    const hold = await cli("requests", "hold", id, EXAMPLE, "--reason", "litigation 2026-40");
    expect(hold.code, hold.stderr).toBe(0);
    const holdId = /^hold (\S+)$/m.exec(hold.stdout)?.[1];
    expect(holdId).toBeTruthy();
    const shown = await cli("requests", "show", id, EXAMPLE);
    expect(shown.stdout).toContain(`access request ${id} — awaiting_verification`);
    expect(shown.stdout).toContain(`LEGAL HOLD ${holdId} since `);
    const lifted = await cli("requests", "unhold", holdId!, EXAMPLE, "--reason", "settled");
    expect(lifted.stdout).toBe(`lifted ${holdId}\n`);

    const cancelled = await cli("requests", "cancel", id, EXAMPLE, "--json");
    expect(cancelled.code, cancelled.stderr).toBe(0);
    expect(JSON.parse(cancelled.stdout)).toMatchObject({ id, status: "cancelled" });

    const again = await cli("requests", "cancel", id, EXAMPLE);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/^error STW_REQUEST_WRONG_STATE: /);
    remoteRefusal = again.stderr;
    remoteShow = (await cli("requests", "show", id, EXAMPLE)).stdout;

    const trail = JSON.parse((await cli("requests", "show", id, EXAMPLE, "--json")).stdout) as {
      audit: { kind: string; actor: string }[];
    };
    expect(trail.audit.filter((e) => e.actor.startsWith("cli:")).map((e) => [e.kind, e.actor])).toEqual([
      ["hold.placed", "cli:ada"],
      ["request.cancelled", "cli:ada"],
    ]);
  }, 120_000);

  it("refuses a token that is not this run's: the admin API still needs a key", async () => {
    const forged = await fetch(`${url}/api/admin/requests`, { headers: { authorization: "Bearer stwl_forged" } });
    expect(forged.status).toBe(401);
    expect(((await forged.json()) as { code: string }).code).toBe("STW_AUTH_REQUIRED");
  });

  it("makes, lists and revokes keys, and verifies the trail, through the server", async () => {
    const made = await cli("keys", "create", "--role", "viewer", "--name", "auditor", "--json");
    expect(made.code, made.stderr).toBe(0);
    const { key } = JSON.parse(made.stdout) as { key: string };
    const asAuditor = await fetch(`${url}/api/admin/requests`, { headers: { authorization: `Bearer ${key}` } });
    expect(asAuditor.status).toBe(200);
    const list = await cli("keys", "list");
    expect(list.stdout).toMatch(/viewer +auditor +created /);
    expect((await cli("keys", "revoke", "auditor")).stdout).toMatch(/^revoked auditor \(stw_/);
    expect((await fetch(`${url}/api/admin/requests`, { headers: { authorization: `Bearer ${key}` } })).status).toBe(
      401,
    );
    const unknown = await cli("keys", "revoke", "auditor");
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^error STW_KEY_NOT_FOUND: /);
    const verify = await cli("audit", "verify");
    expect(verify.code, verify.stderr).toBe(0);
    expect(verify.stdout).toMatch(/^audit chain holds: \d+ events/);
  }, 120_000);

  it("tells a command that needs the store itself which server holds it and what to do", async () => {
    const report = await cli("report", "ccpa", "--year", "2026");
    expect(report.code).toBe(2);
    expect(report.stderr).toContain(`error STW_STORE_SERVED: the store in "${dataDir}" is held by steward serve`);
    expect(report.stderr).toContain(`(process ${server.pid}, ${url})`);
    expect(report.stderr).toContain("Use the admin console (/admin)");
  });

  it("once the server stops, opens the store itself and prints the same", async () => {
    server.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(await readServeFile(dataDir)).toBeUndefined();
    const again = await cli("requests", "cancel", id, EXAMPLE);
    expect(again.code).toBe(2);
    expect(again.stderr).toBe(remoteRefusal);
    expect((await cli("requests", "show", id, EXAMPLE)).stdout).toBe(remoteShow);
    const verify = await cli("audit", "verify");
    expect(verify.code, verify.stderr).toBe(0);
    expect(verify.stdout).toMatch(/^audit chain holds: \d+ events/);
    const keys = JSON.parse((await cli("keys", "list", "--json")).stdout) as { keys: { name: string }[] };
    expect(keys.keys.map((k) => k.name)).toEqual(["first-admin"]);
  }, 120_000);
});
