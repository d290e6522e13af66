/** `GET /api/notice/versions`: every published notice version, newest first (from the store). */
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { stewardError } from "../../errors.ts";
import { listNoticeVersions } from "../../store/sql/list-notice-versions.ts";
import type { Store } from "../../store/store.ts";
import { errorBody } from "../error-body.ts";

const versionSchema = z.object({
  version: z.string(),
  effective_date: z.string().describe("YYYY-MM-DD"),
  manifest_hash: z.string().describe("sha256 of the manifest's canonical JSON at publication"),
  published_at: z.iso.datetime(),
});

export const noticeVersionsRoute =
  (deps: { readonly store: Store }): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      "/api/notice/versions",
      {
        schema: {
          summary: "Published notice versions, newest first.",
          response: { 200: z.object({ versions: z.array(versionSchema) }), "5xx": errorBody },
        },
      },
      async () => {
        const rows = await listNoticeVersions(deps.store.db).catch(async (error: unknown) => {
          // A lost database is the caller's business (503); any other failure is a bug (500, via the error handler).
          const ping = await deps.store.ping();
          if (ping.ok) throw error;
          throw stewardError("STW_STORE_UNREACHABLE", { target: deps.store.backend, detail: ping.detail });
        });
        return { versions: rows.map((r) => ({ ...r, published_at: r.published_at.toISOString() })) };
      },
    );
  };
