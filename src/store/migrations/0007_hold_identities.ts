/**
 * Migration 7: a legal hold keeps the held person's identities, sealed with the store's secret (as a request keeps
 * them), so that a retention sweep can find that person's rows and leave them alone. Holds placed before this
 * migration have none: they still stop erasure requests (by their hashes), and the sweep reports them as unresolved.
 */
import type { Kysely, Migration } from "kysely";

export const migration0007: Migration = {
  // biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was then, not StoreSchema.
  async up(db: Kysely<any>): Promise<void> {
    await db.schema.alterTable("legal_holds").addColumn("identities_enc", "text").execute();
  },
};
