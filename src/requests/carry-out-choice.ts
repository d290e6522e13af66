/**
 * The request types that change processing rather than data — withdraw a consent, opt out of sale and sharing, limit
 * the use of sensitive data, object, restrict — are carried out by the consent ledger, in the transaction that starts
 * them: the ledger events (method `request`, naming the request) and the completion commit together, so a crash
 * leaves either both or neither, and the decision for every purpose they cover changes at once.
 *
 * An objection to a legitimate-interest purpose that offers no opt-out is not switched off automatically: the
 * controller may show compelling grounds (GDPR Art. 21(1)), so those purposes are listed in the outcome for an
 * operator's review.
 *
 * An opt-out of sale and sharing whose details say `opt_in` is the same choice the other way (CCPA §1798.120(d): a
 * person who opted out may opt back in; DRP's `sale:opt-in`): every sale and sharing purpose is recorded `granted`.
 */
import type { Kysely } from "kysely";
import { CHOICE_REQUESTS, purposesCovered } from "../consent/choices.ts";
import type { RecordInput } from "../consent/consent-ledger.ts";
import type { StoreSchema } from "../store/store-schema.ts";
import { queueMail } from "./advance-request.ts";
import { moveRequest, type RequestRow } from "./move-request.ts";
import { isOptIn, type RequestDetails } from "./request-details.ts";
import type { ServiceContext } from "./service-context.ts";
import type { Identity } from "./subject.ts";

/** in_progress → completed for a choice request; the ledger holds what it changed. */
export async function carryOutChoice(
  ctx: ServiceContext,
  trx: Kysely<StoreSchema>,
  row: RequestRow,
  actor: string,
): Promise<RequestRow> {
  const recorded = CHOICE_REQUESTS[row.type];
  if (!recorded) throw new Error(`${row.type} is not a request the consent ledger carries out`);
  const identity = ctx.sealer.openJson<Identity>(row.identities_enc ?? "", `identities:${row.id}`);
  const details = row.details_enc ? ctx.sealer.openJson<RequestDetails>(row.details_enc, `details:${row.id}`) : {};
  const status = row.type === "opt_out_sale_sharing" && isOptIn(details) ? "granted" : recorded;
  const rights = ctx.manifest.rights.find((r) => r.jurisdiction === row.jurisdiction);
  const { covered, forReview } = purposesCovered(ctx.manifest, row.type, rights, details.purposes);
  const events: RecordInput[] = Object.entries(identity).flatMap(([type, value]) =>
    covered.map((purpose) => ({
      subject: ctx.consent.subject(`${type}:${value}`),
      purpose,
      status,
      method: "request" as const,
      jurisdiction: row.jurisdiction ?? undefined,
      request_id: row.id,
      actor,
    })),
  );
  await ctx.consent.record(events, trx);
  const outcome = {
    action: row.type,
    ...(status === "granted" ? { choice: "granted" } : {}),
    purposes: covered,
    ...(forReview.length > 0 ? { for_review: forReview } : {}),
    ledger_events: events.length,
  };
  const done = await moveRequest(
    trx,
    row,
    {
      to: "completed",
      action: "complete",
      actor,
      payload: {
        purposes: covered.length,
        ledger_events: events.length,
        for_review: forReview.length,
        ...(status === "granted" ? { choice: "granted" } : {}),
      },
      set: { outcome: JSON.stringify(outcome) },
    },
    ctx.now(),
    ctx.jobs,
  );
  await queueMail(ctx, trx, done, "done");
  return done;
}
