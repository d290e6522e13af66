/**
 * The status an agent is told — in an answer or a callback — and the record of it: the highest status told so far
 * is kept on the DRP link, and a status of lower rank is never told after it (a status never moves backwards).
 */
import type { Kysely, Selectable } from "kysely";
import type { RequestRow } from "../requests/move-request.ts";
import type { ServiceContext } from "../requests/service-context.ts";
import type { DrpRequestsTable, StoreSchema } from "../store/store-schema.ts";
import { rankOf, type StatusObject, statusOf } from "./drp-status.ts";

export type DrpLink = Selectable<DrpRequestsTable>;

/**
 * What the agent may be told now: the request's status, unless it would go back behind one already told — a lower
 * rank, or another final status than the final one told (only `fulfilled` may become `expired`).
 */
export async function currentStatus(ctx: ServiceContext, row: RequestRow, link: DrpLink): Promise<StatusObject> {
  const result =
    row.status === "completed"
      ? await ctx.store.db
          .selectFrom("request_results")
          .select("expires_at")
          .where("request_id", "=", row.id)
          .executeTakeFirst()
      : undefined;
  const computed = statusOf({
    row,
    link,
    publicUrl: ctx.config.publicUrl,
    unverifiedHours: ctx.config.unverifiedHours,
    packageExpires: result?.expires_at,
    now: ctx.now(),
  });
  return mayTell(link, computed) ? computed : (JSON.parse(link.announced!) as StatusObject);
}

/**
 * Whether `status` may be told after what the agent was last told (`link.announced`): not of a lower rank, and once
 * final only the same status again, or `fulfilled` → `expired`.
 */
export function mayTell(link: Pick<DrpLink, "announced" | "announced_rank">, status: StatusObject): boolean {
  if (!link.announced) return true;
  const told = JSON.parse(link.announced) as StatusObject;
  if (rankOf(status.status) < link.announced_rank) return false;
  const finalChanged = link.announced_rank === 3 && told.status !== status.status;
  return !finalChanged || (told.status === "fulfilled" && status.status === "expired");
}

/** Records `status` as told to the agent, unless something of a higher rank was told meanwhile. */
export async function recordTold(db: Kysely<StoreSchema>, link: DrpLink, status: StatusObject): Promise<void> {
  const json = JSON.stringify(status);
  const rank = rankOf(status.status);
  if (json === link.announced || rank < link.announced_rank) return;
  await db
    .updateTable("drp_requests")
    .set({ announced: json, announced_rank: rank })
    .where("request_id", "=", link.request_id)
    .where("agent_id", "=", link.agent_id)
    .where("announced_rank", "<=", rank)
    .execute();
}

/** The status to answer with, recorded as told. */
export async function announceStatus(
  ctx: ServiceContext,
  db: Kysely<StoreSchema>,
  row: RequestRow,
  link: DrpLink,
): Promise<StatusObject> {
  const status = await currentStatus(ctx, row, link);
  await recordTold(db, link, status);
  return status;
}
