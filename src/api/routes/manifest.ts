/**
 * `GET /api/manifest`: the loaded manifest as JSON — the same document `steward export --format json` writes
 * (`manifestToJson`), computed once.
 */
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { manifestToJson } from "../../manifest/to-json.ts";
import type { Manifest } from "../../manifest/types.ts";

export const manifestRoute =
  (deps: { readonly manifest: Manifest }): FastifyPluginAsyncZod =>
  async (app) => {
    const json = manifestToJson(deps.manifest);
    app.get(
      "/api/manifest",
      {
        schema: {
          summary: "The normalised manifest (taxonomy maps as objects, without file locations).",
          response: { 200: z.record(z.string(), z.unknown()) },
        },
      },
      async () => json,
    );
  };
