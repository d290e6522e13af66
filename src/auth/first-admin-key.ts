/**
 * The first sign-in: a store with no active API key gets one admin key when the server starts, written to
 * `<data dir>/first-admin.key` (mode 0600, like `secret.key`) and never printed, so that `npm start` leads to a
 * usable console. Once the operator has made their own keys (`steward keys create`) and revoked this one
 * (`steward keys revoke first-admin`), the file can go; a store that has ever had a key never gets another this way.
 * Two servers starting on one empty store at the same moment may each make one; both are listed by `keys list`.
 */
import { chmod, mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { type Kysely, sql } from "kysely";
import type { StoreSchema } from "../store/store-schema.ts";
import { createApiKey } from "./api-keys.ts";

export const FIRST_KEY_FILE = "first-admin.key";

/**
 * The path of the key file when a key was made now; undefined when the store has ever had a key — an operator who
 * revoked every key meant it, and gets no new one behind their back.
 */
export async function ensureFirstAdminKey(db: Kysely<StoreSchema>, dataDir: string): Promise<string | undefined> {
  const ever = await db.selectFrom("api_keys").select(sql<number>`count(*)::int`.as("n")).executeTakeFirstOrThrow();
  if (Number(ever.n) > 0) return undefined;
  const { key } = await createApiKey(db, { name: "first-admin", role: "admin" }, "serve");
  const path = join(dataDir, FIRST_KEY_FILE);
  await mkdir(dataDir, { recursive: true });
  await writeFile(path, `${key}\n`, { mode: 0o600 });
  // A file left from an earlier store keeps its mode on overwrite: set it again.
  await chmod(path, 0o600);
  return path;
}
