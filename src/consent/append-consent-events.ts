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
import { createHash, randomUUID } from "node:crypto";
import { type Kysely, type Selectable, sql } from "kysely";
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

/**
 * The chain's hash for one event: sha256 over the previous hash, a newline, and a JSON array of every column but the
 * sequence number and the hashes, in this fixed order. A fixed order rather than sorted keys keeps it cheap (a
 * ledger takes millions of events); change neither the order nor the form — the chain already written depends on it.
 */
export function consentHash(previous: string, e: Omit<ConsentEventRow, "seq" | "prev_hash" | "hash">): string {
  const content = JSON.stringify([
    e.record_id,
    e.at.toISOString(),
    e.subject_hash,
    e.subject_type,
    e.purpose,
    e.status,
    e.method,
    e.notice_version,
    e.jurisdiction,
    e.proof,
    e.request_id,
    e.actor,
  ]);
  return createHash("sha256").update(previous).update("\n").update(content).digest("hex");
}

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
  // One statement per 10,000 rows, the columns as arrays (`unnest`): far cheaper for PostgreSQL to parse and plan than
  // a VALUES list of as many parameters, and no row comes back but its sequence number.
  const written: ConsentEventRow[] = [];
  for (let i = 0; i < rows.length; i += 10_000) {
    const part = rows.slice(i, i + 10_000);
    const col = <K extends keyof (typeof part)[number]>(k: K) => part.map((r) => r[k]);
    const result = await sql<{ seq: string }>`
      insert into consent_events
        (record_id, at, subject_hash, subject_type, purpose, status, method, notice_version, jurisdiction, proof,
         request_id, actor, prev_hash, hash)
      select record_id, at, subject_hash, subject_type, purpose, status, method, notice_version, jurisdiction, proof,
        request_id, actor, prev_hash, hash
      from unnest(
        ${col("record_id")}::uuid[], ${part.map((r) => r.at.toISOString())}::timestamptz[], ${col("subject_hash")}::text[],
        ${col("subject_type")}::text[], ${col("purpose")}::text[], ${col("status")}::text[], ${col("method")}::text[],
        ${col("notice_version")}::text[], ${col("jurisdiction")}::text[], ${col("proof")}::text[],
        ${col("request_id")}::uuid[], ${col("actor")}::text[], ${col("prev_hash")}::text[], ${col("hash")}::text[])
        with ordinality as u(record_id, at, subject_hash, subject_type, purpose, status, method, notice_version,
          jurisdiction, proof, request_id, actor, prev_hash, hash, position)
      -- The sequence follows the chain: rows are numbered in the order they were hashed.
      order by position
      returning seq`.execute(db);
    result.rows.forEach((r, k) => {
      const row = part[k];
      if (row) written.push({ ...row, seq: String(r.seq) });
    });
  }
  const subjects = [...new Set(inputs.map((e) => e.subject_hash))];
  // One notice per batch for large batches (listeners then drop their whole cache), else one per subject.
  const payloads = subjects.length > 100 ? ["*"] : subjects;
  for (const payload of payloads) await sql`select pg_notify(${CONSENT_CHANNEL}, ${payload})`.execute(db);
  return written;
}
