/**
 * At start, the server publishes the manifest's notice version into the store (once; later starts find it there).
 * A manifest without `notice:` (or one the renderer refuses) has nothing to publish; the server still starts and
 * `/notice` reports why.
 */
import { isStewardError } from "../errors.ts";
import type { Manifest } from "../manifest/types.ts";
import { diffNotice, type NoticeDiff } from "../notice/diff-notice.ts";
import { type NoticeFacts, noticeFacts } from "../notice/notice-facts.ts";
import { manifestHash } from "../store/manifest-hash.ts";
import { latestNoticeFacts } from "../store/sql/list-notice-versions.ts";
import { type RecordNoticeOutcome, recordNoticeVersion } from "../store/sql/record-notice-version.ts";
import type { Store } from "../store/store.ts";
import { renderForServer } from "./routes/notice.ts";

export type CurrentNoticeOutcome =
  | (RecordNoticeOutcome & {
      readonly version: string;
      readonly manifest_hash: string;
      /** Against the version published before (when it kept its facts); null for the first. */
      readonly diff: NoticeDiff | null;
    })
  | { readonly outcome: "skipped"; readonly reason: string };

export async function recordCurrentNotice(store: Store, manifest: Manifest): Promise<CurrentNoticeOutcome> {
  const notice = manifest.notice;
  if (!notice) return { outcome: "skipped", reason: "the manifest has no `notice:`" };
  let rendered_md: string;
  let rendered_html: string;
  try {
    rendered_md = renderForServer(manifest, "md");
    rendered_html = renderForServer(manifest, "html");
  } catch (error) {
    if (isStewardError(error)) return { outcome: "skipped", reason: error.detail };
    throw error;
  }
  const manifest_hash = manifestHash(manifest);
  // What this version states, and — against the version published before it — what changed and whether it matters.
  const facts = noticeFacts(manifest);
  const previous = await latestNoticeFacts(store.db, notice.version);
  const diff = previous ? diffNotice(previous.facts as NoticeFacts, facts) : null;
  const result = await recordNoticeVersion(store.db, {
    version: notice.version,
    effective_date: notice.effective_date,
    manifest_hash,
    rendered_md,
    rendered_html,
    facts,
    diff,
  });
  return { ...result, version: notice.version, manifest_hash, diff };
}
