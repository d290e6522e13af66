/**
 * Which downstream systems hear of a ledger event: for a choice, the recipients of its purpose that have a
 * `consent_delivery`; for a fact over every purpose (a restriction placed or lifted, an age), every system that has
 * one. The rows go into the consent outbox in the transaction that appends the events, so that a change and its
 * deliveries exist together or not at all.
 */
import { randomUUID } from "node:crypto";
import { type Kysely, sql } from "kysely";
import type { Manifest, System } from "../manifest/types.ts";
import type { Sealer } from "../secrets/seal.ts";
import { copyRows, copyText } from "../store/copy-rows.ts";
import type { StoreSchema } from "../store/store-schema.ts";
import { COPY_FROM, type ConsentEventRow } from "./append-consent-events.ts";

/** Where the delivery loop listens: a payload-less wake-up after a commit that queued deliveries. */
export const OUTBOX_CHANNEL = "steward_consent_outbox";

/**
 * Whom a delivery is about, as sealed in its outbox row: the ledger's subject, and for a subject that is not an e-mail
 * address the address its caller vouched for with it, if any (the e-mail vendors are reached by address).
 */
export interface DeliverySubject {
  readonly type: string;
  readonly value: string;
  readonly email?: string | undefined;
}

export const deliveryBinding = (recordId: string, system: string) => `consent-delivery:${recordId}:${system}`;

export function systemsFor(manifest: Manifest, purpose: string): System[] {
  const withDelivery = manifest.systems.filter((s) => s.consent_delivery);
  if (purpose === "*") return withDelivery;
  const p = manifest.purposes.find((x) => x.key === purpose);
  return withDelivery.filter((s) => p?.recipients.includes(s.key));
}

export async function queueDeliveries(
  db: Kysely<StoreSchema>,
  manifest: Manifest,
  sealer: Sealer,
  events: readonly { row: ConsentEventRow; subject: DeliverySubject }[],
): Promise<number> {
  const systems = new Map<string, System[]>();
  const systemsOf = (purpose: string) => {
    let found = systems.get(purpose);
    if (!found) {
      found = systemsFor(manifest, purpose);
      systems.set(purpose, found);
    }
    return found;
  };
  const planned = events.flatMap(({ row, subject }) =>
    systemsOf(row.purpose).map((system) => ({ row, subject, system })),
  );
  if (planned.length === 0) return 0;
  // The sealed value holds the identity (and an e-mail address vouched for with it) and nothing else — not the
  // ledger's hash of it.
  const seal = ({ row, subject, system }: (typeof planned)[number]) =>
    sealer.sealJson(
      subject.email
        ? { type: subject.type, value: subject.value, email: subject.email }
        : { type: subject.type, value: subject.value },
      deliveryBinding(row.record_id, system.key),
    );
  const row = (p: (typeof planned)[number]) => ({
    id: randomUUID(),
    record_id: p.row.record_id,
    event_seq: p.row.seq,
    system: p.system.key,
    kind: p.system.consent_delivery?.kind ?? "webhook",
    purpose: p.row.purpose,
    status: p.row.status,
    subject_hash: p.row.subject_hash,
    subject_enc: seal(p),
    created_at: p.row.at,
    next_attempt_at: p.row.at,
  });
  if (planned.length >= COPY_FROM) {
    // Sealed as they are streamed: the server ingests one chunk while the next is sealed.
    function* lines(): Generator<string> {
      for (const p of planned) {
        const { row: e, system } = p;
        const sealed = seal(p);
        const at = e.at.toISOString();
        // Uuids, sequence numbers, times, hex hashes and sealed base64url need no escaping; the rest is escaped.
        yield `${randomUUID()}\t${e.record_id}\t${e.seq}\t${copyText(system.key)}\t${copyText(system.consent_delivery?.kind ?? "webhook")}\t${copyText(e.purpose)}\t${copyText(e.status)}\t${copyText(e.subject_hash)}\t${sealed}\t${at}\t${at}\n`;
      }
    }
    await copyRows(db, "consent_deliveries", COLUMNS, lines());
  } else await db.insertInto("consent_deliveries").values(planned.map(row)).execute();
  await sql`select pg_notify(${OUTBOX_CHANNEL}, '')`.execute(db);
  return planned.length;
}

const COLUMNS = [
  "id",
  "record_id",
  "event_seq",
  "system",
  "kind",
  "purpose",
  "status",
  "subject_hash",
  "subject_enc",
  "created_at",
  "next_attempt_at",
] as const;
