import type { Kysely } from "kysely";
import type { StoreSchema } from "./store-schema.ts";

/**
 * An open store. Only `openStore`/`withStore` make one, so every connection has an owner that closes it.
 */
export interface Store {
  readonly db: Kysely<StoreSchema>;
  readonly backend: "pglite" | "postgres";
  /** Where the store lives, without credentials — safe for messages, logs and `/health`. */
  readonly target: string;
  /** Schema version after opening (and migrating). */
  readonly schemaVersion: number;
  /** Answers whether the backend still responds; never throws. */
  ping(): Promise<{ ok: true } | { ok: false; detail: string }>;
  /** Closes every connection; waits for the query in flight. Safe to call twice. */
  close(): Promise<void>;
}
