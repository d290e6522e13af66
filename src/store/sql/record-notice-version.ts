/**
 * Publishes a notice version once. Idempotent: recording the same version with the same manifest hash again changes
 * nothing. Recording a version that exists with a *different* hash is reported as a conflict and changes nothing either —
 * a published version is immutable, so a changed manifest needs a new `notice.version`.
 */
import type { Kysely } from "kysely";
import type { StoreSchema } from "../store-schema.ts";

export interface NoticeVersionInput {
  readonly version: string;
  /** `YYYY-MM-DD`. */
  readonly effective_date: string;
  readonly manifest_hash: string;
  readonly rendered_md: string;
  readonly rendered_html: string;
}

export type RecordNoticeOutcome =
  | { readonly outcome: "recorded"; readonly published_at: Date }
  | { readonly outcome: "unchanged"; readonly published_at: Date }
  | { readonly outcome: "conflict"; readonly published_at: Date; readonly recorded_hash: string };

export async function recordNoticeVersion(
  db: Kysely<StoreSchema>,
  input: NoticeVersionInput,
): Promise<RecordNoticeOutcome> {
  const inserted = await db
    .insertInto("notice_versions")
    .values({ ...input })
    .onConflict((oc) => oc.column("version").doNothing())
    .returning("published_at")
    .executeTakeFirst();
  if (inserted) return { outcome: "recorded", published_at: inserted.published_at };
  const existing = await db
    .selectFrom("notice_versions")
    .select(["manifest_hash", "published_at"])
    .where("version", "=", input.version)
    .executeTakeFirstOrThrow();
  return existing.manifest_hash === input.manifest_hash
    ? { outcome: "unchanged", published_at: existing.published_at }
    : { outcome: "conflict", published_at: existing.published_at, recorded_hash: existing.manifest_hash };
}
