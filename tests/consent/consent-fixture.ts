/**
 * The consent ledger on real parts: the reference manifest, a store (embedded in memory, or a fresh PostgreSQL
 * database), the request service with a real SMTP server for its mails, and the HTTP server in-process. No engine
 * databases: the requests these tests make change processing, not data.
 */
import { Writable } from "node:stream";
import type { FastifyInstance } from "fastify";
import { SignJWT } from "jose";
import { buildServer } from "../../src/api/build-server.ts";
import { recordCurrentNotice } from "../../src/api/record-current-notice.ts";
import { createApiKey } from "../../src/auth/api-keys.ts";
import type { DelivererOptions } from "../../src/consent/deliver-consent.ts";
import { loadManifestDir } from "../../src/fs/load-manifest-dir.ts";
import { createMailer } from "../../src/mail/mailer.ts";
import type { Manifest } from "../../src/manifest/types.ts";
import { createHostTokens } from "../../src/requests/host-token.ts";
import { openRequestService, type RequestService } from "../../src/requests/request-service.ts";
import type { RequestServiceConfig } from "../../src/requests/service-context.ts";
import { openStore } from "../../src/store/open-store.ts";
import type { Store } from "../../src/store/store.ts";
import type { StoreOptions } from "../../src/store/store-options.ts";
import { type SmtpSink, startSmtpSink } from "../requests/smtp-sink.ts";

export const EXAMPLE = new URL("../../examples/learning-platform", import.meta.url).pathname;
export const SECRET = { source: "test", bytes: Buffer.alloc(32, 9) };
const HOST_KEY = "host-application-signing-key-for-tests-0123456789";

export interface ConsentHarness {
  readonly manifest: Manifest;
  readonly store: Store;
  readonly service: RequestService;
  readonly app: FastifyInstance;
  readonly smtp: SmtpSink;
  readonly logs: string[];
  /** An API key of the role. */
  key(role: "admin" | "approver" | "viewer"): Promise<string>;
  /** The host application's token for a signed-in user. */
  hostToken(claims: { email?: string; sub?: string }): Promise<string>;
  close(): Promise<void>;
}

export async function startConsentHarness(
  storeOptions: StoreOptions = { inMemory: true },
  delivery: Omit<DelivererOptions, "store" | "manifest" | "sealer"> = {},
  config: Partial<RequestServiceConfig> = {},
): Promise<ConsentHarness> {
  const manifest = await loadManifestDir(EXAMPLE);
  const store = await openStore(storeOptions);
  await recordCurrentNotice(store, manifest);
  const smtp = await startSmtpSink();
  const hostTokens = createHostTokens({ key: HOST_KEY });
  if (!hostTokens) throw new Error("no host tokens");
  const service = await openRequestService({
    store,
    manifest,
    secret: SECRET,
    mailer: createMailer({ smtpUrl: smtp.url, from: "privacy@example.org" }),
    hostTokens,
    config: { publicUrl: "https://privacy.example.org", ...config },
    jobs: { pollSeconds: 0.5, maintenanceSeconds: 5, schedule: false },
  });
  await service.startWorker({ sweepSeconds: 3600, retention: false, delivery: { env: {}, ...delivery } });
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logs.push(String(chunk));
      done();
    },
  });
  const app = await buildServer({ manifest, store, requests: service, logger: sink, rateLimitScale: 100 });
  return {
    manifest,
    store,
    service,
    app,
    smtp,
    logs,
    async key(role) {
      return (await createApiKey(store.db, { name: `${role}-${Math.random().toString(36).slice(2, 8)}`, role })).key;
    },
    hostToken(claims) {
      const jwt = new SignJWT({ ...(claims.email ? { email: claims.email } : {}) }).setProtectedHeader({
        alg: "HS256",
      });
      if (claims.sub) jwt.setSubject(claims.sub);
      return jwt.setIssuedAt().setExpirationTime("10m").sign(new TextEncoder().encode(HOST_KEY));
    },
    async close() {
      await app.close();
      await service.close();
      await smtp.close();
      await store.close();
    },
  };
}
