import type { Kysely } from "kysely";
import type { StoreSchema } from "../store-schema.ts";

export interface NoticeVersionSummary {
  readonly version: string;
  readonly effective_date: string;
  readonly manifest_hash: string;
  readonly published_at: Date;
  /** The diff against the version published before it (a NoticeDiff), null for the first one. */
  readonly diff: unknown;
  readonly material: boolean | null;
}

/** Every published notice version, newest first, without the rendered texts (they can be large). */
export async function listNoticeVersions(db: Kysely<StoreSchema>): Promise<NoticeVersionSummary[]> {
  return db
    .selectFrom("notice_versions")
    .select(["version", "effective_date", "manifest_hash", "published_at", "diff", "material"])
    .orderBy("published_at", "desc")
    .orderBy("version", "desc")
    .execute();
}

/** What the version published last (other than `except`) states, when it was kept (migration 6 on). */
export async function latestNoticeFacts(
  db: Kysely<StoreSchema>,
  except: string,
): Promise<{ version: string; facts: unknown } | undefined> {
  const row = await db
    .selectFrom("notice_versions")
    .select(["version", "facts"])
    .where("version", "<>", except)
    .where("facts", "is not", null)
    .orderBy("published_at", "desc")
    .orderBy("version", "desc")
    .executeTakeFirst();
  return row ? { version: row.version, facts: row.facts } : undefined;
}

/** One published version's texts, as people were shown them; undefined when no such version was published. */
export async function noticeVersionText(
  db: Kysely<StoreSchema>,
  version: string,
): Promise<{ rendered_html: string; rendered_md: string; effective_date: string } | undefined> {
  return db
    .selectFrom("notice_versions")
    .select(["rendered_html", "rendered_md", "effective_date"])
    .where("version", "=", version)
    .executeTakeFirst();
}
