/**
 * Portability to another provider (GDPR Art. 20(2)): once a portability request's package is built, a job sends it
 * to the https address the person gave — a POST of the zip (`application/zip`) with the request id as
 * `Idempotency-Key`, so that a receiver seeing it twice (a worker killed after sending) can tell. Retried with backoff
 * by the job queue until the receiver takes it; the trail records the first failure and the success, with the
 * receiver's host and status only. The address itself stays sealed with the request's details.
 */
import { stewardError } from "../errors.ts";
import { noteRequest } from "./move-request.ts";
import type { RequestDetails } from "./request-details.ts";
import type { ServiceContext } from "./service-context.ts";

export interface TransmitJob {
  readonly request_id: string;
}

/** How long one attempt may take. */
const TIMEOUT_MS = 30_000;

export async function transmitPackage(ctx: ServiceContext, job: TransmitJob): Promise<void> {
  const db = ctx.store.db;
  const row = await db.selectFrom("requests").selectAll().where("id", "=", job.request_id).executeTakeFirst();
  if (!row || row.type !== "portability" || !row.details_enc) return;
  const details = ctx.sealer.openJson<RequestDetails>(row.details_enc, `details:${row.id}`);
  if (!details.destination) return;
  const trail = await db
    .selectFrom("audit_events")
    .select("kind")
    .where("request_id", "=", row.id)
    .where("kind", "in", ["package.transmitted", "package.transmission_failed"])
    .execute();
  if (trail.some((e) => e.kind === "package.transmitted")) return;
  const result = await db.selectFrom("request_results").selectAll().where("request_id", "=", row.id).executeTakeFirst();
  if (!result) throw stewardError("STW_REQUEST_NO_PACKAGE", { id: row.id });
  const bytes = ctx.sealer.openBytes(result.package_enc, `package:${row.id}`);
  const host = new URL(details.destination).host;
  let status = 0;
  try {
    const res = await fetch(details.destination, {
      method: "POST",
      body: new Uint8Array(bytes),
      headers: { "content-type": "application/zip", "idempotency-key": row.id, "user-agent": "Steward" },
      redirect: "error",
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    status = res.status;
    await res.body?.cancel();
  } catch {
    status = 0;
  }
  if (status >= 200 && status < 300) {
    await noteRequest(db, row, "package.transmitted", "worker", { host, status, bytes: bytes.length });
    return;
  }
  if (!trail.some((e) => e.kind === "package.transmission_failed"))
    await noteRequest(db, row, "package.transmission_failed", "worker", { host, status });
  throw stewardError("STW_REQUEST_TRANSMIT_FAILED", { host, status });
}
