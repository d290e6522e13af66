/**
 * The one entry point the CLI (`steward notice render`) and the HTTP server (`GET /notice`) call to turn a manifest
 * into its public privacy notice.
 */
import type { Manifest } from "../manifest/types.ts";
import { buildNotice } from "./build-notice.ts";
import { formatNoticeHtml } from "./format-notice-html.ts";
import { formatNoticeMarkdown } from "./format-notice-markdown.ts";

export type NoticeFormat = "md" | "html";
export const NOTICE_FORMATS: readonly NoticeFormat[] = ["md", "html"];

/**
 * Renders the notice: Markdown, or a complete standalone HTML page.
 *
 * @throws STW_MANIFEST_MISSING_ORGANIZATION / STW_MANIFEST_MISSING_NOTICE when the manifest cannot make a notice.
 * @example
 *   reply.type("text/html").send(renderNotice(manifest, "html"));
 */
export function renderNotice(manifest: Manifest, format: NoticeFormat): string {
  const doc = buildNotice(manifest);
  return format === "html" ? formatNoticeHtml(doc) : formatNoticeMarkdown(doc);
}
