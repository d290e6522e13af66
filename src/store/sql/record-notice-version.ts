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
  /** What the version states, and its diff against the version before it (JSON-serialisable). */
  readonly facts?: unknown;
  readonly diff?: { readonly material: boolean } | null;
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
    .values({
      version: input.version,
      effective_date: input.effective_date,
      manifest_hash: input.manifest_hash,
      rendered_md: input.rendered_md,
      rendered_html: input.rendered_html,
      facts: input.facts === undefined ? null : JSON.stringify(input.facts),
      diff: input.diff ? JSON.stringify(input.diff) : null,
      material: input.diff ? input.diff.material : null,
    })
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
