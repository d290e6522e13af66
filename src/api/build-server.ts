/**
 * The HTTP server as one function of its inputs: `buildServer({manifest, store})` returns a Fastify instance with
 * every route, OpenAPI at /docs and the coded error handling, without opening a port. Tests call `app.inject()`;
 * `startServer` (and thus `steward serve`) calls `listen()`.
 *
 * @example
 *   const app = await buildServer({ manifest, store, logger: false });
 *   const res = await app.inject({ url: "/health" });
 */
import fastifySwagger from "@fastify/swagger";
import fastifySwaggerUi from "@fastify/swagger-ui";
import Fastify, { type FastifyInstance, LogController } from "fastify";
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from "fastify-type-provider-zod";
import type { DestinationStream } from "pino";
import type { Manifest } from "../manifest/types.ts";
import type { Store } from "../store/store.ts";
import { registerErrorHandlers } from "./error-handler.ts";
import { loggerOptions } from "./logger-options.ts";
import { healthRoute } from "./routes/health.ts";
import { manifestRoute } from "./routes/manifest.ts";
import { noticeRoute } from "./routes/notice.ts";
import { noticeVersionsRoute } from "./routes/notice-versions.ts";

export interface ServerOptions {
  readonly manifest: Manifest;
  readonly store: Store;
  /**
   * Where log lines go: `true` (default) → stdout, `false` → nowhere, a stream → that stream (tests read it).
   * Lines are redacted either way (see logger-options.ts).
   */
  readonly logger?: boolean | DestinationStream;
}

/** The docs UI serves its own assets under /docs/…; only its entry page is worth naming in a 404. */
const isListedRoute = (url: string): boolean => !url.includes("*") && !/^\/docs\/./.test(url);

export async function buildServer(options: ServerOptions): Promise<FastifyInstance> {
  const { manifest, store } = options;
  const logger = options.logger ?? true;
  const app = Fastify({
    ...(logger === false ? {} : { logger: loggerOptions(logger === true ? undefined : logger) }),
    // Request ids show up in STW_INTERNAL answers, so a user can quote one and the operator can find the log line.
    logController: new LogController({ requestIdLogLabel: "request_id" }),
  });
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
        description: "Privacy notice, manifest and notice history of this Steward deployment.",
        version: "0.1.0",
      },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, { routePrefix: "/docs" });

  await app.register(healthRoute({ manifest, store }));
  await app.register(noticeRoute({ manifest }));
  await app.register(manifestRoute({ manifest }));
  await app.register(noticeVersionsRoute({ store }));
  return app;
}
