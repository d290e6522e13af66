/**
 * `GET /health`: 200 when the store answers, otherwise 503 with the coded reason (the server does not start without a
 * manifest, so a running server always has one). Meant for load balancers and container health checks; it names no
 * paths or credentials.
 */
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { stewardError } from "../../errors.ts";
import type { Manifest } from "../../manifest/types.ts";
import type { Store } from "../../store/store.ts";
import { errorBody } from "../error-body.ts";

const healthy = z.object({
  status: z.literal("ok"),
  store: z.object({ backend: z.enum(["pglite", "postgres"]), schema_version: z.number() }),
  manifest: z.object({ organization: z.string().nullable(), notice_version: z.string().nullable() }),
});

export const healthRoute =
  (deps: { readonly manifest: Manifest; readonly store: Store }): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      "/health",
      {
        schema: {
          summary: "Liveness and readiness: the store answers and a manifest is loaded.",
          response: { 200: healthy, 503: errorBody },
        },
      },
      async (_request, reply) => {
        const { manifest, store } = deps;
        const ping = await store.ping();
        if (!ping.ok) {
          const error = stewardError("STW_STORE_UNREACHABLE", { target: store.backend, detail: ping.detail });
          return reply.status(503).send(error.toJSON());
        }
        return {
          status: "ok" as const,
          store: { backend: store.backend, schema_version: store.schemaVersion },
          manifest: {
            organization: manifest.organization?.name ?? null,
            notice_version: manifest.notice?.version ?? null,
          },
        };
      },
    );
  };
