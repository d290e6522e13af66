/** `/assets/steward.css` and `/assets/steward.js`: the pages' one stylesheet and one script, served as written. */
import { readFileSync } from "node:fs";
import type { FastifyPluginAsync } from "fastify";

const asset = (name: string) => readFileSync(new URL(`../../web/assets/${name}`, import.meta.url), "utf8");
const FILES: Readonly<Record<string, { type: string; body: string }>> = {
  "steward.css": { type: "text/css; charset=utf-8", body: asset("steward.css") },
  "steward.js": { type: "application/javascript; charset=utf-8", body: asset("steward.js") },
};

export const webAssetRoutes: FastifyPluginAsync = async (app) => {
  for (const [name, file] of Object.entries(FILES))
    app.get(`/assets/${name}`, { schema: { hide: true } }, async (_request, reply) =>
      reply
        .type(file.type)
        .header("cache-control", "public, max-age=300")
        .header("x-content-type-options", "nosniff")
        .send(file.body),
    );
};
