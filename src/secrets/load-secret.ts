/**
 * The service's one secret: 32 random bytes from which every key is derived (sealing identities and packages,
 * hashing subjects and codes, signing links). From `STEWARD_SECRET` (64 hex characters or base64 of 32 bytes) when
 * set; otherwise from `<data dir>/secret.key`, created on first start with mode 0600, so `npm start` needs nothing.
 *
 * Every process that shares a store must share the secret (set `STEWARD_SECRET` on each host of a PostgreSQL
 * deployment). The store remembers a fingerprint of the first secret it saw, and `checkSecret` refuses another one
 * with STW_SECRET_MISMATCH rather than let a process write what the others cannot read.
 */
import { createHmac, randomBytes } from "node:crypto";
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { Kysely } from "kysely";
import { stewardError } from "../errors.ts";
import { DEFAULT_DATA_DIR } from "../store/store-options.ts";
import type { StoreSchema } from "../store/store-schema.ts";

export interface Secret {
  /** Where it came from, for messages: "STEWARD_SECRET" or the file's path. */
  readonly source: string;
  readonly bytes: Buffer;
}

function parse(text: string, source: string): Buffer {
  const t = text.trim();
  const bytes = /^[0-9a-f]{64}$/i.test(t) ? Buffer.from(t, "hex") : Buffer.from(t, "base64");
  if (bytes.length !== 32) throw stewardError("STW_SECRET_INVALID", { source });
  return bytes;
}

export async function loadSecret(
  options: { readonly dataDir?: string } = {},
  env: NodeJS.ProcessEnv = process.env,
): Promise<Secret> {
  const fromEnv = env["STEWARD_SECRET"];
  if (fromEnv) return { source: "STEWARD_SECRET", bytes: parse(fromEnv, "STEWARD_SECRET") };
  const dir = resolve(options.dataDir ?? DEFAULT_DATA_DIR);
  const path = join(dir, "secret.key");
  try {
    return { source: path, bytes: parse(await readFile(path, "utf8"), path) };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  await mkdir(dir, { recursive: true });
  try {
    // "wx": two processes starting at once cannot both write one.
    await writeFile(path, `${randomBytes(32).toString("hex")}\n`, { mode: 0o600, flag: "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  await chmod(path, 0o600);
  return { source: path, bytes: parse(await readFile(path, "utf8"), path) };
}

/** A key for one use, derived from the secret: the same secret never keys two different things. */
export function deriveKey(secret: Secret, use: string): Buffer {
  return createHmac("sha256", secret.bytes).update(`steward:${use}`).digest();
}

/** Records the secret's fingerprint in the store on first use; refuses a different secret afterwards. */
export async function checkSecret(db: Kysely<StoreSchema>, secret: Secret): Promise<void> {
  const fingerprint = deriveKey(secret, "fingerprint").toString("hex").slice(0, 16);
  await db
    .insertInto("settings")
    .values({ key: "secret_fingerprint", value: fingerprint })
    .onConflict((oc) => oc.column("key").doNothing())
    .execute();
  const row = await db
    .selectFrom("settings")
    .select("value")
    .where("key", "=", "secret_fingerprint")
    .executeTakeFirstOrThrow();
  if (row.value !== fingerprint) throw stewardError("STW_SECRET_MISMATCH", { source: secret.source });
}
