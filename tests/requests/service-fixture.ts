/**
 * The request service on real parts for the tests: an in-memory embedded store, the reference deployment's
 * databases seeded small on the local PostgreSQL and MariaDB, the fake Stripe and FullStory, a real SMTP server, and
 * the HTTP server built in-process (requests go through `app.inject`). Log lines are kept, to scan them.
 */
import { Writable } from "node:stream";
import type { FastifyInstance } from "fastify";
import { buildServer } from "../../src/api/build-server.ts";
import { recordCurrentNotice } from "../../src/api/record-current-notice.ts";
import { type FakeFullStory, startFakeFullStory } from "../../src/demo/fakes/fake-fullstory.ts";
import { type FakeStripe, startFakeStripe } from "../../src/demo/fakes/fake-stripe.ts";
import { seedDemo } from "../../src/demo/seed-demo.ts";
import { loadManifestDir } from "../../src/fs/load-manifest-dir.ts";
import { createMailer } from "../../src/mail/mailer.ts";
import type { Manifest } from "../../src/manifest/types.ts";
import type { HostTokens } from "../../src/requests/host-token.ts";
import { openRequestService, type RequestService } from "../../src/requests/request-service.ts";
import type { RequestServiceConfig } from "../../src/requests/service-context.ts";
import { openStore } from "../../src/store/open-store.ts";
import type { Store } from "../../src/store/store.ts";
import { type DemoDatabases, demoDatabases } from "../demo/demo-databases.ts";
import { type SmtpSink, startSmtpSink } from "./smtp-sink.ts";

export const EXAMPLE = new URL("../../examples/learning-platform", import.meta.url).pathname;
const SECRETS = { STRIPE_SECRET_KEY: "sk_test_reference", FULLSTORY_API_KEY: "fs-reference-key" };

export interface Databases {
  readonly dbs: DemoDatabases;
  readonly stripe: FakeStripe;
  readonly fullstory: FakeFullStory;
  readonly manifest: Manifest;
  readonly engine: { connections: Record<string, string>; env: Record<string, string> };
  close(): Promise<void>;
}

export async function referenceDatabases(label: string, learners = 60): Promise<Databases> {
  const dbs = demoDatabases(label);
  await seedDemo({ learners, seed: 7, postgresUrl: dbs.pgUrl, mysqlUrl: dbs.myUrl });
  const stripe = await startFakeStripe(SECRETS.STRIPE_SECRET_KEY);
  const fullstory = await startFakeFullStory(SECRETS.FULLSTORY_API_KEY);
  const manifest = await loadManifestDir(EXAMPLE);
  return {
    dbs,
    stripe,
    fullstory,
    manifest,
    engine: {
      connections: {
        learning_app: dbs.pgUrl,
        learning_analytics: dbs.myUrl,
        stripe: stripe.url,
        fullstory: fullstory.url,
      },
      env: SECRETS,
    },
    async close() {
      await stripe.close();
      await fullstory.close();
      await dbs.drop();
    },
  };
}

export interface Harness {
  readonly store: Store;
  readonly service: RequestService;
  readonly app: FastifyInstance;
  readonly smtp: SmtpSink;
  readonly logs: string[];
  close(): Promise<void>;
}

export async function startHarness(
  d: Databases,
  options: {
    config?: Partial<RequestServiceConfig>;
    hostTokens?: HostTokens;
    worker?: boolean;
    /** Schedule and take the retention sweeps (off by default: a sweep at its hour would change the test's data). */
    retention?: boolean;
    /** The service's clock (default the real one). */
    now?: () => Date;
  } = {},
): Promise<Harness> {
  const store = await openStore({ inMemory: true });
  await recordCurrentNotice(store, d.manifest);
  const smtp = await startSmtpSink();
  const service = await openRequestService({
    store,
    manifest: d.manifest,
    secret: { source: "test", bytes: Buffer.alloc(32, 7) },
    mailer: createMailer({ smtpUrl: smtp.url, from: "privacy@example.org" }),
    engine: d.engine,
    config: { publicUrl: "https://privacy.example.org", ...options.config },
    jobs: { pollSeconds: 0.5, maintenanceSeconds: 5, schedule: options.retention ?? false },
    ...(options.hostTokens ? { hostTokens: options.hostTokens } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
  if (options.worker !== false)
    await service.startWorker({ sweepSeconds: 3600, retention: options.retention ?? false });
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logs.push(String(chunk));
      done();
    },
  });
  const app = await buildServer({ manifest: d.manifest, store, requests: service, logger: sink, rateLimitScale: 100 });
  return {
    store,
    service,
    app,
    smtp,
    logs,
    async close() {
      await app.close();
      await service.close();
      await smtp.close();
      await store.close();
    },
  };
}

/** Polls the person's status until it leaves the working states. */
export async function settle(
  h: Harness,
  id: string,
  token: string,
  timeoutMs = 60_000,
): Promise<Record<string, unknown>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await h.app.inject({ url: `/api/requests/${id}`, headers: { authorization: `Bearer ${token}` } });
    const body = res.json() as Record<string, unknown>;
    if (!["received", "awaiting_verification", "verified", "in_progress"].includes(String(body["status"]))) return body;
    if (Date.now() > deadline) throw new Error(`request ${id} still ${String(body["status"])} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * A learner of the seeded PostgreSQL no other case used (`used` keeps track), with nothing kept for credit, so that
 * an erasure deletes their account: id, e-mail and first name.
 */
export async function unusedLearner(
  client: { query: (sql: string) => Promise<{ rows: { id: string; email: string; first_name: string }[] }> },
  used: Set<string>,
): Promise<{ id: string; email: string; first_name: string }> {
  const { rows } = await client.query(
    "SELECT u.id::text AS id, u.email, u.first_name FROM users u WHERE NOT u.deleted AND NOT EXISTS " +
      "(SELECT 1 FROM enrollments e WHERE e.user_id = u.id AND e.for_credit) ORDER BY u.id",
  );
  const found = rows.find((r) => !used.has(r.email));
  if (!found) throw new Error("no learner left");
  used.add(found.email);
  return found;
}
