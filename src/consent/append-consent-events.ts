/**
 * Appends events to the consent ledger, chained like the audit trail (src/audit/audit-hash.ts: sha256 over the
 * previous hash and the event's canonical JSON) but as a chain of its own, so that proving one consent (GDPR Art. 7(1))
 * never needs the request trail. Appends are serialised by their own transaction-scoped advisory lock; a batch is one
 * lock, one multi-row insert, and one notice to the other processes (`NOTIFY steward_consent`) that their cached
 * decisions for these subjects are stale.
 *
 * Call it inside the transaction that makes the change (a request's completion, an outbox row): the event exists
 * exactly when the change does. Outside a transaction it opens its own.
 */
import { randomUUID } from "node:crypto";
import { type Kysely, type Selectable, sql } from "kysely";
import { chainHash } from "../audit/audit-hash.ts";
import type { ConsentEventsTable, ConsentMethod, ConsentStatus, StoreSchema } from "../store/store-schema.ts";

export type ConsentEventRow = Selectable<ConsentEventsTable>;

export interface ConsentEventInput {
  readonly subject_hash: string;
  readonly subject_type: string;
  readonly purpose: string;
  readonly status: ConsentStatus;
  readonly method: ConsentMethod;
  readonly notice_version: string | null;
  readonly jurisdiction: string | null;
  readonly proof?: string | null;
  readonly request_id?: string | null;
  /** "subject", "host", "system", "key:<name>" — never a person's identity. */
  readonly actor: string;
  readonly at: Date;
}

/** "steward consent" folded into a bigint: a lock of its own, so consent and request trails do not wait on each other. */
const LEDGER_LOCK = 0x5374657743736e74n;

/** The channel other processes listen on; the payload is a subject hash (a keyed hash: it names nobody). */
export const CONSENT_CHANNEL = "steward_consent";

/** What the chain covers for one event: every column but the sequence number and the hashes. */
export function consentContent(e: Omit<ConsentEventRow, "seq" | "prev_hash" | "hash">) {
  return {
    record_id: e.record_id,
    at: e.at.toISOString(),
    subject_hash: e.subject_hash,
    subject_type: e.subject_type,
    purpose: e.purpose,
    status: e.status,
    method: e.method,
    notice_version: e.notice_version,
    jurisdiction: e.jurisdiction,
    proof: e.proof,
    request_id: e.request_id,
    actor: e.actor,
  };
}

/** Hash of the ledger's content for the chain (kept apart from the audit chain's content shape). */
export const consentHash = (previous: string, e: Omit<ConsentEventRow, "seq" | "prev_hash" | "hash">): string =>
  chainHash(previous, {
    at: e.at.toISOString(),
    actor: e.actor,
    kind: `consent.${e.status}`,
    request_id: e.request_id,
    payload: consentContent(e),
  });

export async function appendConsentEvents(
  db: Kysely<StoreSchema>,
  inputs: readonly ConsentEventInput[],
): Promise<ConsentEventRow[]> {
  if (inputs.length === 0) return [];
  if (!db.isTransaction) return db.transaction().execute((trx) => appendConsentEvents(trx, inputs));
  await sql`select pg_advisory_xact_lock(${LEDGER_LOCK.toString()}::bigint)`.execute(db);
  const last = await db.selectFrom("consent_events").select("hash").orderBy("seq", "desc").limit(1).executeTakeFirst();
  let previous = last?.hash ?? "";
  const rows = inputs.map((input) => {
    const content = {
      record_id: randomUUID(),
      // Milliseconds, as JavaScript keeps them: what is hashed is exactly what is stored and read back.
      at: new Date(input.at.getTime()),
      subject_hash: input.subject_hash,
      subject_type: input.subject_type,
      purpose: input.purpose,
      status: input.status,
      method: input.method,
      notice_version: input.notice_version,
      jurisdiction: input.jurisdiction,
      proof: input.proof ?? null,
      request_id: input.request_id ?? null,
      actor: input.actor,
    };
    const hash = consentHash(previous, content);
    const row = { ...content, prev_hash: previous, hash };
    previous = hash;
    return row;
  });
  const written: ConsentEventRow[] = [];
  // Postgres takes at most 65,535 parameters per statement: 14 columns a row.
  for (let i = 0; i < rows.length; i += 4_000)
    written.push(
      ...(await db
        .insertInto("consent_events")
        .values(rows.slice(i, i + 4_000))
        .returningAll()
        .execute()),
    );
  const subjects = [...new Set(inputs.map((e) => e.subject_hash))];
  // One notice per batch for large batches (listeners then drop their whole cache), else one per subject.
  const payloads = subjects.length > 100 ? ["*"] : subjects;
  for (const payload of payloads) await sql`select pg_notify(${CONSENT_CHANNEL}, ${payload})`.execute(db);
  return written;
}
