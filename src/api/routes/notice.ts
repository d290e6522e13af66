/**
 * `GET /notice`: the public privacy notice as a standalone HTML page, or as Markdown with `?format=md`. Rendered once
 * per format and kept: the manifest of a running server never changes.
 */
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { isStewardError, stewardError } from "../../errors.ts";
import type { Manifest } from "../../manifest/types.ts";
import { NOTICE_FORMATS, type NoticeFormat, renderNotice } from "../../notice/render-notice.ts";
import { errorBody } from "../error-body.ts";

const CONTENT_TYPES: Readonly<Record<NoticeFormat, string>> = {
  html: "text/html; charset=utf-8",
  md: "text/markdown; charset=utf-8",
};

/**
 * Renders, turning any failure into STW_API_NOTICE_UNAVAILABLE (503): a manifest that cannot make a notice is the
 * server's misconfiguration, not the visitor's bad request.
 */
export function renderForServer(manifest: Manifest, format: NoticeFormat): string {
  try {
    return renderNotice(manifest, format);
  } catch (error) {
    const detail = isStewardError(error)
      ? `${error.code}: ${error.detail}`
      : `the renderer failed: ${error instanceof Error ? error.message : String(error)}`;
    throw stewardError("STW_API_NOTICE_UNAVAILABLE", { detail });
  }
}

export const noticeRoute =
  (deps: { readonly manifest: Manifest }): FastifyPluginAsyncZod =>
  async (app) => {
    const cache = new Map<NoticeFormat, string>();
    app.get(
      "/notice",
      {
        schema: {
          summary: "The public privacy notice (HTML by default, Markdown with ?format=md).",
          querystring: z.object({ format: z.enum(NOTICE_FORMATS).default("html") }),
          response: { 200: z.string(), "4xx": errorBody, "5xx": errorBody },
        },
      },
      async (request, reply) => {
        const { format } = request.query;
        let body = cache.get(format);
        if (body === undefined) {
          body = renderForServer(deps.manifest, format);
          cache.set(format, body);
        }
        return reply.type(CONTENT_TYPES[format]).send(body);
      },
    );
  };
