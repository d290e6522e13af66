/**
 * The download of an access package: only through the signed link the person was mailed — or, in the privacy center,
 * by the person holding the request's token — only until it expires, only for a request that was verified and
 * answered. The signature covers the request and the expiry, so neither can be changed; it is compared in constant
 * time. Each download is in the trail.
 */
import { stewardError } from "../errors.ts";
import { sameSecret } from "../secrets/keyed-hash.ts";
import { lockRequest, noteRequest } from "./move-request.ts";
import type { ServiceContext } from "./service-context.ts";

export async function openPackage(
  ctx: ServiceContext,
  id: string,
  expires: string | undefined,
  sig: string | undefined,
): Promise<{ bytes: Buffer; filename: string }> {
  const ms = expires && /^\d{1,15}$/.test(expires) ? Number(expires) : Number.NaN;
  if (!sig || Number.isNaN(ms) || !sameSecret(ctx.hash.link(`package:${id}`, ms), sig))
    throw stewardError("STW_REQUEST_LINK_INVALID", {});
  if (ms < ctx.now().getTime()) throw stewardError("STW_REQUEST_LINK_EXPIRED", { expired: new Date(ms).toISOString() });
  return readPackage(ctx, id);
}

/** Until when a request's package can be downloaded; undefined when it has none (yet, or any more). */
export async function packageExpiry(ctx: ServiceContext, id: string): Promise<Date | undefined> {
  const result = await ctx.store.db
    .selectFrom("request_results")
    .select("expires_at")
    .where("request_id", "=", id)
    .executeTakeFirst();
  return result && result.expires_at.getTime() >= ctx.now().getTime() ? result.expires_at : undefined;
}

/** The package of a verified, answered request, for someone already shown to be its person. */
export async function readPackage(ctx: ServiceContext, id: string): Promise<{ bytes: Buffer; filename: string }> {
  const row = await lockRequest(ctx.store.db, id);
  if (!row.verified_at || (row.status !== "completed" && row.status !== "partially_completed"))
    throw stewardError("STW_REQUEST_NO_PACKAGE", { id });
  const result = await ctx.store.db
    .selectFrom("request_results")
    .selectAll()
    .where("request_id", "=", id)
    .executeTakeFirst();
  if (!result || result.expires_at.getTime() < ctx.now().getTime())
    throw stewardError("STW_REQUEST_NO_PACKAGE", { id });
  const bytes = ctx.sealer.openBytes(result.package_enc, `package:${id}`);
  await noteRequest(ctx.store.db, row, "package.downloaded", "subject", { bytes: bytes.length });
  return { bytes, filename: `data-${id}.zip` };
}
