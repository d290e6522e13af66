/**
 * The mail job: writes to the person about their request. The job names only the request and the kind of mail; the
 * address is opened from the sealed identities when the mail is sent, so the job table holds nothing personal.
 * Delivery is at least once: a worker killed after the server took the mail but before the trail recorded it sends it
 * again.
 */

import type { MailMessage } from "../mail/mailer.ts";
import {
  deniedMail,
  doneMail,
  expiredMail,
  extendedMail,
  lockedMail,
  operatorAlertMail,
  readyMail,
  receivedMail,
} from "../mail/request-mails.ts";
import type { MailJob } from "./advance-request.ts";
import { noteRequest, type RequestRow } from "./move-request.ts";
import { mailFacts } from "./request-words.ts";
import type { ServiceContext } from "./service-context.ts";
import type { Identity } from "./subject.ts";

/** A signed link to the package that works until `expiresAt`. */
export function packageLink(ctx: ServiceContext, id: string, expiresAt: Date): string {
  const ms = expiresAt.getTime();
  return `${ctx.config.publicUrl}/api/requests/${id}/package?expires=${ms}&sig=${ctx.hash.link(`package:${id}`, ms)}`;
}

/** The answer to a request that changed data, in words: what was done, and what stays and why. */
export function answerInWords(ctx: ServiceContext, row: RequestRow): string {
  const outcome = (row.outcome ?? {}) as {
    exemptions?: string[];
    unreached?: { collection: string; why: string }[];
    proof?: { complete: boolean };
  };
  const lines: string[] = [];
  if (row.type === "erasure") lines.push("We have deleted your personal data, except what is listed below.");
  else if (row.type === "rectification") lines.push("We have corrected your personal data as you asked.");
  else lines.push("Your request is done.");
  for (const key of outcome.exemptions ?? []) {
    const e = ctx.manifest.exemptions.find((x) => x.key === key);
    if (e) lines.push(`\n${e.name}: ${e.reason}`);
  }
  const down = (outcome.unreached ?? []).filter((u) => !u.why.startsWith("no identity"));
  if (down.length > 0 || outcome.proof?.complete === false)
    lines.push(
      "\nOne of our systems could not be reached or checked, so part of the request is not done yet. We try again " +
        "and write to you when it is.",
    );
  return lines.join("\n");
}

export async function sendRequestMail(ctx: ServiceContext, job: MailJob): Promise<void> {
  const row = await ctx.store.db.selectFrom("requests").selectAll().where("id", "=", job.request_id).executeTakeFirst();
  if (row && job.kind === "needs_operator") return alertOperator(ctx, row);
  if (!row?.identities_enc) return;
  const identity = ctx.sealer.openJson<Identity>(row.identities_enc, `identities:${row.id}`);
  const to = identity["email"];
  if (!to) {
    await noteRequest(ctx.store.db, row, "mail.skipped", "system", { mail: job.kind, why: "no e-mail address" });
    return;
  }
  const f = mailFacts(ctx, row, to);
  let message: MailMessage | undefined;
  switch (job.kind) {
    case "received":
      message = receivedMail(f, row.due_at);
      break;
    case "ready": {
      const result = await ctx.store.db
        .selectFrom("request_results")
        .select("expires_at")
        .where("request_id", "=", row.id)
        .executeTakeFirst();
      if (!result) return;
      const categoriesOnly = row.outcome?.["scope"] === "categories";
      message = readyMail(f, packageLink(ctx, row.id, result.expires_at), result.expires_at, categoriesOnly);
      break;
    }
    case "done":
      message = doneMail(f, answerInWords(ctx, row));
      break;
    case "denied": {
      const rights = ctx.manifest.rights.find((r) => r.jurisdiction === row.jurisdiction);
      message = deniedMail(f, row.reason ?? "", rights?.complaint_authorities ?? []);
      break;
    }
    case "extended":
      message = extendedMail(f, row.reason ?? "", row.due_at);
      break;
    case "expired":
      message = expiredMail(f);
      break;
    case "locked":
      message = lockedMail(f, ctx.config.maxTries);
      break;
  }
  if (!message) return;
  await ctx.mailer.send(message);
  await noteRequest(ctx.store.db, row, "mail.sent", "system", { mail: job.kind });
}

/** The operator's mail about a request its automatic retries did not finish; sent only while it is still partial. */
async function alertOperator(ctx: ServiceContext, row: RequestRow): Promise<void> {
  if (row.status !== "partially_completed") return;
  const org = ctx.manifest.organization;
  const to = ctx.config.alertMail ?? org?.dpo?.email ?? org?.contact_email;
  if (!to) {
    await noteRequest(ctx.store.db, row, "mail.skipped", "system", { mail: "needs_operator", why: "no address" });
    return;
  }
  const outcome = (row.outcome ?? {}) as {
    unreached?: { collection: string; why: string }[];
    failed?: { dataset: string; why: string; skipped?: string[] };
    proof?: { complete: boolean; unreached?: string[] };
  };
  const problems = [
    ...(outcome.unreached ?? [])
      .filter((u) => !u.why.startsWith("no identity"))
      .map((u) => `${u.collection}: ${u.why}`),
    ...(outcome.failed
      ? [
          `${outcome.failed.dataset}: ${outcome.failed.why}` +
            (outcome.failed.skipped?.length ? ` (not written: ${outcome.failed.skipped.join(", ")})` : ""),
        ]
      : []),
    ...(outcome.proof?.complete === false ? ["the proof of the erasure is incomplete (rows found again)"] : []),
  ];
  await ctx.mailer.send(
    operatorAlertMail({
      to,
      organization: org?.name ?? "Steward",
      consoleUrl: `${ctx.config.publicUrl}/admin/requests/${row.id}`,
      id: row.id,
      type: row.type,
      jurisdiction: row.jurisdiction,
      dueAt: row.due_at,
      tries: row.auto_retries,
      problems,
    }),
  );
  await noteRequest(ctx.store.db, row, "mail.sent", "system", { mail: "needs_operator" });
}
