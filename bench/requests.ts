/**
 * `npm run bench -- requests [--learners N] [--requests N] [--workers N] [--concurrency N] [--timeout S] [--keep]
 * [--profile DIR]`:
 * the request service under load (issue 9, "Load"). `--requests` people (default 500) each submit a request over
 * HTTP at the same moment, read the code mailed to them from a real SMTP server, and verify; `--workers` `steward
 * worker` processes (default 4, each `--concurrency` requests at once, default 2: a request mostly waits on its
 * databases) execute them from the jobs on a
 * PostgreSQL store (a scratch database) against the reference deployment seeded with `--learners` learners (default
 * 100,000) by the demo seeder, with the processor fakes of `steward demo up` holding the seeded learners' accounts.
 *
 * Mix: 80% access, 15% erasure (learners with nothing kept for credit, so a complete erasure is the only right
 * answer), 5% opt-outs of sale and sharing (California: no proof needed, carried out by the consent ledger at once);
 * each for a distinct learner, in a seeded random order. Every person comes from their own loopback address
 * (127.x.y.z), so the public routes' per-address rate limits stay on and are never what is measured.
 *
 * Figures: throughput (completed requests per second, from the first verification to the last completion), p50/p99
 * of the time from verification to completion (the store's `verified_at` → `closed_at`), errors (answers other than
 * 2xx, codes that never came, requests that ended other than completed), requests lost (accepted, not finished when
 * the queue ran dry or the timeout passed). Where the time goes: the execute jobs' wait in the queue and their run
 * (pg-boss's created → started → completed). Goal: 0 errors, 0 lost, p99 under 10 s.
 *
 * Every database it makes is named requests_<pid>_… and dropped at the end (also on failure or Ctrl-C) unless --keep.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { request as httpRequest } from "node:http";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { startDemoProcessors } from "../src/demo/fakes/demo-processors.ts";
import { addSeededAccounts } from "../src/demo/fakes/seeded-accounts.ts";
import { hashName, Prng } from "../src/demo/prng.ts";
import { seedDemo } from "../src/demo/seed-demo.ts";
import { option, percentile, r2 } from "./bench-figures.ts";
import { type DemoPair, dropPair, MY_SERVER, PG_SERVER, withPg } from "./dsr-databases.ts";
import type { BenchResult } from "./run.ts";
import { type CodeSink, startCodeSink } from "./smtp-codes.ts";

const ROOT = join(import.meta.dirname, "..");
const EXAMPLE = join(ROOT, "examples", "learning-platform");
const SEED = 1;
const GOAL = { errors: 0, lost: 0, p99_ms_max: 10_000 } as const;
const log = (line: string) => process.stderr.write(`requests: ${line}\n`);

const stats = (xs: readonly number[]) => ({
  n: xs.length,
  p50_ms: Math.round(percentile(xs, 50)),
  p99_ms: Math.round(percentile(xs, 99)),
  max_ms: Math.round(xs.length ? Math.max(...xs) : Number.NaN),
});

type RequestType = "access" | "erasure" | "opt_out_sale_sharing";
interface Person {
  readonly email: string;
  readonly type: RequestType;
  /** The loopback address this person's calls come from. */
  readonly address: string;
}

/** The people and what each asks for: distinct learners, a seeded order, erasures only where nothing is kept. */
async function planPeople(pgUrl: string, count: number): Promise<Person[]> {
  const { rows } = await withPg(pgUrl, (c) =>
    c.query<{ email: string; for_credit: boolean }>(
      `SELECT u.email, EXISTS (SELECT 1 FROM enrollments e WHERE e.user_id = u.id AND e.for_credit) AS for_credit
         FROM users u WHERE NOT u.deleted ORDER BY u.id`,
    ),
  );
  if (rows.length < count) throw new Error(`--requests ${count} needs at least as many learners (${rows.length})`);
  const rng = new Prng(SEED, hashName("requests"));
  for (let i = rows.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [rows[i], rows[j]] = [rows[j]!, rows[i]!];
  }
  const erasures = Math.round(count * 0.15);
  const optOuts = Math.max(1, Math.round(count * 0.05));
  const erasable = rows.filter((r) => !r.for_credit).slice(0, erasures);
  const taken = new Set(erasable.map((r) => r.email));
  const rest = rows.filter((r) => !taken.has(r.email));
  const types: { email: string; type: RequestType }[] = [
    ...erasable.map((r) => ({ email: r.email, type: "erasure" as const })),
    ...rest.slice(0, optOuts).map((r) => ({ email: r.email, type: "opt_out_sale_sharing" as const })),
    ...rest.slice(optOuts, count - erasable.length).map((r) => ({ email: r.email, type: "access" as const })),
  ];
  // Interleave the types (seeded), so that erasures and opt-outs are spread over the burst.
  for (let i = types.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [types[i], types[j]] = [types[j]!, types[i]!];
  }
  return types.map((t, i) => ({
    ...t,
    address: `127.${1 + ((i + 1) >> 16)}.${((i + 1) >> 8) & 255}.${(i + 1) & 255}`,
  }));
}

/** One JSON call from a given source address, on a fresh connection (each person is their own client). */
function call(base: string, method: string, path: string, body: unknown, localAddress: string) {
  return new Promise<{ status: number; body: Record<string, unknown> }>((resolve, reject) => {
    const url = new URL(path, base);
    const text = body === undefined ? undefined : JSON.stringify(body);
    const req = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method,
        localAddress,
        agent: false,
        headers:
          text === undefined ? {} : { "content-type": "application/json", "content-length": Buffer.byteLength(text) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const raw = Buffer.concat(chunks).toString("utf8");
          let parsed: Record<string, unknown> = {};
          try {
            parsed = JSON.parse(raw) as Record<string, unknown>;
          } catch {
            parsed = { raw: raw.slice(0, 200) };
          }
          resolve({ status: res.statusCode ?? 0, body: parsed });
        });
      },
    );
    req.on("error", reject);
    req.setTimeout(120_000, () => req.destroy(new Error("no answer within 120 s")));
    req.end(text);
  });
}

interface Child {
  readonly process: ChildProcess;
  output: string;
}

function spawnSteward(args: readonly string[], env: Record<string, string>, cwd: string, node: string[] = []): Child {
  const child = spawn(process.execPath, [...node, join(ROOT, "bin", "steward.js"), ...args], {
    cwd,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const c: Child = { process: child, output: "" };
  // Keep the tail of what it says (startup lines, a crash); logs of a long run are not kept whole.
  const keep = (s: string) => {
    c.output = (c.output + s).slice(-20_000);
  };
  child.stdout?.setEncoding("utf8").on("data", keep);
  child.stderr?.setEncoding("utf8").on("data", keep);
  return c;
}

async function waitFor(child: Child, pattern: RegExp, timeoutMs = 120_000): Promise<RegExpExecArray> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = pattern.exec(child.output);
    if (found) return found;
    if (child.process.exitCode !== null || Date.now() > deadline)
      throw new Error(`no ${pattern} (exit ${child.process.exitCode}): ${child.output.slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function stop(children: readonly Child[]): Promise<void> {
  await Promise.all(
    children.map(
      (c) =>
        new Promise<void>((resolve) => {
          if (c.process.exitCode !== null || c.process.signalCode !== null) return resolve();
          const timer = setTimeout(() => c.process.kill("SIGKILL"), 30_000);
          c.process.once("exit", () => {
            clearTimeout(timer);
            resolve();
          });
          c.process.kill("SIGTERM");
        }),
    ),
  );
}

/** CPU seconds (user + system) a process has used, from /proc (Linux); 0 when it cannot be read. */
function cpuSeconds(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (100 a second)
  } catch {
    return 0;
  }
}

/** CPU seconds used so far by every process of a program (postgres, mariadbd) — other sessions' work included. */
function programCpuSeconds(name: string): number {
  let total = 0;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, "utf8").trim() === name) total += cpuSeconds(Number(entry));
    } catch {}
  }
  return total;
}

/** Where the CPU went between two readings: this process (the people and the fakes), the server, the workers, the databases. */
function cpuReading(server: Child, workers: readonly Child[]) {
  return {
    bench: process.cpuUsage().user / 1e6 + process.cpuUsage().system / 1e6,
    server: cpuSeconds(server.process.pid),
    workers: workers.reduce((sum, w) => sum + cpuSeconds(w.process.pid), 0),
    postgres: programCpuSeconds("postgres"),
    mariadbd: programCpuSeconds("mariadbd"),
  };
}

/**
 * Samples, every 100 ms, the sessions of the store waiting for a lock: on the audit chain's advisory lock (every
 * audited change of every process takes it until its commit) and on anything else (a request's row, a job).
 */
function sampleLockWaits(storeUrl: string, storeDb: string) {
  const samples: { chain: number; other: number }[] = [];
  let stopped = false;
  const running = withPg(storeUrl, async (c) => {
    while (!stopped) {
      const { rows } = await c.query<{ chain: string; other: string }>(
        `SELECT count(*) FILTER (WHERE locktype = 'advisory') AS chain, count(*) FILTER (WHERE locktype <> 'advisory') AS other
           FROM pg_locks WHERE NOT granted AND database = (SELECT oid FROM pg_database WHERE datname = $1)`,
        [storeDb],
      );
      samples.push({ chain: Number(rows[0]!.chain), other: Number(rows[0]!.other) });
      await new Promise((r) => setTimeout(r, 100));
    }
  });
  return {
    async stop() {
      stopped = true;
      await running;
      const mean = (xs: number[]) => r2(xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length));
      const chain = samples.map((s) => s.chain);
      return {
        samples: samples.length,
        chain_waiters_mean: mean(chain),
        chain_waiters_max: Math.max(0, ...chain),
        samples_with_chain_waiters: r2(chain.filter((n) => n > 0).length / Math.max(1, samples.length)),
        other_waiters_mean: mean(samples.map((s) => s.other)),
      };
    },
  };
}

interface Flow {
  readonly person: Person;
  id?: string;
  error?: string;
  /** performance.now() marks, for the client's view. */
  submitted_ms?: number;
  verified_ms?: number;
}

/** One person: submit, read the code from the mail, verify. Errors are recorded, never thrown. */
async function runFlow(base: string, flow: Flow, codes: CodeSink): Promise<void> {
  const { person } = flow;
  const t0 = performance.now();
  try {
    const made = await call(
      base,
      "POST",
      "/api/requests",
      {
        type: person.type,
        identity: { email: person.email },
        jurisdiction: person.type === "opt_out_sale_sharing" ? "us_ca" : "eea",
      },
      person.address,
    );
    flow.submitted_ms = performance.now() - t0;
    if (made.status !== 202) {
      flow.error = `submit ${made.status} ${String(made.body["code"] ?? "")}`;
      return;
    }
    flow.id = String(made.body["id"]);
    if (person.type === "opt_out_sale_sharing") return;
    const code = await codes.codeFor(person.email, 120_000);
    const verified = await call(base, "POST", `/api/requests/${flow.id}/verify`, { code }, person.address);
    flow.verified_ms = performance.now() - t0;
    if (verified.status !== 200) flow.error = `verify ${verified.status} ${String(verified.body["code"] ?? "")}`;
  } catch (error) {
    flow.error = error instanceof Error ? error.message : String(error);
  }
}

const OPEN = ["received", "awaiting_verification", "verified", "awaiting_approval", "in_progress"];

export async function run(): Promise<BenchResult> {
  const learners = option("learners", 100_000);
  const count = option("requests", 500);
  const workers = option("workers", 4);
  const concurrency = option("concurrency", 2);
  const timeoutS = option("timeout", 600);
  const keep = process.argv.includes("--keep");
  // `--profile DIR`: the workers write V8 CPU profiles there (node --cpu-prof), to see where their time goes.
  const profileAt = process.argv.indexOf("--profile");
  const profileDir = profileAt > 0 ? process.argv[profileAt + 1] : undefined;
  const loadBefore = loadavg().map(r2);

  const name = `requests_${process.pid}`;
  const reference: DemoPair = {
    name: `${name}_ref`,
    pgUrl: `${PG_SERVER}/${name}_ref`,
    myUrl: `${MY_SERVER}/${name}_ref`,
  };
  const storeDb = `${name}_store`;
  const storeUrl = `${PG_SERVER}/${storeDb}`;
  const children: Child[] = [];
  const cwd = await mkdtemp(join(tmpdir(), "steward-bench-requests-"));
  const cleanup = async () => {
    await stop(children);
    if (!keep) {
      await dropPair(reference).catch(() => {});
      await withPg(`${PG_SERVER}/postgres`, (c) => c.query(`DROP DATABASE IF EXISTS "${storeDb}" WITH (FORCE)`)).catch(
        () => {},
      );
    }
    await rm(cwd, { recursive: true, force: true });
  };
  const onSignal = () => void cleanup().finally(() => process.exit(130));
  process.once("SIGINT", onSignal);
  const calls = new Map<string, number>();
  const fakes = await startDemoProcessors({
    keepRequests: false,
    onCall: (c) => calls.set(c.processor, (calls.get(c.processor) ?? 0) + 1),
  });
  const codes = await startCodeSink();
  try {
    log(`seeding ${learners} learners…`);
    const t = performance.now();
    await seedDemo({ learners, seed: SEED, postgresUrl: reference.pgUrl, mysqlUrl: reference.myUrl });
    const seedMs = Math.round(performance.now() - t);
    const people = await planPeople(reference.pgUrl, count);
    // The fakes hold the accounts of the people who ask: they scan their records per call, which at 100,000 learners
    // would make this process (the people's side) measure the fakes.
    const accounts = await addSeededAccounts(fakes, reference.pgUrl, { only: people.map((p) => p.email) });
    await withPg(`${PG_SERVER}/postgres`, (c) => c.query(`CREATE DATABASE "${storeDb}"`));

    const env = {
      ...fakes.env,
      LEARNING_APP_DATABASE_URL: reference.pgUrl,
      LEARNING_ANALYTICS_DATABASE_URL: reference.myUrl,
      STEWARD_DATABASE_URL: storeUrl,
      STEWARD_SECRET: randomBytes(32).toString("hex"),
      STEWARD_SMTP_URL: codes.url,
      STEWARD_LOG_LEVEL: "warn",
    };
    log(`server and ${workers} workers (concurrency ${concurrency}) on ${storeDb}…`);
    const server = spawnSteward(["serve", EXAMPLE, "--no-worker", "--port", "0"], env, cwd);
    children.push(server);
    const base = (await waitFor(server, /Steward is serving \S+ at (http:\/\/127\.0\.0\.1:\d+)/))[1]!;
    for (let i = 0; i < workers; i++) {
      const w = spawnSteward(
        ["worker", EXAMPLE, "--concurrency", String(concurrency), "--no-retention"],
        env,
        cwd,
        profileDir ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] : [],
      );
      children.push(w);
    }
    await Promise.all(children.slice(1).map((w) => waitFor(w, /is taking jobs/)));

    log(`${count} people submit at once…`);
    const flows: Flow[] = people.map((person) => ({ person }));
    const cpuBefore = cpuReading(server, children.slice(1));
    const locks = sampleLockWaits(storeUrl, storeDb);
    const started = performance.now();
    await Promise.all(flows.map((f) => runFlow(base, f, codes)));
    const submittedMs = Math.round(performance.now() - started);
    const accepted = flows.filter((f) => f.id !== undefined).map((f) => f.id!);
    // A request whose submission or verification failed is an error, and waits for nobody: the workers are waited
    // for only on the ones that were verified (or needed no proof).
    const started_ = flows.filter((f) => f.id !== undefined && f.error === undefined).map((f) => f.id!);
    const errorKinds: Record<string, number> = {};
    for (const f of flows) if (f.error) errorKinds[f.error] = (errorKinds[f.error] ?? 0) + 1;
    if (Object.keys(errorKinds).length > 0) log(`the server said, last: ${server.output.slice(-4000)}`);
    log(
      `${accepted.length} accepted, ${started_.length} verified or needing no proof, after ${submittedMs} ms` +
        (Object.keys(errorKinds).length ? `; errors: ${JSON.stringify(errorKinds)}` : "") +
        "; waiting for the workers…",
    );

    // Wait until nothing accepted is open any more (or the timeout): the store says.
    const deadline = Date.now() + timeoutS * 1000;
    let open = accepted.length;
    await withPg(storeUrl, async (c) => {
      for (;;) {
        const { rows } = await c.query<{ n: string }>(
          "SELECT count(*) AS n FROM requests WHERE id = ANY($1::uuid[]) AND status = ANY($2::text[])",
          [started_, OPEN],
        );
        open = Number(rows[0]!.n);
        if (open === 0 || Date.now() > deadline) break;
        await new Promise((r) => setTimeout(r, 500));
      }
    });
    const waitedMs = Math.round(performance.now() - started);
    const cpuAfter = cpuReading(server, children.slice(1));
    const lockWaits = await locks.stop();
    const cpu = Object.fromEntries(
      Object.entries(cpuAfter).map(([k, v]) => [k, r2(v - cpuBefore[k as keyof typeof cpuBefore])]),
    );

    const { rows } = await withPg(storeUrl, (c) =>
      c.query<{
        id: string;
        type: string;
        status: string;
        created_at: Date;
        verified_at: Date | null;
        closed_at: Date | null;
      }>("SELECT id, type, status, created_at, verified_at, closed_at FROM requests WHERE id = ANY($1::uuid[])", [
        accepted,
      ]),
    );
    const jobs = await withPg(storeUrl, (c) =>
      c.query<{ wait_ms: number; run_ms: number; retries: number }>(
        `SELECT extract(epoch FROM started_on - created_on) * 1000 AS wait_ms,
                extract(epoch FROM completed_on - started_on) * 1000 AS run_ms, retry_count AS retries
           FROM steward_jobs.job WHERE name = 'request.execute' AND completed_on IS NOT NULL`,
      ),
    );
    const auditKinds = await withPg(storeUrl, (c) =>
      c.query<{ kind: string; n: string }>("SELECT kind, count(*) AS n FROM audit_events GROUP BY kind ORDER BY kind"),
    );
    const auditCount = (kind: string) => Number(auditKinds.rows.find((r) => r.kind === kind)?.n ?? 0);
    const loadAfter = loadavg().map(r2);

    const byStatus: Record<string, number> = {};
    for (const r of rows) byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
    const done = rows.filter((r) => r.closed_at !== null && r.verified_at !== null);
    const durations = (type?: string) =>
      done
        .filter((r) => type === undefined || r.type === type)
        .map((r) => r.closed_at!.getTime() - r.verified_at!.getTime());
    const firstVerified = Math.min(...rows.filter((r) => r.verified_at).map((r) => r.verified_at!.getTime()));
    const lastClosed = Math.max(...done.map((r) => r.closed_at!.getTime()));
    const completed = rows.filter((r) => r.status === "completed").length;
    const httpErrors = flows.filter((f) => f.error !== undefined);
    const endedBadly = rows.filter((r) => !OPEN.includes(r.status) && r.status !== "completed");
    // Lost: verified (or needing no proof), and not finished when the queue ran dry or the timeout passed.
    const startedSet = new Set(started_);
    const lost =
      started_.length -
      rows.filter((r) => startedSet.has(r.id)).length +
      rows.filter((r) => startedSet.has(r.id) && OPEN.includes(r.status)).length;
    const errors = httpErrors.length + endedBadly.length;
    const all = stats(durations());
    const throughput = completed / ((lastClosed - firstVerified) / 1000);
    const met = errors === GOAL.errors && lost === GOAL.lost && all.p99_ms < GOAL.p99_ms_max;

    const figures: Record<string, number | string> = {
      learners,
      requests: count,
      workers,
      worker_concurrency: concurrency,
      accepted: accepted.length,
      verified: started_.length,
      completed,
      errors,
      lost,
      throughput_rps: r2(throughput),
      verified_to_completed_p50_ms: all.p50_ms,
      verified_to_completed_p99_ms: all.p99_ms,
      verified_to_completed_max_ms: all.max_ms,
      submit_and_verify_all_ms: submittedMs,
      goal: met ? "met" : "not met",
    };
    return {
      name: "requests",
      figures,
      notes:
        `${count} people at once (${people.filter((p) => p.type === "access").length} access, ` +
        `${people.filter((p) => p.type === "erasure").length} erasure, ${people.filter((p) => p.type === "opt_out_sale_sharing").length} opt-out), ` +
        `${workers} workers × ${concurrency} on PostgreSQL, ${learners} learners: ${r2(throughput)} requests/s, ` +
        `p50 ${all.p50_ms} ms, p99 ${all.p99_ms} ms from verification to completion, ${errors} errors, ${lost} lost ` +
        `(goal 0, 0, p99 < 10 s: ${met ? "met" : "not met"})`,
      details: {
        goal: GOAL,
        by_status: byStatus,
        by_type: {
          access: stats(durations("access")),
          erasure: stats(durations("erasure")),
          opt_out_sale_sharing: stats(durations("opt_out_sale_sharing")),
        },
        http_errors: errorKinds,
        ended_badly: endedBadly.slice(0, 20).map((r) => ({ type: r.type, status: r.status })),
        failed_attempts: auditCount("request.attempt_failed"),
        mails_failed: auditCount("mail.failed"),
        audit_events: Object.fromEntries(auditKinds.rows.map((r) => [r.kind, Number(r.n)])),
        client: {
          submit_ms: stats(flows.flatMap((f) => (f.submitted_ms === undefined ? [] : [f.submitted_ms]))),
          submit_to_verified_ms: stats(flows.flatMap((f) => (f.verified_ms === undefined ? [] : [f.verified_ms]))),
        },
        execute_jobs: {
          queue_wait: stats(jobs.rows.map((j) => Number(j.wait_ms))),
          run: stats(jobs.rows.map((j) => Number(j.run_ms))),
          retried: jobs.rows.filter((j) => Number(j.retries) > 0).length,
        },
        mails: codes.counts,
        processor_calls: Object.fromEntries(calls),
        seeded_processor_accounts: accounts,
        seed_ms: seedMs,
        waited_ms: waitedMs,
        store_lock_waits: lockWaits,
        cpu_seconds_during_run: { ...cpu, wall: r2(waitedMs / 1000), cores: cpus().length },
        load_average: { before: loadBefore, after: loadAfter },
      },
    };
  } finally {
    process.off("SIGINT", onSignal);
    await cleanup();
    await fakes.close();
    await codes.close();
  }
}
