/**
 * Every status change of a request an agent follows becomes its own callback (DRP 1.0 §2.03): a move writes, in its
 * own transaction, one `drp_callbacks` row per agent that gave a `status_callback`, holding the facts the status is
 * made of at that moment, and queues the `drp.callback` job that sends them in order (status-callback.ts). A quick
 * succession of moves — verified, in_progress, completed in one transaction — is then told as in_progress and then
 * fulfilled, not as its last state only.
 *
 * The facts hold no personal data: the request's state and dates, the operator's reason (shown to the person and the
 * agent anyway), the kind of denial, and until when the package can be downloaded.
 */
import type { Kysely } from "kysely";
import { inTransaction, type JobQueue } from "../jobs/job-queue.ts";
import type { RequestRow } from "../requests/move-request.ts";
import type { StoreSchema } from "../store/store-schema.ts";

/** What `statusOf` reads of a request, as it was when the status changed. */
export interface StatusFacts {
  readonly row: Pick<
    RequestRow,
    "id" | "status" | "created_at" | "due_at" | "reason" | "paused_since" | "extended_at" | "outcome"
  >;
  /** Until when the package can be downloaded, for a completed request with one. */
  readonly package_expires: Date | null;
}

const dates = ["created_at", "due_at", "paused_since", "extended_at"] as const;

export function factsOf(row: RequestRow, packageExpires: Date | null): string {
  const { id, status, created_at, due_at, reason, paused_since, extended_at, outcome } = row;
  return JSON.stringify({
    row: { id, status, created_at, due_at, reason, paused_since, extended_at, outcome },
    package_expires: packageExpires,
  });
}

export function readFacts(json: string): StatusFacts {
  const parsed = JSON.parse(json) as { row: Record<string, unknown>; package_expires: string | null };
  const row = { ...parsed.row } as Record<string, unknown>;
  for (const key of dates) row[key] = typeof row[key] === "string" ? new Date(row[key] as string) : null;
  return {
    row: row as unknown as StatusFacts["row"],
    package_expires: parsed.package_expires ? new Date(parsed.package_expires) : null,
  };
}

/**
 * Writes the callbacks of a move (one per following agent) and queues their delivery. `at` is when the status holds
 * from (the move's time; a package's expiry for the `expired` that follows `fulfilled`).
 */
export async function queueStatusCallbacks(
  trx: Kysely<StoreSchema>,
  row: RequestRow,
  at: Date,
  jobs: JobQueue,
  only?: { readonly agentId: string; readonly packageExpires: Date },
): Promise<number> {
  let links = trx
    .selectFrom("drp_requests")
    .select("agent_id")
    .where("request_id", "=", row.id)
    .where("status_callback", "is not", null);
  if (only) links = links.where("agent_id", "=", only.agentId);
  const agents = await links.execute();
  if (agents.length === 0) return 0;
  const packageExpires =
    only?.packageExpires ??
    (row.status === "completed"
      ? ((
          await trx
            .selectFrom("request_results")
            .select("expires_at")
            .where("request_id", "=", row.id)
            .executeTakeFirst()
        )?.expires_at ?? null)
      : null);
  const facts = factsOf(row, packageExpires);
  await trx
    .insertInto("drp_callbacks")
    .values(agents.map((a) => ({ request_id: row.id, agent_id: a.agent_id, facts, at })))
    .execute();
  await jobs.send("drp.callback", { request_id: row.id }, inTransaction(trx));
  return agents.length;
}
