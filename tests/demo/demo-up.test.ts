/**
 * `steward demo up` as a newcomer runs it: the real command is spawned on uniquely named databases, the environment
 * it prints is handed to a spawned `steward serve` of the example (with a real SMTP server for the codes), and
 * requests made over HTTP for seeded learners complete with the fake processors reached — the demo's own lines say
 * which calls each fake answered. Ctrl-C (SIGINT) stops it cleanly; a server that does not answer is a coded error.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { steward } from "../cli/run-cli.ts";
import { codeFor, type SmtpSink, startSmtpSink } from "../requests/smtp-sink.ts";
import { demoDatabases } from "./demo-databases.ts";

const ROOT = join(import.meta.dirname, "..", "..");
const EXAMPLE = join(ROOT, "examples", "learning-platform");
const dbs = demoDatabases("up");

interface Running {
  readonly child: ChildProcess;
  stdout: string;
  stderr: string;
  /** Resolves with the first match of `pattern` in the output stream, as it arrives. */
  wait(stream: "stdout" | "stderr", pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  exited(): Promise<number | null>;
}

function start(args: readonly string[], env: Record<string, string> = {}): Running {
  const child = spawn(process.execPath, [join(ROOT, "bin", "steward.js"), ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
  });
  const running: Running = {
    child,
    stdout: "",
    stderr: "",
    async wait(stream, pattern, timeoutMs = 120_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = pattern.exec(running[stream]);
        if (found) return found;
        if (child.exitCode !== null || Date.now() > deadline)
          throw new Error(
            `no ${pattern} on ${stream} (exit ${child.exitCode}); stderr: ${running.stderr.slice(-2000)}`,
          );
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    exited: () => new Promise((r) => (child.exitCode !== null ? r(child.exitCode) : child.once("exit", r))),
  };
  child.stdout?.setEncoding("utf8").on("data", (s: string) => (running.stdout += s));
  child.stderr?.setEncoding("utf8").on("data", (s: string) => (running.stderr += s));
  return running;
}

interface DemoOutput {
  env: Record<string, string>;
  learners: number;
  processors: Record<string, { url: string }>;
  try: { email: string; stripe: boolean; fullstory: boolean; for_credit: boolean }[];
}

let smtp: SmtpSink;
let dataDir: string;
let demo: Running;
let serve: Running | undefined;
let printed: DemoOutput;
let base: string;

beforeAll(async () => {
  smtp = await startSmtpSink();
  dataDir = await mkdtemp(join(tmpdir(), "steward-demo-up-"));
  demo = start(["demo", "up", "--learners", "20", "--pg", dbs.pgUrl, "--mysql", dbs.myUrl, "--json"]);
  printed = JSON.parse((await demo.wait("stdout", /^\{.*\}\n/))[0]) as DemoOutput;
  serve = start(["serve", EXAMPLE, "--port", "0", "--data-dir", dataDir], {
    ...printed.env,
    STEWARD_SMTP_URL: smtp.url,
  });
  base = (await serve.wait("stdout", /Steward is serving \S+ at (http:\/\/127\.0\.0\.1:\d+)/))[1]!;
}, 180_000);

afterAll(async () => {
  for (const p of [serve, demo]) {
    if (p && p.child.exitCode === null) {
      p.child.kill("SIGKILL");
      await p.exited();
    }
  }
  await smtp?.close();
  await rm(dataDir, { recursive: true, force: true });
  await dbs.drop();
});

async function json(method: string, path: string, body?: unknown, token?: string) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      ...(body === undefined ? {} : { "content-type": "application/json" }),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** Submits, verifies with the mailed code, and polls the person's status until the request leaves the working states. */
async function request(type: string, email: string): Promise<Record<string, unknown>> {
  const since = smtp.mails.length;
  const made = await json("POST", "/api/requests", { type, identity: { email }, jurisdiction: "eea" });
  expect(made.status, JSON.stringify(made.body)).toBe(202);
  const id = String(made.body["id"]);
  const code = await codeFor(smtp, email, since);
  const verified = await json("POST", `/api/requests/${id}/verify`, { code });
  expect(verified.status, JSON.stringify(verified.body)).toBe(200);
  const token = String(verified.body["token"]);
  const deadline = Date.now() + 120_000;
  for (;;) {
    const { body } = await json("GET", `/api/requests/${id}`, undefined, token);
    if (!["received", "awaiting_verification", "verified", "in_progress"].includes(String(body["status"]))) return body;
    if (Date.now() > deadline) throw new Error(`request ${id} still ${String(body["status"])}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe("steward demo up", () => {
  it("prints every variable the example reads: the datasets' URLs and the processors' URLs and keys", () => {
    expect(printed.learners).toBe(20);
    expect(printed.env).toMatchObject({
      LEARNING_APP_DATABASE_URL: dbs.pgUrl,
      LEARNING_ANALYTICS_DATABASE_URL: dbs.myUrl,
      STRIPE_API_URL: printed.processors["stripe"]!.url,
      FULLSTORY_API_URL: printed.processors["fullstory"]!.url,
      MAILCHIMP_API_URL: printed.processors["mailchimp"]!.url,
    });
    for (const name of [
      "STRIPE_SECRET_KEY",
      "FULLSTORY_API_KEY",
      "FULLSTORY_CONSENT_WEBHOOK_URL",
      "FULLSTORY_CONSENT_WEBHOOK_SECRET",
      "MAILCHIMP_API_KEY",
      "MAILCHIMP_LIST_ID",
      "META_GRAPH_URL",
      "META_ACCESS_TOKEN",
      "META_AUDIENCE_ID",
    ])
      expect(printed.env[name], name).toBeTruthy();
    expect(printed.try.length).toBeGreaterThan(0);
  });

  it("lets the served example run an access and an erasure for seeded learners, reaching the fake processors", async () => {
    const [first, second] = [printed.try[0]!, printed.try.at(-1)!];
    const access = await request("access", first.email);
    expect(access["status"], JSON.stringify(access)).toBe("completed");
    // The access searched both processors' APIs by the learner's address and account id.
    await demo.wait("stderr", /^stripe GET \/v1\/customers 200$/m);
    await demo.wait("stderr", /^fullstory GET \/v2\/users 200$/m);

    const erasure = await request("erasure", second.email);
    expect(["completed", "partially_completed"], JSON.stringify(erasure)).toContain(erasure["status"]);
    // Every seeded learner of this small demo was recorded by FullStory: the erasure deletes them there.
    expect(second.fullstory).toBe(true);
    await demo.wait("stderr", /^fullstory DELETE \/v2\/users\/\{id\} 200$/m);
    // No address is shown in the demo's lines: calls are shown by their shape.
    expect(demo.stderr).not.toContain(first.email);
    expect(demo.stderr).not.toContain(second.email);
  }, 240_000);

  it("an opt-out reaches the consent side's fakes through the server's delivery loop", async () => {
    const email = printed.try[0]!.email;
    const made = await json("POST", "/api/requests", {
      type: "withdraw_consent",
      identity: { email },
      jurisdiction: "eea",
    });
    expect(made.status, JSON.stringify(made.body)).toBe(202);
    // Withdrawing every consent is told to every system with a consent delivery: Mailchimp unsubscribes the member,
    // Meta removes the hashed address from the audience, FullStory's side hears the signed webhook.
    await demo.wait("stderr", /^mailchimp PUT \/3\.0\/lists\/\{id\}\/members\/\{id\} 200$/m);
    await demo.wait("stderr", /^meta DELETE \/v21\.0\/\{id\}\/users 200$/m);
    await demo.wait("stderr", /^fullstory_consent POST \/consent 204$/m);
  }, 60_000);

  it("stops cleanly on Ctrl-C (SIGINT): exit 0, the fakes closed", async () => {
    const url = printed.processors["stripe"]!.url;
    demo.child.kill("SIGINT");
    expect(await demo.exited()).toBe(0);
    expect(demo.stderr).toContain("Stopped on SIGINT");
    await expect(fetch(`${url}/v1/customers`)).rejects.toThrow();
  });

  it("says which server does not answer, with a coded error and no stack trace", () => {
    const result = steward([
      "demo",
      "up",
      "--learners",
      "5",
      "--pg",
      "postgres://postgres@127.0.0.1:1/x",
      "--mysql",
      dbs.myUrl,
    ]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain("STW_DB_UNREACHABLE");
    expect(result.stderr).toContain("127.0.0.1:1");
    expect(result.stderr).not.toMatch(/\n\s+at /);
    const my = steward(["demo", "up", "--learners", "5", "--pg", dbs.pgUrl, "--mysql", "mysql://root@127.0.0.1:1/x"]);
    expect(my.code).not.toBe(0);
    expect(my.stderr).toContain("STW_DB_UNREACHABLE");
  });
});
