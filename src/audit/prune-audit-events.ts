/**
 * Removes the payloads of a deleted request's audit events, keeping the chain verifiable. Each event keeps its time,
 * actor, kind, request id and both hashes, so every link of the chain still holds; its payload becomes `{}` and
 * `pruned_by` names one new `records.deleted` event, appended to the chain in the same transaction, whose payload
 * holds how many events it emptied and a digest over what is left of them (`prunedLine`). `verifyAuditChain` checks
 * the emptied events against that digest, so that one removed, added or changed afterwards is found.
 *
 * Only events whose content still matches their hash are emptied: removing the payload of an event changed behind
 * the trail's back would hide the change, so that request's deletion stops with STW_AUDIT_RECORDS_NOT_DELETED.
 */
import { createHash } from "node:crypto";
import type { Kysely } from "kysely";
import { stewardError } from "../errors.ts";
import type { AuditPayload, StoreSchema } from "../store/store-schema.ts";
import { appendAuditEvent } from "./append-audit-event.ts";
import { chainHash, prunedLine } from "./audit-hash.ts";
import { linkWaiting, lockAuditChain } from "./link-audit-chain.ts";

export interface PruneResult {
  /** The `records.deleted` event. */
  readonly event: number;
  readonly events: number;
}

/**
 * Inside `trx`: empties the payloads of every event of `requests` and appends the `records.deleted` event, with
 * `payload` (counts, the cut-off) besides the count and digest it adds.
 */
export async function pruneAuditEvents(
  trx: Kysely<StoreSchema>,
  requests: readonly string[],
  payload: AuditPayload,
): Promise<PruneResult> {
  await lockAuditChain(trx);
  // Only linked events can be emptied (an event's hash must hold before its payload goes): link what is waiting.
  while ((await linkWaiting(trx)) > 0);
  const rows =
    requests.length === 0
      ? []
      : await trx
          .selectFrom("audit_events")
          .select(["id", "at", "actor", "kind", "request_id", "payload", "prev_hash", "hash"])
          .where("request_id", "in", [...requests])
          .where("pruned_by", "is", null)
          .where("seq", "is not", null)
          .orderBy("seq")
          .execute();
  const digest = createHash("sha256");
  for (const row of rows) {
    const { prev_hash, hash } = row;
    const content = { at: row.at.toISOString(), actor: row.actor, kind: row.kind, request_id: row.request_id };
    if (prev_hash === null || hash === null || chainHash(prev_hash, { ...content, payload: row.payload }) !== hash)
      throw stewardError("STW_AUDIT_RECORDS_NOT_DELETED", { id: row.id, kind: row.kind, request: row.request_id! });
    digest.update(prunedLine({ ...row, prev_hash, hash }));
  }
  const event = await appendAuditEvent(trx, {
    actor: "system",
    kind: "records.deleted",
    payload: { ...payload, events: rows.length, digest: digest.digest("hex") },
  });
  // The emptied events point at it: it must have its id now, so this never runs inside an `auditedTransaction`.
  if (event === undefined) throw new Error("records.deleted was deferred: prune outside auditedTransaction");
  // Linked in this transaction, right after the events it empties, so the chain names it as soon as they change.
  await linkWaiting(trx);
  // In chunks: a statement's parameters are bounded.
  for (let i = 0; i < rows.length; i += 5_000) {
    const ids = rows.slice(i, i + 5_000).map((r) => r.id);
    await trx.updateTable("audit_events").set({ payload: "{}", pruned_by: event }).where("id", "in", ids).execute();
  }
  return { event, events: rows.length };
}
