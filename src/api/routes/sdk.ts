/**
 * `GET /sdk.js`, the browser SDK (src/web/sdk/steward-sdk.js, served as written: no build step), and `GET /demo`, a
 * host page that shows it at work.
 */
import { readFileSync } from "node:fs";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { Manifest } from "../../manifest/types.ts";
import { renderDemoPage } from "../../web/demo-page.ts";

const SDK = readFileSync(new URL("../../web/sdk/steward-sdk.js", import.meta.url), "utf8");

export const sdkRoutes =
  (deps: { readonly manifest: Manifest }): FastifyPluginAsyncZod =>
  async (app) => {
    const known = deps.manifest.rights.map((r) => r.jurisdiction);
    app.get(
      "/sdk.js",
      {
        schema: {
          summary:
            "The browser SDK: GPC first, the GPP CMP API, the banner and preferences dialog, and tags gated by purpose.",
          tags: ["consent"],
        },
      },
      async (_request, reply) =>
        reply
          .type("application/javascript; charset=utf-8")
          .header("cache-control", "public, max-age=300")
          .header("access-control-allow-origin", "*")
          .send(SDK),
    );
    app.get(
      "/demo",
      {
        schema: {
          summary: "A demo host page: the learning platform's home page with the SDK, a session-replay and an ad tag.",
          tags: ["consent"],
          querystring: z.object({ jurisdiction: z.string().optional() }),
        },
      },
      async (request, reply) => {
        const j = request.query.jurisdiction;
        return reply
          .type("text/html; charset=utf-8")
          .send(renderDemoPage(deps.manifest, j && known.includes(j) ? j : undefined));
      },
    );
  };
