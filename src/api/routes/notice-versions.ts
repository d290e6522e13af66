/** `GET /api/notice/versions`: every published notice version, newest first (from the store). */
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { stewardError } from "../../errors.ts";
import { ENGLISH } from "../../i18n/translate.ts";
import { type NoticeDiff, sayChange } from "../../notice/diff-notice.ts";
import { listNoticeVersions, noticeVersionText } from "../../store/sql/list-notice-versions.ts";
import type { Store } from "../../store/store.ts";
import { errorBody } from "../error-body.ts";

const versionSchema = z.object({
  version: z.string(),
  effective_date: z.string().describe("YYYY-MM-DD"),
  manifest_hash: z.string().describe("sha256 of the manifest's canonical JSON at publication"),
  published_at: z.iso.datetime(),
  material: z.boolean().nullable().describe("Whether a change against the version published before is material"),
  changes: z
    .array(
      z.object({
        area: z.string(),
        key: z.string(),
        change: z.string(),
        rule: z.string().describe("The materiality rule (src/notice/materiality.ts)"),
        material: z.boolean(),
        reason: z.string(),
        summary: z.string(),
      }),
    )
    .describe("What changed against the version published before it; empty for the first"),
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
        return {
          versions: rows.map((r) => ({
            version: r.version,
            effective_date: r.effective_date,
            manifest_hash: r.manifest_hash,
            published_at: r.published_at.toISOString(),
            material: r.material,
            changes: ((r.diff as NoticeDiff | null)?.changes ?? []).map((c) => ({
              area: c.area,
              key: c.key,
              change: c.change,
              rule: c.rule,
              material: c.material,
              reason: c.reason,
              summary: sayChange(ENGLISH, c),
            })),
          })),
        };
      },
    );
    app.get(
      "/notice/versions/:version",
      {
        schema: {
          summary: "A published notice version exactly as people were shown it (HTML; Markdown with ?format=md).",
          params: z.object({ version: z.string().max(100) }),
          querystring: z.object({ format: z.enum(["html", "md"]).default("html") }),
          response: { 200: z.string(), "4xx": errorBody, "5xx": errorBody },
        },
      },
      async (request, reply) => {
        const found = await noticeVersionText(deps.store.db, request.params.version);
        if (!found) {
          const known = (await listNoticeVersions(deps.store.db)).map((v) => v.version);
          throw stewardError("STW_NOTICE_VERSION_UNKNOWN", { value: request.params.version, allowed: known });
        }
        return request.query.format === "md"
          ? reply.type("text/markdown; charset=utf-8").send(found.rendered_md)
          : reply.type("text/html; charset=utf-8").send(found.rendered_html);
      },
    );
  };
