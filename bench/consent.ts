/**
 * `npm run bench -- consent`: the consent ledger against its references, each measured in the same run.
 *
 * 1. In-process decisions per second with a warm cache (`ledger.decideCached`), against a loop that reads the same
 *    answers from a plain Map (the floor of any cache). Goal: ≥ 2,000,000 decisions/s.
 * 2. HTTP decisions (`GET /api/consent/decision`) on Steward's server, against a bare Node HTTP server that answers a
 *    constant JSON body — the same load generator (its own process), the same keep-alive connections. Goal: ≥ 0.7×
 *    its throughput, p99 < 5 ms. Both servers run without request logging.
 * 3. Durable consent events per second into PostgreSQL (`ledger.record` in batches: validation, hash chain, outbox),
 *    against `COPY` (psql `\copy`) of the very same rows into a table of the same shape and indexes. Goal: ≥ 0.5×. Measured for a
 *    purpose whose recipients hear of nothing (no outbox rows) and for session replay (one signed-webhook delivery
 *    queued per event).
 */
import { execFile, execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { promisify } from "node:util";
import pg from "pg";
import { buildServer } from "../src/api/build-server.ts";
import type { ConsentLedger } from "../src/consent/consent-ledger.ts";
import { loadManifestDir } from "../src/fs/load-manifest-dir.ts";
import { openRequestService } from "../src/requests/request-service.ts";
import { openStore } from "../src/store/open-store.ts";
import type { BenchResult } from "./run.ts";

const ROOT = join(import.meta.dirname, "..");
const EXAMPLE = join(ROOT, "examples", "learning-platform");
const PG = process.env["STEWARD_BENCH_POSTGRES"] ?? "postgres://postgres@127.0.0.1:5432";
const SECRET = { source: "bench", bytes: Buffer.alloc(32, 5) };
const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};

const device = (i: number) => `device:dev_bench_${String(i).padStart(16, "0")}`;
const PURPOSES = ["marketing_email", "session_replay", "targeted_advertising", "surveys", "provide_platform"];

/** wrk (Debian's package) when the machine has it — a C load generator, so the client is not the bottleneck. */
const HAS_WRK = (() => {
  try {
    execFileSync("wrk", ["--version"], { stdio: "ignore" });
    return true;
  } catch (error) {
    // wrk --version exits 1 after printing its version.
    return (error as { status?: number }).status === 1;
  }
})();

const toMs = (value: string, unit: string) => Number(value) * (unit === "us" ? 0.001 : unit === "s" ? 1000 : 1);

/** Run without blocking: the servers it measures answer from this process's event loop. */
async function wrk(url: string, seconds: number, connections: number): Promise<Record<string, number>> {
  const { stdout: out } = await promisify(execFile)(
    "wrk",
    ["-t1", `-c${connections}`, `-d${seconds}s`, "--latency", url],
    { encoding: "utf8" },
  );
  const pct = (p: string) => {
    const m = new RegExp(`\\s${p}%\\s+([\\d.]+)(us|ms|s)`).exec(out);
    return m ? toMs(m[1] as string, m[2] as string) : Number.NaN;
  };
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? 0);
  const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(out)?.[1] ?? 0);
  return { rps: Math.round(rps), p50_ms: pct("50"), p99_ms: pct("99"), errors: non2xx };
}

function load(url: string, seconds: number, connections: number): Promise<Record<string, number>> {
  if (HAS_WRK) return wrk(url, seconds, connections);
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", join(import.meta.dirname, "http-load.ts"), url, String(seconds), String(connections)],
      { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] },
    );
    let out = "";
    child.stdout.on("data", (c) => {
      out += String(c);
    });
    child.on("exit", (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`load exited ${code}`))));
  });
}

async function admin(statement: string) {
  const c = new pg.Client({ connectionString: `${PG}/postgres` });
  await c.connect();
  await c.query(statement);
  await c.end();
}

/** Decisions per second of `work`, which makes `count` of them (its result is kept so that it is not optimised away). */
let kept = 0;
function rate(work: () => number, count: number): number {
  const t = performance.now();
  kept += work();
  return count / ((performance.now() - t) / 1000);
}

// Small synchronous functions, so that the engine optimises the loops as a host's hot path would be.
function countCached(ledger: ConsentLedger, keys: readonly string[], passes: number): number {
  let allowed = 0;
  for (let x = 0; x < passes; x++)
    for (const k of keys) for (const p of PURPOSES) if (ledger.decideCached(k, p)?.allowed) allowed++;
  return allowed;
}

function countFloor(floor: Map<string, Map<string, boolean>>, keys: readonly string[], passes: number): number {
  let allowed = 0;
  for (let x = 0; x < passes; x++) for (const k of keys) for (const p of PURPOSES) if (floor.get(k)?.get(p)) allowed++;
  return allowed;
}

export async function run(): Promise<BenchResult> {
  const manifest = await loadManifestDir(EXAMPLE);
  const subjects = arg("subjects", 10_000);
  const events = arg("events", 50_000);
  const seconds = arg("seconds", 3);
  const connections = arg("connections", 8);

  // ── 1 and 2: decisions, on an embedded store ─────────────────────────────────────────────────────────────────────
  const store = await openStore({ inMemory: true });
  const service = await openRequestService({ store, manifest, secret: SECRET, jobs: false });
  const ledger = service.ctx.consent;
  for (let i = 0; i < subjects; i += 500)
    await ledger.record(
      Array.from({ length: Math.min(500, subjects - i) }, (_, k) => ({
        subject: device(i + k),
        purpose: "marketing_email",
        status: (i + k) % 2 ? ("granted" as const) : ("withdrawn" as const),
        method: "banner" as const,
        jurisdiction: "eea",
        actor: "subject",
      })),
    );
  for (let i = 0; i < subjects; i++) for (const p of PURPOSES) await ledger.decide(device(i), p);

  const keys = Array.from({ length: subjects }, (_, i) => device(i));
  // The floor: the same answers in nested Maps (subject → purpose → allowed), the least any cache can do.
  const floor = new Map<string, Map<string, boolean>>();
  for (const k of keys) floor.set(k, new Map(PURPOSES.map((p) => [p, ledger.decideCached(k, p)?.allowed ?? false])));
  const rounds = 7;
  const stewardRates: number[] = [];
  const floorRates: number[] = [];
  // Each round makes at least a million decisions, so that a round lasts long enough to time.
  const passes = Math.max(1, Math.ceil(1_000_000 / (keys.length * PURPOSES.length)));
  for (let r = 0; r < rounds; r++) {
    stewardRates.push(rate(() => countCached(ledger, keys, passes), passes * keys.length * PURPOSES.length));
    floorRates.push(rate(() => countFloor(floor, keys, passes), passes * keys.length * PURPOSES.length));
  }
  const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)] ?? 0;
  const inProcess = median(stewardRates.slice(2));
  const mapFloor = median(floorRates.slice(2));

  const app = await buildServer({ manifest, store, requests: service, logger: false, rateLimitScale: 1e9 });
  await app.listen({ port: 0, host: "127.0.0.1" });
  const stewardUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/api/consent/decision?subject=${encodeURIComponent(device(7))}&purpose=marketing_email`;
  const constant = JSON.stringify(await ledger.decide(device(7), "marketing_email"));
  const bare = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "application/json; charset=utf-8" });
    res.end(constant);
  });
  await new Promise<void>((r) => bare.listen(0, "127.0.0.1", r));
  const bareUrl = `http://127.0.0.1:${(bare.address() as AddressInfo).port}/`;
  await load(stewardUrl, 1, connections);
  await load(bareUrl, 1, connections);
  // Interleaved rounds, the median of each: the machine is shared, and a burst of load then hits both sides alike.
  const stewardRuns: Record<string, number>[] = [];
  const bareRuns: Record<string, number>[] = [];
  for (let r = 0; r < 3; r++) {
    stewardRuns.push(await load(stewardUrl, seconds, connections));
    bareRuns.push(await load(bareUrl, seconds, connections));
  }
  const middle = (runs: Record<string, number>[]) =>
    [...runs].sort((a, b) => (a["rps"] ?? 0) - (b["rps"] ?? 0))[1] ?? {};
  const httpSteward = middle(stewardRuns);
  const httpBare = middle(bareRuns);
  await app.close();
  await new Promise((r) => bare.close(r));
  await service.close();
  await store.close();

  // ── 3: durable events into PostgreSQL, against COPY of the same rows ────────────────────────────────────────────
  const db = `stw_bench_consent_${Date.now().toString(36)}`;
  await admin(`CREATE DATABASE "${db}"`);
  const durable: Record<string, number> = {};
  try {
    const pgStore = await openStore({ databaseUrl: `${PG}/${db}`, poolSize: 4 });
    const pgService = await openRequestService({ store: pgStore, manifest, secret: SECRET, jobs: false });
    const batch = arg("batch", 5_000);
    const write = async (purpose: string, offset: number) => {
      const t = performance.now();
      for (let i = 0; i < events; i += batch)
        await pgService.ctx.consent.record(
          Array.from({ length: Math.min(batch, events - i) }, (_, k) => ({
            subject: device(offset + i + k),
            purpose,
            status: "withdrawn" as const,
            method: "preferences" as const,
            jurisdiction: "us_ca",
            actor: "subject",
          })),
        );
      return performance.now() - t;
    };
    const quiet = await write("surveys", 0);
    const withOutbox = await write("session_replay", events);
    await pgService.close();
    await pgStore.close();

    // The same rows, exported and loaded again with COPY into a table of the same shape — the same columns, checks and
    // indexes; no triggers, no validation, no chain work.
    const dir = mkdtempSync(join(tmpdir(), "steward-bench-"));
    const csv = join(dir, "events.csv");
    const psql = (command: string) =>
      execFileSync("psql", ["-q", "-v", "ON_ERROR_STOP=1", `${PG}/${db}`, "-c", command], { stdio: "pipe" });
    psql(`\\copy (select * from consent_events where purpose = 'surveys' order by seq) to '${csv}' csv`);
    psql("create table copy_reference (like consent_events including all)");
    psql("alter table copy_reference alter column seq drop identity if exists");
    const t = performance.now();
    psql(`\\copy copy_reference from '${csv}' csv`);
    const copyMs = performance.now() - t;
    const counted = Number(
      String(execFileSync("psql", ["-tA", `${PG}/${db}`, "-c", "select count(*) from copy_reference"])).trim(),
    );
    rmSync(dir, { recursive: true, force: true });
    durable["events"] = events;
    durable["copied_rows"] = counted;
    durable["steward_events_per_s"] = Math.round(events / (quiet / 1000));
    durable["steward_events_with_outbox_per_s"] = Math.round(events / (withOutbox / 1000));
    durable["copy_rows_per_s"] = Math.round(counted / (copyMs / 1000));
  } finally {
    await admin(`DROP DATABASE IF EXISTS "${db}" WITH (FORCE)`);
  }

  const ratio = (a: number, b: number) => Number((a / b).toFixed(2));
  return {
    name: "consent",
    figures: {
      in_process_decisions_per_s: Math.round(inProcess),
      map_floor_lookups_per_s: Math.round(mapFloor),
      in_process_goal_met: inProcess >= 2_000_000 ? "yes" : "no",
      http_steward_rps: httpSteward["rps"] ?? 0,
      http_bare_rps: httpBare["rps"] ?? 0,
      http_ratio: ratio(httpSteward["rps"] ?? 0, httpBare["rps"] ?? 1),
      http_steward_p50_ms: httpSteward["p50_ms"] ?? 0,
      http_steward_p99_ms: httpSteward["p99_ms"] ?? 0,
      http_bare_p99_ms: httpBare["p99_ms"] ?? 0,
      http_errors: (httpSteward["errors"] ?? 0) + (httpBare["errors"] ?? 0),
      durable_events_per_s: durable["steward_events_per_s"] ?? 0,
      durable_events_with_outbox_per_s: durable["steward_events_with_outbox_per_s"] ?? 0,
      copy_rows_per_s: durable["copy_rows_per_s"] ?? 0,
      durable_ratio: ratio(durable["steward_events_per_s"] ?? 0, durable["copy_rows_per_s"] ?? 1),
      durable_with_outbox_ratio: ratio(
        durable["steward_events_with_outbox_per_s"] ?? 0,
        durable["copy_rows_per_s"] ?? 1,
      ),
    },
    notes:
      (kept < 0 ? "" : "") +
      `${subjects} subjects × ${PURPOSES.length} purposes, median of ${rounds - 2} rounds after 2 warm-ups; HTTP: ` +
      `${connections} keep-alive connections, 3 interleaved rounds of ${seconds} s each (median), from ${HAS_WRK ? "wrk (one thread)" : "a separate Node load process"}, both servers without ` +
      `request logs; durable: ${events} events per purpose in batches of ${arg("batch", 5_000)} on PostgreSQL vs psql \\copy of the same rows into a table with the same indexes`,
    details: {
      goals: { in_process: 2_000_000, http_ratio: 0.7, http_p99_ms: 5, durable_ratio: 0.5 },
      durable,
      http_rounds: { steward: stewardRuns, bare: bareRuns },
    },
  };
}
