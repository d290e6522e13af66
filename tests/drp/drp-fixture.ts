/**
 * The DRP side of the request service on real parts: the reference deployment seeded small on the local PostgreSQL
 * and MariaDB (tests/requests/service-fixture.ts), the embedded store, a real SMTP server, the request service with a
 * worker and an injected clock, an agent discovery document written to a file for the test agents, and the real HTTP
 * server listening on loopback.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import type { FastifyInstance } from "fastify";
import { buildServer } from "../../src/api/build-server.ts";
import { recordCurrentNotice } from "../../src/api/record-current-notice.ts";
import { drpConfigFromEnv } from "../../src/drp/drp-config.ts";
import { DrpService } from "../../src/drp/drp-service.ts";
import { createMailer } from "../../src/mail/mailer.ts";
import type { Manifest } from "../../src/manifest/types.ts";
import { openRequestService, type RequestService } from "../../src/requests/request-service.ts";
import { openStore } from "../../src/store/open-store.ts";
import type { Store } from "../../src/store/store.ts";
import type { Databases } from "../requests/service-fixture.ts";
import { type SmtpSink, startSmtpSink } from "../requests/smtp-sink.ts";
import { TestAgent } from "./test-agent.ts";

export const BUSINESS_ID = "LEARNING_PLATFORM_TEST";

/** A clock that starts at a fixed instant and runs with real time; `shift` moves it. */
export class TestClock {
  private readonly start = Date.now();
  private offset = 0;
  constructor(private readonly base = Date.parse("2026-12-01T10:00:00.000Z")) {}
  readonly now = (): Date => new Date(this.base + (Date.now() - this.start) + this.offset);
  shift(ms: number): void {
    this.offset += ms;
  }
}

export interface DrpHarness {
  readonly store: Store;
  readonly service: RequestService;
  readonly drp: DrpService;
  readonly app: FastifyInstance;
  readonly smtp: SmtpSink;
  readonly base: string;
  readonly clock: TestClock;
  /** The server's log lines, to scan for personal data. */
  readonly logs: string[];
  /** The agents of the discovery document, by id; `newAgent` makes one that is not listed. */
  readonly agents: Record<string, TestAgent>;
  newAgent(id: string): TestAgent;
  /** Writes the agent discovery document anew, listing these agents (the server reads it again as it changes). */
  writeAgents(list: readonly TestAgent[]): void;
  /** The agent discovery document's path (STEWARD_DRP_AGENTS). */
  readonly agentsFile: string;
  close(): Promise<void>;
}

/**
 * The reference manifest, but Colorado's access requests need the person signed in (verification `account`): what no
 * agent can vouch for.
 */
function withSignedInAccess(manifest: Manifest): Manifest {
  return {
    ...manifest,
    rights: manifest.rights.map((r) =>
      r.jurisdiction === "us_co" ? { ...r, verification: { ...r.verification, access: "account" as const } } : r,
    ),
  };
}

export async function startDrpHarness(d: Databases, agentIds: readonly string[]): Promise<DrpHarness> {
  const clock = new TestClock();
  const manifest = withSignedInAccess(d.manifest);
  const store = await openStore({ inMemory: true });
  await recordCurrentNotice(store, manifest);
  const smtp = await startSmtpSink();
  const service = await openRequestService({
    store,
    manifest,
    secret: { source: "test", bytes: Buffer.alloc(32, 9) },
    mailer: createMailer({ smtpUrl: smtp.url, from: "privacy@example.org" }),
    engine: d.engine,
    // Erasures wait for an operator's approval: the tests follow one through the admin actions.
    config: { publicUrl: "https://privacy.example.org", approvalTypes: ["erasure"] },
    jobs: { pollSeconds: 0.5, maintenanceSeconds: 5, schedule: false },
    now: clock.now,
  });
  await service.startWorker({ sweepSeconds: 3600, retention: false });
  // Placeholders until the server's address is known; the agents are written to the discovery document first.
  const agents: Record<string, TestAgent> = {};
  const pending = agentIds.map((id) => new TestAgent(id, "", BUSINESS_ID, clock.now));
  const dir = mkdtempSync(join(tmpdir(), "steward-drp-"));
  const file = join(dir, "agents.json");
  writeFileSync(
    file,
    JSON.stringify(
      pending.map((a) => a.entry()),
      null,
      2,
    ),
  );
  const config = drpConfigFromEnv(manifest, {
    STEWARD_DRP_AGENTS: file,
    STEWARD_DRP_BUSINESS_ID: BUSINESS_ID,
    STEWARD_DRP_CLOCK_SKEW_SECONDS: "0",
  });
  const drp = await DrpService.open(service, config);
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logs.push(String(chunk));
      done();
    },
  });
  const app = await buildServer({
    manifest,
    store,
    requests: service,
    drp,
    logger: sink,
    rateLimitScale: 100,
  });
  await app.listen({ port: 0, host: "127.0.0.1" });
  const address = app.server.address();
  const base = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  for (const a of pending) {
    a.base = base;
    await a.listen();
    agents[a.id] = a;
  }
  return {
    store,
    service,
    drp,
    app,
    smtp,
    base,
    clock,
    logs,
    agents,
    agentsFile: file,
    newAgent: (id) => new TestAgent(id, base, BUSINESS_ID, clock.now),
    writeAgents: (list) =>
      writeFileSync(
        file,
        JSON.stringify(
          list.map((a) => a.entry()),
          null,
          2,
        ),
      ),
    async close() {
      for (const a of Object.values(agents)) await a.close();
      await app.close();
      await service.close();
      await smtp.close();
      await store.close();
    },
  };
}
