/**
 * API keys for the admin routes and their CLI twins. A key is 32 random bytes shown once, when it is made
 * (`stw_…`); the store keeps its sha256 and its first characters, so a stolen database opens nothing. Roles:
 *
 * - `viewer` reads requests, their plans and trails;
 * - `approver` also acts on requests (approve, deny, extend, pause, resume, retry, cancel) and places legal holds;
 * - `admin` also manages keys and records events from the host application.
 */
import { randomBytes } from "node:crypto";
import type { Kysely } from "kysely";
import { appendAuditEvent } from "../audit/append-audit-event.ts";
import { stewardError } from "../errors.ts";
import { sha256 } from "../secrets/keyed-hash.ts";
import type { ApiKeyRole, StoreSchema } from "../store/store-schema.ts";

export const API_KEY_ROLES: readonly ApiKeyRole[] = ["admin", "approver", "viewer"];

/** Which roles may do what a route needs. */
export const ROLES_FOR: Readonly<Record<"read" | "act" | "admin", readonly ApiKeyRole[]>> = {
  read: ["viewer", "approver", "admin"],
  act: ["approver", "admin"],
  admin: ["admin"],
};

export interface ApiKeyInfo {
  readonly id: string;
  readonly name: string;
  readonly role: ApiKeyRole;
  readonly prefix: string;
  readonly created_at: Date;
  readonly last_used_at: Date | null;
}

export interface Caller {
  readonly keyId: string;
  readonly name: string;
  readonly role: ApiKeyRole;
  /** How the trail names the caller. */
  readonly actor: string;
}

export async function createApiKey(
  db: Kysely<StoreSchema>,
  input: { name: string; role: string },
  actor = "cli",
): Promise<{ key: string; info: ApiKeyInfo }> {
  if (!(API_KEY_ROLES as readonly string[]).includes(input.role))
    throw stewardError("STW_CLI_BAD_OPTION", { option: "--role", value: input.role, allowed: API_KEY_ROLES });
  const name = input.name.trim();
  if (!/^[\w.-]{1,64}$/.test(name))
    throw stewardError("STW_CLI_BAD_OPTION", {
      option: "--name",
      value: name,
      allowed: ["1–64 letters, digits, '.', '_' or '-'"],
    });
  const key = `stw_${randomBytes(32).toString("base64url")}`;
  return db.transaction().execute(async (trx) => {
    const info = await trx
      .insertInto("api_keys")
      .values({ name, role: input.role as ApiKeyRole, key_hash: sha256(key), prefix: key.slice(0, 10) })
      .returning(["id", "name", "role", "prefix", "created_at", "last_used_at"])
      .executeTakeFirstOrThrow();
    await appendAuditEvent(trx, { actor, kind: "key.created", payload: { key: info.id, name, role: info.role } });
    return { key, info };
  });
}

export async function listApiKeys(db: Kysely<StoreSchema>): Promise<ApiKeyInfo[]> {
  return db
    .selectFrom("api_keys")
    .select(["id", "name", "role", "prefix", "created_at", "last_used_at"])
    .where("revoked_at", "is", null)
    .orderBy("created_at")
    .execute();
}

/** Revokes a key by its name, id or prefix. */
export async function revokeApiKey(db: Kysely<StoreSchema>, which: string, actor = "cli"): Promise<ApiKeyInfo> {
  const keys = await listApiKeys(db);
  const key = keys.find((k) => k.name === which || k.id === which || k.prefix === which);
  if (!key) throw stewardError("STW_KEY_NOT_FOUND", { value: which, allowed: keys.map((k) => k.name) });
  await db.transaction().execute(async (trx) => {
    await trx.updateTable("api_keys").set({ revoked_at: new Date() }).where("id", "=", key.id).execute();
    await appendAuditEvent(trx, { actor, kind: "key.revoked", payload: { key: key.id, name: key.name } });
  });
  return key;
}

/** The caller a Bearer key belongs to, or undefined when it is not an active key. */
export async function authenticate(db: Kysely<StoreSchema>, key: string): Promise<Caller | undefined> {
  if (!key.startsWith("stw_") || key.length > 100) return undefined;
  const row = await db
    .selectFrom("api_keys")
    .select(["id", "name", "role"])
    .where("key_hash", "=", sha256(key))
    .where("revoked_at", "is", null)
    .executeTakeFirst();
  if (!row) return undefined;
  await db.updateTable("api_keys").set({ last_used_at: new Date() }).where("id", "=", row.id).execute();
  return { keyId: row.id, name: row.name, role: row.role, actor: `key:${row.name}` };
}
