import type { Kysely } from "kysely";
import type { StoreSchema } from "../store-schema.ts";

export interface NoticeVersionSummary {
  readonly version: string;
  readonly effective_date: string;
  readonly manifest_hash: string;
  readonly published_at: Date;
}

/** Every published notice version, newest first, without the rendered texts (they can be large). */
export async function listNoticeVersions(db: Kysely<StoreSchema>): Promise<NoticeVersionSummary[]> {
  return db
    .selectFrom("notice_versions")
    .select(["version", "effective_date", "manifest_hash", "published_at"])
    .orderBy("published_at", "desc")
    .orderBy("version", "desc")
    .execute();
}
