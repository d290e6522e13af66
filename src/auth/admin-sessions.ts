/**
 * The admin console's sessions: signing in with an API key opens one; the browser holds a random session cookie
 * (HttpOnly, SameSite=Strict), the store its sha256 and the form token (CSRF) that every form of the session sends
 * back. A session ends when the operator signs out, when its key is revoked, after `IDLE_MINUTES` without use, or
 * `MAX_HOURS` after it began, whichever is first. Sign-in and sign-out are in the audit trail, naming the key.
 */
import { randomBytes } from "node:crypto";
import type { Kysely } from "kysely";
import { appendAuditEvent } from "../audit/append-audit-event.ts";
import { sameSecret, sha256 } from "../secrets/keyed-hash.ts";
import type { StoreSchema } from "../store/store-schema.ts";
import { authenticate, type Caller } from "./api-keys.ts";

/** A session not used for this long is over. */
export const IDLE_MINUTES = 60;
/** A session is over this long after it began, used or not. */
export const MAX_HOURS = 12;

export interface AdminSession {
  readonly caller: Caller;
  /** The form token the session's forms carry. */
  readonly csrf: string;
}

/** Opens a session for a valid API key; undefined when the key is not one. */
export async function startSession(
  db: Kysely<StoreSchema>,
  key: string,
  now = new Date(),
): Promise<{ cookie: string; session: AdminSession } | undefined> {
  const caller = await authenticate(db, key.trim());
  if (!caller) return undefined;
  const cookie = randomBytes(32).toString("base64url");
  const csrf = randomBytes(24).toString("base64url");
  await db.transaction().execute(async (trx) => {
    // Sessions over for a day are of no use to anyone: they go (the trail keeps the sign-ins).
    await trx
      .deleteFrom("admin_sessions")
      .where((eb) =>
        eb.or([
          eb("expires_at", "<", new Date(now.getTime() - 86_400_000)),
          eb("ended_at", "<", new Date(now.getTime() - 86_400_000)),
          eb("last_seen_at", "<", new Date(now.getTime() - 86_400_000 - IDLE_MINUTES * 60_000)),
        ]),
      )
      .execute();
    await trx
      .insertInto("admin_sessions")
      .values({
        id_hash: sha256(cookie),
        key_id: caller.keyId,
        csrf,
        expires_at: new Date(now.getTime() + MAX_HOURS * 3_600_000),
      })
      .execute();
    await appendAuditEvent(trx, { actor: caller.actor, kind: "session.started", payload: { key: caller.keyId } });
  });
  return { cookie, session: { caller, csrf } };
}

/** The session a cookie opens, or undefined when it is unknown, ended, idle too long, expired, or its key revoked. */
export async function sessionOf(
  db: Kysely<StoreSchema>,
  cookie: string | undefined,
  now = new Date(),
): Promise<AdminSession | undefined> {
  if (!cookie || cookie.length > 100) return undefined;
  const row = await db
    .selectFrom("admin_sessions as s")
    .innerJoin("api_keys as k", "k.id", "s.key_id")
    .select(["s.id_hash", "s.csrf", "s.last_seen_at", "s.expires_at", "k.id as key_id", "k.name", "k.role"])
    .where("s.id_hash", "=", sha256(cookie))
    .where("s.ended_at", "is", null)
    .where("k.revoked_at", "is", null)
    .executeTakeFirst();
  if (!row) return undefined;
  if (row.expires_at <= now || now.getTime() - row.last_seen_at.getTime() > IDLE_MINUTES * 60_000) return undefined;
  await db.updateTable("admin_sessions").set({ last_seen_at: now }).where("id_hash", "=", row.id_hash).execute();
  return {
    caller: { keyId: row.key_id, name: row.name, role: row.role, actor: `key:${row.name}` },
    csrf: row.csrf,
  };
}

/** True when a form's token is the session's (constant-time). */
export const formTokenMatches = (session: AdminSession, sent: unknown): boolean =>
  typeof sent === "string" && sent.length > 0 && sameSecret(sent, session.csrf);

/** Ends the session (signing out); a second call does nothing. */
export async function endSession(db: Kysely<StoreSchema>, cookie: string, actor: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const ended = await trx
      .updateTable("admin_sessions")
      .set({ ended_at: new Date() })
      .where("id_hash", "=", sha256(cookie))
      .where("ended_at", "is", null)
      .returning("key_id")
      .executeTakeFirst();
    if (ended) await appendAuditEvent(trx, { actor, kind: "session.ended", payload: { key: ended.key_id } });
  });
}
