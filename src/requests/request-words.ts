/**
 * A request in plain words, for the person: what they asked for, what happened so far (the timeline, from the audit
 * trail), and what is left. The operator's view keeps the event kinds; the person reads sentences.
 */

import type { MailFacts } from "../mail/request-mails.ts";
import type { RequestType } from "../manifest/types.ts";
import type { RequestRow } from "./move-request.ts";
import type { ServiceContext } from "./service-context.ts";

/** "a copy of your data" — what the request asks for, as a noun phrase. */
export const ASKED_FOR: Readonly<Record<RequestType, string>> = {
  access: "a copy of your personal data",
  portability: "your data in a machine-readable format",
  erasure: "the deletion of your personal data",
  rectification: "the correction of your personal data",
  restriction: "a restriction of how we use your personal data",
  objection: "your objection to how we use your personal data",
  opt_out_sale_sharing: "your opt-out of the sale and sharing of your personal data",
  limit_sensitive: "a limit on how we use your sensitive personal data",
  withdraw_consent: "the withdrawal of your consent",
};

export function statusUrl(ctx: ServiceContext, id: string): string {
  return `${ctx.config.publicUrl}/api/requests/${id}`;
}

export function mailFacts(ctx: ServiceContext, row: RequestRow, to: string): MailFacts {
  return {
    to,
    organization: ctx.manifest.organization?.name ?? "us",
    what: ASKED_FOR[row.type],
    statusUrl: statusUrl(ctx, row.id),
  };
}

export interface TimelineEvent {
  readonly at: Date;
  readonly kind: string;
  readonly payload: Readonly<Record<string, unknown>>;
}

const day = (iso: unknown) => (typeof iso === "string" ? iso.slice(0, 10) : "");

/** One sentence per event the person should know of; internal events (a code's hash made, a retry) say nothing. */
export function describeEvent(e: TimelineEvent, row: RequestRow): string | undefined {
  const p = e.payload;
  switch (e.kind) {
    case "request.received":
      return `We received your request for ${ASKED_FOR[row.type]}.${p["due_at"] ? ` We answer by ${day(p["due_at"])} at the latest.` : ""}`;
    case "mail.sent":
      return p["mail"] === "code" ? "We sent a code to your e-mail address." : "We sent you an e-mail about it.";
    case "mail.failed":
      return p["mail"] === "code" ? "We could not send the code; you can ask for a new one." : undefined;
    case "request.code_wrong":
      return "A wrong code was entered.";
    case "request.locked":
      return "The request was locked after too many wrong codes. Nothing was done with it.";
    case "request.joined":
      return "The same request was made again; we kept working on this one.";
    case "request.verified":
      return p["method"] === "account"
        ? "You were signed in, so we know it is you."
        : p["method"] === "host_event"
          ? "We were told you are under the minimum age for the service, so we delete your data as the law requires."
          : p["method"] === "none"
            ? "This kind of request needs no proof of who you are."
            : "You confirmed it is you.";
    case "request.awaiting_approval":
      return "Our privacy team reviews the request before we carry it out.";
    case "request.approved":
      return "Our privacy team approved the request.";
    case "request.in_progress":
      return p["waits_for"]
        ? "We recorded your choice; it is applied to how we process your data."
        : "We started working on it.";
    case "request.retried":
      return "We are trying again the part that could not be done.";
    case "request.completed":
      return "Done.";
    case "request.partially_completed":
      return "Part of it is done; part could not be done yet, and we keep working on it.";
    case "request.denied":
      return `We could not do it: ${String(p["reason"] ?? "")}`;
    case "request.extended":
      return `We need more time: ${String(p["reason"] ?? "")}${p["due_at"] ? ` We now answer by ${day(p["due_at"])}.` : ""}`;
    case "request.paused":
      return `The deadline is paused: ${String(p["reason"] ?? "")}`;
    case "request.resumed":
      return "The deadline runs again.";
    case "request.cancelled":
      return "The request was cancelled.";
    case "request.expired":
      return "The request expired because it was never confirmed.";
    case "package.downloaded":
      return "The copy of your data was downloaded.";
    default:
      return undefined;
  }
}

/** What is left to do, for the status page. */
export function nextStep(row: RequestRow): string {
  switch (row.status) {
    case "awaiting_verification":
      return "Enter the code we sent to your e-mail address.";
    case "verified":
    case "in_progress":
      return "Nothing: we are working on it and will write to you when it is done.";
    case "awaiting_approval":
      return "Nothing: our privacy team reviews it, then we carry it out.";
    case "routed":
      return "Nothing: the organization that decides about this data answers you; we follow it up.";
    case "completed":
      return row.type === "access" || row.type === "portability"
        ? "Download your data with the link in the e-mail we sent."
        : "Nothing: it is done.";
    case "partially_completed":
      return "Nothing: we keep working on the part that is left and will write to you.";
    default:
      return "Nothing.";
  }
}
