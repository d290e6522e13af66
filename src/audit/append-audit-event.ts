/**
 * Appends one event to the audit trail, chained to the one before it (src/audit/audit-hash.ts). The table is
 * append-only (a trigger rejects UPDATE, DELETE and TRUNCATE), and appends are serialised by a transaction-scoped
 * advisory lock, so that any number of processes on one PostgreSQL extend one chain.
 *
 * Call it inside the transaction that makes the change it records: the event then exists exactly when the change does.
 * Outside a transaction it opens its own. Inside `auditedTransaction` the events wait for the end of the
 * transaction's work and are appended together just before it commits: the chain's lock is held from there to the
 * commit, not from the first event on. Every audited change of every process queues on that lock, so how long it is
 * held bounds how many changes a second the whole service makes (the `requests` benchmark: mostly waiting on it).
 *
 * The trail must not itself become a store of personal data: it names requests by id and people not at all. As a
 * last line of defence this refuses payloads with keys that name identities or values that look like e-mail
 * addresses.
 */
import { type Kysely, sql } from "kysely";
import { stewardError } from "../errors.ts";
import type { AuditPayload, StoreSchema } from "../store/store-schema.ts";
import { chainHash } from "./audit-hash.ts";

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

/** A fixed key for `pg_advisory_xact_lock`: "steward audit" in ASCII, folded into a bigint. */
const CHAIN_LOCK = 0x5374657761726441n;

/** Takes the chain's lock for the rest of the transaction `trx` (appends, and the removal of payloads, wait for it). */
export async function lockAuditChain(trx: Kysely<StoreSchema>): Promise<void> {
  await sql`select pg_advisory_xact_lock(${CHAIN_LOCK.toString()}::bigint)`.execute(trx);
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
  const ids = db.isTransaction
    ? await appendEvents(db, [event])
    : await db.transaction().execute((trx) => appendEvents(trx, [event]));
  return ids[0];
}

/**
 * A transaction whose audit events are appended together at the end of `fn`, in the order they were given, just
 * before the commit. Use it where a transaction does more than record: its other statements then run before the
 * chain's lock is taken.
 *
 * @example
 *   await auditedTransaction(store.db, async (trx) => moveRequest(trx, row, move, now));
 */
export function auditedTransaction<T>(
  db: Kysely<StoreSchema>,
  fn: (trx: Kysely<StoreSchema>) => Promise<T>,
): Promise<T> {
  return db.transaction().execute(async (trx) => {
    const events: AuditEventInput[] = [];
    DEFERRED.set(trx, events);
    try {
      const result = await fn(trx);
      DEFERRED.delete(trx);
      if (events.length > 0) await appendEvents(trx, events);
      return result;
    } finally {
      DEFERRED.delete(trx);
    }
  });
}

/** Takes the chain's lock, reads its last hash, and inserts the events chained in one statement; returns their ids. */
async function appendEvents(db: Kysely<StoreSchema>, events: readonly AuditEventInput[]): Promise<number[]> {
  await lockAuditChain(db);
  const last = await db.selectFrom("audit_events").select("hash").orderBy("id", "desc").limit(1).executeTakeFirst();
  let previous = last?.hash ?? "";
  // Milliseconds, as JavaScript keeps them: what is hashed is exactly what is stored and read back.
  const at = new Date();
  const rows = events.map((event) => {
    const payload = event.payload ?? {};
    const hash = chainHash(previous, {
      at: at.toISOString(),
      actor: event.actor,
      kind: event.kind,
      request_id: event.request_id ?? null,
      payload: JSON.parse(JSON.stringify(payload)),
    });
    const row = {
      at,
      actor: event.actor,
      kind: event.kind,
      request_id: event.request_id ?? null,
      payload: JSON.stringify(payload),
      prev_hash: previous,
      hash,
    };
    previous = hash;
    return row;
  });
  const inserted = await db.insertInto("audit_events").values(rows).returning("id").execute();
  return inserted.map((r) => r.id);
}
