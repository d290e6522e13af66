/**
 * Appends events to the audit trail. The table is append-only (a trigger rejects UPDATE, DELETE and TRUNCATE but for
 * linking and the removal of an expired request's payloads). An event is written with no lock and no hashes; it is
 * chained to the one before it shortly after its transaction commits, by the store's linker
 * (src/audit/link-audit-chain.ts), so that any number of processes on one PostgreSQL extend one chain without their
 * changes waiting on each other.
 *
 * Call it inside the transaction that makes the change it records: the event then exists exactly when the change does.
 * Outside a transaction it opens its own. Inside `auditedTransaction` the events wait for the end of the
 * transaction's work and are written together in one statement, and the store's linker is asked to link them as soon
 * as the transaction commits (elsewhere, its next look, within half a second, finds them).
 *
 * The trail must not itself become a store of personal data: it names requests by id and people not at all. As a
 * last line of defence this refuses payloads with keys that name identities or values that look like e-mail
 * addresses.
 */
import type { Kysely } from "kysely";
import { stewardError } from "../errors.ts";
import type { AuditPayload, StoreSchema } from "../store/store-schema.ts";
import { kickAuditLinker } from "./link-audit-chain.ts";

export interface AuditEventInput {
  /** Who acted: "system", "subject", "worker", or "key:<name>" for an API key — never a person's e-mail. */
  readonly actor: string;
  /** Dotted event name, e.g. "request.received", "request.completed". */
  readonly kind: string;
  readonly request_id?: string;
  readonly payload?: AuditPayload;
}

const PERSONAL_KEYS =
  /^(e-?mail|phone(_number)?|first_name|last_name|full_name|name_value|street|ip(_address)?|password|identities|code)$/i;
const EMAIL_LIKE = /[^\s@]+@[^\s@]+\.[^\s@]+/;

function findPersonal(value: unknown, path: string): string | undefined {
  if (typeof value === "string") return EMAIL_LIKE.test(value) ? path : undefined;
  if (typeof value !== "object" || value === null) return undefined;
  for (const [k, v] of Object.entries(value)) {
    const at = Array.isArray(value) ? `${path}[${k}]` : `${path}.${k}`;
    if (!Array.isArray(value) && PERSONAL_KEYS.test(k)) return at;
    const found = findPersonal(v, at);
    if (found) return found;
  }
  return undefined;
}

/** The events an `auditedTransaction` has been given so far, by its transaction. */
const DEFERRED = new WeakMap<Kysely<StoreSchema>, AuditEventInput[]>();

/** Appends the event and returns its id; inside `auditedTransaction` it is appended at the end (no id yet). */
export async function appendAuditEvent(db: Kysely<StoreSchema>, event: AuditEventInput): Promise<number | undefined> {
  const personal = findPersonal(event.payload ?? {}, "payload") ?? findPersonal(event.actor, "actor");
  if (personal) throw stewardError("STW_AUDIT_PERSONAL_DATA", { path: personal, kind: event.kind });
  const deferred = DEFERRED.get(db);
  if (deferred) {
    deferred.push(event);
    return undefined;
  }
  const ids = await insertEvents(db, [event]);
  if (!db.isTransaction) kickAuditLinker(db);
  return ids[0];
}

/**
 * A transaction whose audit events are written together at the end of `fn`, in the order they were given, just before
 * the commit, and linked into the chain right after it.
 *
 * @example
 *   await auditedTransaction(store.db, async (trx) => moveRequest(trx, row, move, now));
 */
export function auditedTransaction<T>(
  db: Kysely<StoreSchema>,
  fn: (trx: Kysely<StoreSchema>) => Promise<T>,
): Promise<T> {
  let written = false;
  const committed = db.transaction().execute(async (trx) => {
    const events: AuditEventInput[] = [];
    DEFERRED.set(trx, events);
    try {
      const result = await fn(trx);
      DEFERRED.delete(trx);
      if (events.length > 0) await insertEvents(trx, events);
      written = events.length > 0;
      return result;
    } finally {
      DEFERRED.delete(trx);
    }
  });
  return committed.then((result) => {
    if (written) kickAuditLinker(db);
    return result;
  });
}

/** Inserts the events unlinked, in one statement, in the order given; returns their ids. */
async function insertEvents(db: Kysely<StoreSchema>, events: readonly AuditEventInput[]): Promise<number[]> {
  // Milliseconds, as JavaScript keeps them: what the linker hashes is exactly what is stored and read back.
  const at = new Date();
  const rows = events.map((event) => ({
    at,
    actor: event.actor,
    kind: event.kind,
    request_id: event.request_id ?? null,
    payload: JSON.stringify(event.payload ?? {}),
  }));
  const inserted = await db.insertInto("audit_events").values(rows).returning("id").execute();
  return inserted.map((r) => r.id);
}
