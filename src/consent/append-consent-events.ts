/**
 * Appends events to the consent ledger, chained like the audit trail (src/audit/audit-hash.ts: sha256 over the
 * previous hash and the event's canonical JSON) but as a chain of its own, so that proving one consent (GDPR Art. 7(1))
 * never needs the request trail. Appends are serialised by their own transaction-scoped advisory lock; a batch is one
 * lock, one write (an insert for a few events, COPY for many: src/store/copy-rows.ts), and one statement of notices to
 * the other processes (`NOTIFY steward_consent`) that their cached decisions for these subjects are stale.
 *
 * Call it inside the transaction that makes the change (a request's completion, an outbox row): the event exists
 * exactly when the change does. Outside a transaction it opens its own.
 */
import { createHash, randomUUID } from "node:crypto";
import { type Kysely, type Selectable, sql } from "kysely";
import { copyRows, copyText } from "../store/copy-rows.ts";
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
  return chainHash(previous, e, e.at.toISOString());
}

/** `consentHash` with the time already written out (the COPY line needs the same text). */
function chainHash(previous: string, e: Omit<ConsentEventRow, "seq" | "prev_hash" | "hash">, at: string): string {
  const content = JSON.stringify([
    e.record_id,
    at,
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

/** Columns in the order the statements below write them. */
const COLUMNS = [
  "seq",
  "record_id",
  "at",
  "subject_hash",
  "subject_type",
  "purpose",
  "status",
  "method",
  "notice_version",
  "jurisdiction",
  "proof",
  "request_id",
  "actor",
  "prev_hash",
  "hash",
] as const;

/**
 * From this many events on, a batch goes in by COPY. Below it one `INSERT … SELECT FROM unnest(…)` is one round trip
 * where COPY takes three (the sequence numbers, the COPY and its answer): a single event from a browser stays fast.
 */
export const COPY_FROM = 64;

/** Events to append: an array, or rows produced (and checked) as they are read, with their number known first. */
export type ConsentEventSource = Iterable<ConsentEventInput> & { readonly length: number };

export async function appendConsentEvents(
  db: Kysely<StoreSchema>,
  inputs: ConsentEventSource,
): Promise<ConsentEventRow[]> {
  if (inputs.length === 0) return [];
  if (!db.isTransaction) return db.transaction().execute((trx) => appendConsentEvents(trx, inputs));
  await sql`select pg_advisory_xact_lock(${LEDGER_LOCK.toString()}::bigint)`.execute(db);
  const last = await db.selectFrom("consent_events").select("hash").orderBy("seq", "desc").limit(1).executeTakeFirst();
  const previous = last?.hash ?? "";
  const written =
    inputs.length >= COPY_FROM
      ? await copyEvents(db, inputs, previous)
      : await insertEvents(db, Array.from(inputs), previous);
  const subjects = [...new Set(written.map((e) => e.subject_hash))];
  // One notice per batch for large batches (listeners then drop their whole cache), else one per subject — all in one
  // statement.
  const payloads = subjects.length > 100 ? ["*"] : subjects;
  await sql`select pg_notify(${CONSENT_CHANNEL}, p) from unnest(${payloads}::text[]) as p`.execute(db);
  return written;
}

type Chained = Omit<ConsentEventRow, "seq">;

/** The event as stored (without its sequence number), hashed onto `previous`. */
function chained(input: ConsentEventInput, previous: string, at: Date, iso: string): Chained {
  const row = {
    record_id: randomUUID(),
    at,
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
    prev_hash: previous,
    hash: "",
  };
  row.hash = chainHash(previous, row, iso);
  return row;
}

/**
 * COPY, the rows hashed as they are streamed (the server ingests one chunk while the next is hashed). The sequence
 * numbers are drawn from the column's own sequence first — the chain's order is the order they are given in — and
 * written explicitly (COPY writes an identity column's given values, as an insert with OVERRIDING SYSTEM VALUE).
 */
async function copyEvents(
  db: Kysely<StoreSchema>,
  inputs: ConsentEventSource,
  first: string,
): Promise<ConsentEventRow[]> {
  // One range of the column's sequence, drawn in one statement: every writer of the ledger holds the lock above, so
  // nothing draws between the nextval and the setval; and a number given twice would be refused by the primary key,
  // never written twice.
  const drawn = await sql<{ last: string }>`
    select setval(s::regclass, nextval(s::regclass) + ${inputs.length - 1}::bigint)::text as last
    from pg_get_serial_sequence('consent_events', 'seq') as s`.execute(db);
  const start = Number(drawn.rows[0]?.last ?? 0) - (inputs.length - 1);
  if (!Number.isSafeInteger(start + inputs.length)) throw new Error("consent_events.seq is beyond 2^53");
  const written: ConsentEventRow[] = [];
  function* lines(): Generator<string> {
    let previous = first;
    let i = 0;
    for (const input of inputs) {
      if (i === inputs.length) throw new Error("more consent events than announced");
      // Milliseconds, as JavaScript keeps them: what is hashed is exactly what is stored and read back.
      const at = new Date(input.at.getTime());
      const iso = at.toISOString();
      const row = chained(input, previous, at, iso) as ConsentEventRow;
      (row as { seq: string }).seq = String(start + i);
      previous = row.hash;
      written.push(row);
      i++;
      // Uuids, times and hex hashes need no escaping; every other value is escaped.
      yield `${row.seq}\t${row.record_id}\t${iso}\t${copyText(row.subject_hash)}\t${copyText(row.subject_type)}\t${copyText(row.purpose)}\t${copyText(row.status)}\t${copyText(row.method)}\t${copyText(row.notice_version)}\t${copyText(row.jurisdiction)}\t${copyText(row.proof)}\t${copyText(row.request_id)}\t${copyText(row.actor)}\t${copyText(row.prev_hash)}\t${row.hash}\n`;
    }
  }
  await copyRows(db, "consent_events", COLUMNS, lines());
  // Fewer rows than announced would leave numbers of the range unused: harmless, but a caller's mistake.
  if (written.length !== inputs.length) throw new Error("fewer consent events than announced");
  return written;
}

/** One `INSERT … SELECT FROM unnest(…)` per 10,000 rows, the columns as arrays; only the sequence numbers come back. */
async function insertEvents(
  db: Kysely<StoreSchema>,
  inputs: readonly ConsentEventInput[],
  first: string,
): Promise<ConsentEventRow[]> {
  let previous = first;
  const rows = inputs.map((input) => {
    const at = new Date(input.at.getTime());
    const row = chained(input, previous, at, at.toISOString());
    previous = row.hash;
    return row;
  });
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
  return written;
}
