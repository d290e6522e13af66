/**
 * Which downstream systems hear of a ledger event: for a choice, the recipients of its purpose that have a
 * `consent_delivery`; for a fact over every purpose (a restriction placed or lifted, an age), every system that has
 * one. The rows go into the consent outbox in the transaction that appends the events, so that a change and its
 * deliveries exist together or not at all.
 */
import { type Kysely, sql } from "kysely";
import type { Manifest, System } from "../manifest/types.ts";
import type { Sealer } from "../secrets/seal.ts";
import type { StoreSchema } from "../store/store-schema.ts";
import type { ConsentEventRow } from "./append-consent-events.ts";

/** Where the delivery loop listens: a payload-less wake-up after a commit that queued deliveries. */
export const OUTBOX_CHANNEL = "steward_consent_outbox";

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
  events: readonly { row: ConsentEventRow; subject: { type: string; value: string } }[],
): Promise<number> {
  const rows = events.flatMap(({ row, subject }) =>
    systemsFor(manifest, row.purpose).map((s) => ({
      record_id: row.record_id,
      event_seq: row.seq,
      system: s.key,
      kind: s.consent_delivery?.kind ?? "webhook",
      purpose: row.purpose,
      status: row.status,
      subject_hash: row.subject_hash,
      subject_enc: sealer.sealJson(subject, deliveryBinding(row.record_id, s.key)),
      created_at: row.at,
      next_attempt_at: row.at,
    })),
  );
  for (let i = 0; i < rows.length; i += 5_000)
    await db
      .insertInto("consent_deliveries")
      .values(rows.slice(i, i + 5_000))
      .execute();
  if (rows.length > 0) await sql`select pg_notify(${OUTBOX_CHANNEL}, '')`.execute(db);
  return rows.length;
}
