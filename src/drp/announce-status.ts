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
  if (!link.announced) return computed;
  const told = JSON.parse(link.announced) as StatusObject;
  if (rankOf(computed.status) < link.announced_rank) return told;
  const finalChanged = link.announced_rank === 3 && told.status !== computed.status;
  if (finalChanged && !(told.status === "fulfilled" && computed.status === "expired")) return told;
  return computed;
}

/** The status to answer with, recorded as told. */
export async function announceStatus(
  ctx: ServiceContext,
  db: Kysely<StoreSchema>,
  row: RequestRow,
  link: DrpLink,
): Promise<StatusObject> {
  const status = await currentStatus(ctx, row, link);
  const json = JSON.stringify(status);
  const rank = rankOf(status.status);
  if (json !== link.announced && rank >= link.announced_rank)
    await db
      .updateTable("drp_requests")
      .set({ announced: json, announced_rank: rank })
      .where("request_id", "=", link.request_id)
      .where("agent_id", "=", link.agent_id)
      .where("announced_rank", "<=", rank)
      .execute();
  return status;
}
