/**
 * The one way a request changes state: inside a transaction, lock the row, check that the move is allowed from where
 * it is, write the change, and append the audit event that records it. Two operators (or two workers) racing on one
 * request are serialised by the row lock; the second is told the state it found.
 *
 * A request an authorized agent follows (DRP, src/drp/) gets its status callback written in the same transaction, for
 * every move — a change of state, an extension, a pause — each its own delivery, so that no change goes unannounced.
 */
import type { Kysely, Selectable, Updateable } from "kysely";
import { appendAuditEvent } from "../audit/append-audit-event.ts";
import { queueStatusCallbacks } from "../drp/queue-status-callbacks.ts";
import { stewardError } from "../errors.ts";
import type { JobQueue } from "../jobs/job-queue.ts";
import type { AuditPayload, RequestsTable, StoreSchema } from "../store/store-schema.ts";
import { isOpen, type RequestStatus, statesBefore } from "./lifecycle.ts";

export type RequestRow = Selectable<RequestsTable>;

export async function lockRequest(trx: Kysely<StoreSchema>, id: string): Promise<RequestRow> {
  const row = /^[0-9a-f-]{36}$/i.test(id)
    ? await trx.selectFrom("requests").selectAll().where("id", "=", id).forUpdate().executeTakeFirst()
    : undefined;
  if (!row) throw stewardError("STW_REQUEST_NOT_FOUND", { id });
  return row;
}

export interface Move {
  /** The new state; absent for a change that keeps the state (an extension, a pause). */
  readonly to?: RequestStatus;
  /** The states the move starts from; default every state the lifecycle allows into `to`. */
  readonly from?: readonly RequestStatus[];
  /** Words for the error when the move is refused ("approve", "cancel"). */
  readonly action: string;
  readonly actor: string;
  /** The audit event's kind; default `request.<to>`. */
  readonly kind?: string;
  readonly payload?: AuditPayload;
  readonly set?: Updateable<RequestsTable>;
}

export async function moveRequest(
  trx: Kysely<StoreSchema>,
  row: RequestRow,
  move: Move,
  now: Date,
  /** Where the agents' status callbacks are queued; undefined in a process that cannot enqueue (nothing is then sent). */
  jobs: JobQueue | undefined,
): Promise<RequestRow> {
  const to = move.to ?? (row.status as RequestStatus);
  const from = move.from ?? statesBefore(to);
  if (!from.includes(row.status as RequestStatus))
    throw stewardError("STW_REQUEST_WRONG_STATE", {
      id: row.id,
      action: move.action,
      status: row.status,
      allowed: from,
    });
  const updated = await trx
    .updateTable("requests")
    .set({
      ...move.set,
      status: to,
      updated_at: now,
      closed_at: isOpen(to) ? null : (row.closed_at ?? now),
    })
    .where("id", "=", row.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await appendAuditEvent(trx, {
    actor: move.actor,
    kind: move.kind ?? `request.${to}`,
    request_id: row.id,
    payload: move.to ? { from: row.status, to, ...move.payload } : { status: row.status, ...move.payload },
  });
  // Each move its own callback, with the status as it is now (src/drp/queue-status-callbacks.ts).
  if (jobs) await queueStatusCallbacks(trx, updated, now, jobs);
  return updated;
}

/** Records an event about a request that does not change its state (a code sent, a mail delivered). */
export async function noteRequest(
  trx: Kysely<StoreSchema>,
  row: RequestRow,
  kind: string,
  actor: string,
  payload: AuditPayload = {},
): Promise<void> {
  await appendAuditEvent(trx, { actor, kind, request_id: row.id, payload });
}
