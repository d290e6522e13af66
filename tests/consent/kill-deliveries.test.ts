/**
 * The consent outbox, proven the hard way: 300 changes queued on a PostgreSQL store, delivered by three real
 * `steward worker` processes to a slow webhook receiver and a slow Mailchimp, while the workers are SIGKILLed at
 * random moments and restarted. At the end every change is delivered, none is lost, and each one's effect happened
 * once: the receiver applies a delivery id once (a repeat after a kill mid-call is acknowledged, not applied), and
 * every Mailchimp member ends unsubscribed.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type FakeMailchimp,
  MAILCHIMP,
  startFakeMailchimp,
  startWebhookReceiver,
  type WebhookReceiver,
} from "../../src/demo/fakes/fake-consent-vendors.ts";
import { loadManifestDir } from "../../src/fs/load-manifest-dir.ts";
import { openRequestService, type RequestService } from "../../src/requests/request-service.ts";
import { openStore } from "../../src/store/open-store.ts";
import type { Store } from "../../src/store/store.ts";
import { PG_SERVER, pgAdmin } from "../scratch-databases.ts";
import { EXAMPLE } from "./consent-fixture.ts";

const ROOT = join(import.meta.dirname, "..", "..");
const PEOPLE = 150;
const WORKERS = 3;
const SECRET = "cd".repeat(32);
const KEYS = { mailchimp: "mc-kill-key", webhook: "whsec_kill_test" };
const storeDb = `stw_killdel_${process.pid}_${Date.now().toString(36)}`;

let store: Store;
let service: RequestService;
let mailchimp: FakeMailchimp;
let hook: WebhookReceiver;

beforeAll(async () => {
  await pgAdmin(`CREATE DATABASE "${storeDb}"`);
  store = await openStore({ databaseUrl: `${PG_SERVER}/${storeDb}` });
  service = await openRequestService({
    store,
    manifest: await loadManifestDir(EXAMPLE),
    secret: { source: "test", bytes: Buffer.from(SECRET, "hex") },
    jobs: false,
  });
  mailchimp = await startFakeMailchimp(KEYS.mailchimp);
  hook = await startWebhookReceiver(KEYS.webhook);
  mailchimp.delay(40);
  hook.delay(40);
}, 60_000);

afterAll(async () => {
  await service?.close();
  await store?.close();
  await mailchimp?.close();
  await hook?.close();
  await pgAdmin(`DROP DATABASE IF EXISTS "${storeDb}" WITH (FORCE)`);
});

function startWorker(): ChildProcess {
  const child = spawn(process.execPath, [join(ROOT, "bin", "steward.js"), "worker", EXAMPLE], {
    cwd: ROOT,
    stdio: ["ignore", "ignore", "pipe"],
    env: {
      ...process.env,
      STEWARD_DATABASE_URL: `${PG_SERVER}/${storeDb}`,
      STEWARD_SECRET: SECRET,
      STEWARD_DELIVERY_LEASE_SECONDS: "2",
      STEWARD_JOB_MAINTENANCE_SECONDS: "3600",
      MAILCHIMP_API_URL: mailchimp.url,
      MAILCHIMP_API_KEY: KEYS.mailchimp,
      MAILCHIMP_LIST_ID: MAILCHIMP.list_id,
      FULLSTORY_CONSENT_WEBHOOK_URL: `${hook.url}/consent`,
      FULLSTORY_CONSENT_WEBHOOK_SECRET: KEYS.webhook,
    },
  });
  child.stderr?.on("data", () => {});
  return child;
}

const pending = async () =>
  Number(
    (
      await store.db
        .selectFrom("consent_deliveries")
        .select((eb) => eb.fn.countAll().as("n"))
        .where("state", "=", "pending")
        .executeTakeFirstOrThrow()
    ).n,
  );

describe("delivery workers killed at random moments", () => {
  it("deliver every change, lose none, and apply each once", async () => {
    const ledger = service.ctx.consent;
    const people = Array.from({ length: PEOPLE }, (_, i) => `person${i}@example.com`);
    // Two changes each: session replay (the signed webhook) and marketing e-mail (Mailchimp), in batches.
    for (let i = 0; i < PEOPLE; i += 25)
      await ledger.record(
        people.slice(i, i + 25).flatMap((email) => [
          {
            subject: `email:${email}`,
            purpose: "session_replay",
            status: "withdrawn" as const,
            method: "preferences" as const,
            jurisdiction: "us_ca",
            actor: "host",
          },
          {
            subject: `email:${email}`,
            purpose: "marketing_email",
            status: "withdrawn" as const,
            method: "preferences" as const,
            jurisdiction: "us_ca",
            actor: "host",
          },
        ]),
      );
    expect(await pending()).toBe(PEOPLE * 2);

    const workers = Array.from({ length: WORKERS }, startWorker);
    let kills = 0;
    const deadline = Date.now() + 120_000;
    let left = await pending();
    while (left > 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 800 + Math.floor(Math.random() * 800)));
      if (left > 30 && kills < 10) {
        const i = Math.floor(Math.random() * WORKERS);
        workers[i]!.kill("SIGKILL");
        kills += 1;
        workers[i] = startWorker();
      }
      left = await pending();
    }
    for (const w of workers) w.kill("SIGTERM");
    await Promise.all(workers.map((w) => new Promise((r) => (w.exitCode !== null ? r(null) : w.once("exit", r)))));
    expect(left, "deliveries still pending").toBe(0);
    expect(kills).toBeGreaterThan(3);

    const rows = await store.db.selectFrom("consent_deliveries").select(["id", "system", "state"]).execute();
    expect(rows.filter((r) => r.state !== "delivered")).toEqual([]);
    const hooks = rows.filter((r) => r.system === "fullstory");
    expect(hooks).toHaveLength(PEOPLE);
    // Every webhook delivery arrived, each applied once.
    expect(hooks.filter((r) => !hook.received.has(r.id))).toEqual([]);
    expect(hook.received.size).toBe(PEOPLE);
    for (const email of people)
      expect(mailchimp.members.get(createHash("md5").update(email).digest("hex"))?.["status"]).toBe("unsubscribed");
    // A repeat happens only when a worker died between the vendor's answer and the mark: few, never more than kills × calls in flight.
    expect(hook.repeats.length).toBeLessThanOrEqual(kills * 4);
    console.log(
      `kill-deliveries: ${kills} kills, ${hook.repeats.length} repeated webhook deliveries (acknowledged, not applied)`,
    );
  }, 180_000);
});
