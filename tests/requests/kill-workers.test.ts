/**
 * Durable execution, proven the hard way: 200 erasures on the reference databases, executed by several real
 * `steward worker` processes on a PostgreSQL store, which are SIGKILLed at random moments and restarted. At the end
 * every request is completed exactly once (one completion in the trail each), every target's account is gone, no
 * row of anyone else changed, and the audit chain verifies.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import { SignJWT } from "jose";
import type mysql from "mysql2/promise";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyAuditChain } from "../../src/audit/verify-audit-chain.ts";
import { createHostTokens } from "../../src/requests/host-token.ts";
import { openRequestService, type RequestService } from "../../src/requests/request-service.ts";
import { openStore } from "../../src/store/open-store.ts";
import type { Store } from "../../src/store/store.ts";
import { keysOf, owned, snapshot } from "../engine/reference-rows.ts";
import { PG_SERVER, pgAdmin } from "../scratch-databases.ts";
import { type Databases, EXAMPLE, referenceDatabases } from "./service-fixture.ts";
import { type SmtpSink, startSmtpSink } from "./smtp-sink.ts";

const ROOT = join(import.meta.dirname, "..", "..");
const TARGETS = 200;
const WORKERS = 3;
const HOST_KEY = "host-application-signing-key-for-the-kill-test";
const SECRET = "ab".repeat(32);
const storeDb = `stw_kill_${process.pid}_${Date.now().toString(36)}`;

let d: Databases;
let store: Store;
let service: RequestService;
let smtp: SmtpSink;
let pgc: pg.Client;
let my: mysql.Connection;

beforeAll(async () => {
  d = await referenceDatabases("kill", 320);
  await pgAdmin(`CREATE DATABASE "${storeDb}"`);
  store = await openStore({ databaseUrl: `${PG_SERVER}/${storeDb}` });
  smtp = await startSmtpSink();
  service = await openRequestService({
    store,
    manifest: d.manifest,
    secret: { source: "test", bytes: Buffer.from(SECRET, "hex") },
    hostTokens: createHostTokens({ key: HOST_KEY })!,
    engine: d.engine,
    // The lease is set when a job is enqueued: a killed worker's job is taken over after 4 s instead of 10 minutes.
    jobs: { maintenanceSeconds: 3600, leaseSeconds: 4 },
  });
  pgc = await d.dbs.pg();
  my = await d.dbs.my();
}, 180_000);

afterAll(async () => {
  await pgc?.end();
  await my?.end();
  await service?.close();
  await store?.close();
  await smtp?.close();
  await d?.close();
  await pgAdmin(`DROP DATABASE IF EXISTS "${storeDb}" WITH (FORCE)`);
});

function startWorker(): ChildProcess {
  // No retention sweeps: the reference deployment's clickstream rule runs at :00 and :30 and would (rightly) delete
  // other people's old events in the middle of the test, which then counts them as changed.
  const args = [join(ROOT, "bin", "steward.js"), "worker", EXAMPLE, "--concurrency", "2", "--no-retention"];
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    stdio: ["ignore", "ignore", "pipe"],
    env: {
      ...process.env,
      ...d.engine.env,
      STEWARD_DATABASE_URL: `${PG_SERVER}/${storeDb}`,
      STEWARD_SECRET: SECRET,
      STEWARD_SMTP_URL: smtp.url,
      LEARNING_APP_DATABASE_URL: d.dbs.pgUrl,
      LEARNING_ANALYTICS_DATABASE_URL: d.dbs.myUrl,
      STRIPE_API_URL: d.engine.connections["stripe"]!,
      FULLSTORY_API_URL: d.engine.connections["fullstory"]!,
      // A killed worker's job is taken over after 4 s instead of 10 minutes.
      STEWARD_JOB_LEASE_SECONDS: "4",
      STEWARD_JOB_MAINTENANCE_SECONDS: "1",
    },
  });
  child.stderr?.on("data", () => {});
  return child;
}

describe("workers killed at random moments", () => {
  it("complete 200 erasures exactly once, change no one else's rows, and keep the chain whole", async () => {
    const { rows: targets } = await pgc.query<{ id: string; email: string; device: string | null }>(
      `SELECT u.id::text AS id, u.email, u.mobile_device_id AS device FROM users u
       WHERE NOT EXISTS (SELECT 1 FROM enrollments e WHERE e.user_id = u.id AND e.for_credit)
       ORDER BY u.id LIMIT ${TARGETS}`,
    );
    expect(targets).toHaveLength(TARGETS);
    const ownedKeys = new Set<string>();
    for (const l of targets) for (const k of keysOf(await owned(pgc, my, l))) ownedKeys.add(k);
    const before = await snapshot(pgc, my);

    // Each learner asks while signed in (the host's token verifies them at once): 200 jobs wait on the store.
    const ids: string[] = [];
    for (const l of targets) {
      const token = await new SignJWT({ email: l.email })
        .setProtectedHeader({ alg: "HS256" })
        .setSubject(l.id)
        .setExpirationTime("1h")
        .sign(new TextEncoder().encode(HOST_KEY));
      const { row } = await service.submit({
        type: "erasure",
        identity: { email: l.email },
        jurisdiction: "eea",
        accountToken: token,
      });
      expect(row.status).toBe("in_progress");
      ids.push(row.id);
    }

    const workers: ChildProcess[] = Array.from({ length: WORKERS }, startWorker);
    let kills = 0;
    const deadline = Date.now() + 240_000;
    const open = async () =>
      Number(
        (
          await store.db
            .selectFrom("requests")
            .select((eb) => eb.fn.countAll().as("n"))
            .where("status", "=", "in_progress")
            .executeTakeFirstOrThrow()
        ).n,
      );
    let left = await open();
    while (left > 0 && Date.now() < deadline) {
      // A worker needs about a second to start; killing one every 1.5–3 s leaves the others time to work.
      await new Promise((r) => setTimeout(r, 1500 + Math.floor(Math.random() * 1500)));
      const i = Math.floor(Math.random() * WORKERS);
      // Kill at random moments while most of the work is left, then let the last ones finish.
      if (left > 20 && kills < 12) {
        workers[i]!.kill("SIGKILL");
        kills += 1;
        workers[i] = startWorker();
      }
      left = await open();
    }
    for (const w of workers) w.kill("SIGTERM");
    await Promise.all(workers.map((w) => new Promise((r) => (w.exitCode !== null ? r(null) : w.once("exit", r)))));
    expect(left, "requests still in progress").toBe(0);
    expect(kills).toBeGreaterThan(5);

    const statuses = await store.db.selectFrom("requests").select(["id", "status"]).where("id", "in", ids).execute();
    expect(statuses.filter((s) => s.status !== "completed")).toEqual([]);
    const completions = await store.db
      .selectFrom("audit_events")
      .select(["request_id", (eb) => eb.fn.countAll().as("n")])
      .where("kind", "=", "request.completed")
      .where("request_id", "in", ids)
      .groupBy("request_id")
      .execute();
    expect(completions).toHaveLength(TARGETS);
    expect(completions.filter((c) => Number(c.n) !== 1)).toEqual([]);

    const after = await snapshot(pgc, my);
    const touched = [...before.keys()].filter((k) => after.get(k) !== before.get(k));
    expect(touched.length).toBeGreaterThan(TARGETS);
    expect(
      touched.filter((k) => !ownedKeys.has(k)),
      "rows of other people that changed",
    ).toEqual([]);
    expect(
      [...after.keys()].filter((k) => !before.has(k)),
      "rows that appeared",
    ).toEqual([]);
    // An account other people's rows still refer to is masked instead of deleted: no target's address is left.
    const { rows: still } = await pgc.query("SELECT count(*)::int AS n FROM users WHERE email = ANY($1::text[])", [
      targets.map((t) => t.email),
    ]);
    expect(still[0].n).toBe(0);
    expect(await verifyAuditChain(store.db)).toMatchObject({ ok: true });
  }, 300_000);
});
