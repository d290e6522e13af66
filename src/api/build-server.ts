/**
 * The HTTP server as one function of its inputs: `buildServer({manifest, store})` returns a Fastify instance with
 * every route, OpenAPI at /docs and the coded error handling, without opening a port. Tests call `app.inject()`;
 * `startServer` (and thus `steward serve`) calls `listen()`.
 *
 * @example
 *   const app = await buildServer({ manifest, store, logger: false });
 *   const res = await app.inject({ url: "/health" });
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import fastifyCookie from "@fastify/cookie";
import fastifyFormBody from "@fastify/formbody";
import fastifyRateLimit from "@fastify/rate-limit";
import fastifySwagger from "@fastify/swagger";
import fastifySwaggerUi from "@fastify/swagger-ui";
import Fastify, { type FastifyInstance, LogController } from "fastify";
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from "fastify-type-provider-zod";
import type { DestinationStream } from "pino";
import type { DrpService } from "../drp/drp-service.ts";
import { stewardError } from "../errors.ts";
import type { Manifest } from "../manifest/types.ts";
import type { RequestService } from "../requests/request-service.ts";
import type { Store } from "../store/store.ts";
import { registerErrorHandlers } from "./error-handler.ts";
import { fastDecision } from "./fast-decision.ts";
import { loggerOptions } from "./logger-options.ts";
import { CONSENT_READS_PER_MINUTE, ReadLimit } from "./read-limit.ts";
import { adminConsentRoutes } from "./routes/admin-consent.ts";
import { adminConsoleRoutes } from "./routes/admin-console.ts";
import { adminKeyRoutes } from "./routes/admin-keys.ts";
import { adminRequestRoutes } from "./routes/admin-requests.ts";
import { consentRoutes } from "./routes/consent.ts";
import { drpRoutes } from "./routes/drp.ts";
import { healthRoute } from "./routes/health.ts";
import { manifestRoute } from "./routes/manifest.ts";
import { noticeRoute } from "./routes/notice.ts";
import { noticeVersionsRoute } from "./routes/notice-versions.ts";
import { privacyCenterRoutes } from "./routes/privacy-center.ts";
import { requestRoutes } from "./routes/requests.ts";
import { sdkRoutes } from "./routes/sdk.ts";
import { webAssetRoutes } from "./routes/web-assets.ts";

export interface ServerOptions {
  readonly manifest: Manifest;
  readonly store: Store;
  /**
   * Where log lines go: `true` (default) → stdout, `false` → nowhere, a stream → that stream (tests read it).
   * Lines are redacted either way (see logger-options.ts).
   */
  readonly logger?: boolean | DestinationStream;
  /** The request service (and its consent ledger); without it the request, consent and admin routes are not served. */
  readonly requests?: RequestService;
  /**
   * Multiplies every public route's rate limit (requests per minute per client). Default 1; a test that sends many
   * requests from one address raises it.
   */
  readonly rateLimitScale?: number;
  /**
   * A token the CLI on this machine may use instead of an API key, as an admin (src/auth/local-admin.ts). Default
   * none; `startServer` makes one when the store is embedded.
   */
  readonly localAdminToken?: string;
  /** The Data Rights Protocol service (src/drp/); without it the /v1/ DRP routes are not served. */
  readonly drp?: DrpService;
}

/** The docs UI serves its own assets under /docs/…; only its entry page is worth naming in a 404. */
const isListedRoute = (url: string): boolean => !url.includes("*") && !/^\/docs\/./.test(url);

/** `STEWARD_CONSENT_ORIGINS`: `*` (the default) or a comma-separated list of the host sites' origins. */
const consentOrigins = (value: string | undefined): "*" | string[] =>
  !value || value.trim() === "*"
    ? "*"
    : value
        .split(",")
        .map((o) => o.trim().replace(/\/+$/, ""))
        .filter(Boolean);

export async function buildServer(options: ServerOptions): Promise<FastifyInstance> {
  const { manifest, store } = options;
  const logger = options.logger ?? true;
  const consent = options.requests?.ctx.consent;
  // One read budget per client address for the consent API's reads, shared by the fast path and the routes.
  const readLimit = new ReadLimit(Math.max(1, Math.round(CONSENT_READS_PER_MINUTE * (options.rateLimitScale ?? 1))));
  const app = Fastify({
    ...(logger === false ? {} : { logger: loggerOptions(logger === true ? undefined : logger) }),
    // Cached decisions for browsers are answered before Fastify (src/api/fast-decision.ts); the rest goes through it.
    ...(consent
      ? {
          serverFactory: (handler: (req: IncomingMessage, res: ServerResponse) => void) => {
            const server = createServer((req, res) => {
              if (!fastDecision(consent, req, res, readLimit)) handler(req, res);
            });
            // Fastify's own defaults, which it does not apply to a server it did not make.
            server.keepAliveTimeout = 72_000;
            return server;
          },
        }
      : {}),
    // Request ids show up in STW_INTERNAL answers, so a user can quote one and the operator can find the log line.
    logController: new LogController({ requestIdLogLabel: "request_id" }),
  });
  app.decorate("localAdminToken", options.localAdminToken);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  const routes = new Set<string>();
  app.addHook("onRoute", (route) => {
    if (isListedRoute(route.url) && route.method !== "HEAD") routes.add(route.url);
  });
  registerErrorHandlers(app, () => [...routes].sort());

  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: `Steward API${manifest.organization ? ` — ${manifest.organization.name}` : ""}`,
        description:
          "Privacy notice, manifest and notice history of this Steward deployment; data-subject requests (intake, " +
          "verification, status, package); the consent ledger (choices, decisions, Global Privacy Control); and the " +
          "operators' admin API (Bearer API key with a role); the Data Rights Protocol 1.0 for authorized agents (/v1/).",
        version: "0.1.0",
      },
      components: {
        securitySchemes: {
          apiKey: { type: "http", scheme: "bearer", description: "An API key from `steward keys create`" },
        },
      },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, { routePrefix: "/docs" });

  await app.register(healthRoute({ manifest, store }));
  await app.register(noticeRoute({ manifest }));
  await app.register(manifestRoute({ manifest }));
  await app.register(noticeVersionsRoute({ store }));
  if (options.requests) {
    // Limits per client address on the public routes that take them (config.rateLimit); the address is not logged.
    await app.register(fastifyRateLimit, {
      global: false,
      errorResponseBuilder: (_request, context) =>
        stewardError("STW_API_RATE_LIMITED", { seconds: Math.ceil(context.ttl / 1000) }),
    });
    await app.register(requestRoutes({ requests: options.requests, rateLimitScale: options.rateLimitScale ?? 1 }));
    await app.register(adminRequestRoutes({ requests: options.requests, store }));
    await app.register(adminKeyRoutes({ store }));
    await app.register(
      consentRoutes({
        consent: options.requests.ctx.consent,
        hostTokens: options.requests.ctx.hostTokens,
        rateLimitScale: options.rateLimitScale ?? 1,
        readLimit,
        origins: consentOrigins(process.env["STEWARD_CONSENT_ORIGINS"]),
      }),
    );
    await app.register(adminConsentRoutes({ consent: options.requests.ctx.consent, store }));
    if (options.drp) {
      // The agent list is read again while the server runs, and no more once it closes.
      const agents = options.drp.agents;
      agents.startRefreshing(options.drp.config.agentsRefreshSeconds, app.log);
      app.addHook("onClose", async () => agents.stop());
    }
    if (options.drp)
      await app.register(
        drpRoutes({
          drp: options.drp,
          publicUrl: options.requests.ctx.config.publicUrl,
          rateLimitScale: options.rateLimitScale ?? 1,
        }),
      );
    await app.register(sdkRoutes({ manifest }));
    // The two web faces: the privacy center at / and the admin console at /admin (server-rendered, strict CSP).
    await app.register(fastifyCookie);
    await app.register(fastifyFormBody, { bodyLimit: 64 * 1024 });
    await app.register(webAssetRoutes);
    await app.register(
      privacyCenterRoutes({
        requests: options.requests,
        rateLimitScale: options.rateLimitScale ?? 1,
        drp: options.drp,
      }),
    );
    await app.register(adminConsoleRoutes({ requests: options.requests, rateLimitScale: options.rateLimitScale ?? 1 }));
  }
  return app;
}
