/**
 * Migration 6: what a published notice version states (its facts, src/notice/notice-facts.ts) and how it differs
 * from the version published before it (the structured diff with each change's materiality), kept with the version
 * so that later versions are diffed against it without the old manifest. Versions published before this migration
 * have neither; the first version published after it is diffed against nothing.
 */
import { type Kysely, type Migration, sql } from "kysely";

export const migration0006: Migration = {
  // biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was then, not StoreSchema.
  async up(db: Kysely<any>): Promise<void> {
    await sql`alter table notice_versions add column facts jsonb, add column diff jsonb, add column material boolean`.execute(
      db,
    );
  },
};
