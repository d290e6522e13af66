/**
 * A request in plain words, for the person: what they asked for, what happened so far (the timeline, from the audit
 * trail), and what is left. The operator's view keeps the event kinds; the person reads sentences. The sentences are
 * messages of the catalogue (src/i18n/en/requests.ts): the API says them in English, the privacy center in the
 * visitor's locale.
 */

import type { Message, MessageKey, Translator } from "../i18n/translate.ts";
import { ENGLISH } from "../i18n/translate.ts";
import type { MailFacts } from "../mail/request-mails.ts";
import { REQUEST_TYPES, type RequestType } from "../manifest/types.ts";
import type { RequestRow } from "./move-request.ts";
import { asksForCategories, isOptIn, type RequestDetails } from "./request-details.ts";
import type { ServiceContext } from "./service-context.ts";

/** "a copy of your data" — what the request asks for, as a noun phrase (English; other locales: `asked.<type>`). */
export const ASKED_FOR: Readonly<Record<RequestType, string>> = Object.fromEntries(
  REQUEST_TYPES.map((type) => [type, ENGLISH.t(`asked.${type}`)]),
) as Record<RequestType, string>;

export function statusUrl(ctx: ServiceContext, id: string): string {
  return `${ctx.config.publicUrl}/api/requests/${id}`;
}

/**
 * The phrase (`asked.<key>`) for what the request asks: its type's, or the opt-in's for an opt-out of sale and sharing
 * that is an opt-in, or the categories' for an access to the categories only. The details are sealed, so they are
 * read when `ctx` is given; the outcome says it too once the request is done.
 */
export function askedKey(row: RequestRow, ctx?: ServiceContext): string {
  if (row.type !== "opt_out_sale_sharing" && row.type !== "access") return row.type;
  const details =
    ctx !== undefined && row.details_enc !== null
      ? ctx.sealer.openJson<RequestDetails>(row.details_enc, `details:${row.id}`)
      : undefined;
  if (row.type === "opt_out_sale_sharing" && (row.outcome?.["choice"] === "granted" || isOptIn(details)))
    return "opt_in_sale_sharing";
  if (row.type === "access" && (row.outcome?.["scope"] === "categories" || asksForCategories(details)))
    return "access_categories";
  return row.type;
}

export function mailFacts(ctx: ServiceContext, row: RequestRow, to: string): MailFacts {
  return {
    to,
    organization: ctx.manifest.organization?.name ?? "us",
    what: ENGLISH.t(`asked.${askedKey(row, ctx)}` as MessageKey),
    statusUrl: statusUrl(ctx, row.id),
  };
}

export interface TimelineEvent {
  readonly at: Date;
  readonly kind: string;
  readonly payload: Readonly<Record<string, unknown>>;
}

const text = (value: unknown) => String(value ?? "");

/**
 * The message for one event the person should know of; internal events (a code's hash made, a retry) say nothing.
 * Dates are put in words by `date` (the API: the ISO day; the pages: the visitor's locale).
 */
export function timelineMessage(
  e: TimelineEvent,
  row: RequestRow,
  date: (iso: string) => string = (iso) => iso.slice(0, 10),
  /** What the request asks (`askedKey`), when the caller has worked it out from the sealed details. */
  asked: string = askedKey(row),
): Message | undefined {
  const p = e.payload;
  const due = typeof p["due_at"] === "string" ? date(p["due_at"]) : undefined;
  // `type` names the phrase (`asked.<type>`) a page puts in the reader's locale.
  const type = asked;
  const what = ENGLISH.t(`asked.${type}` as MessageKey);
  switch (e.kind) {
    case "request.received":
      return due
        ? { key: "timeline.received_due", params: { what, due, type } }
        : { key: "timeline.received", params: { what, type } };
    case "mail.sent":
      return { key: p["mail"] === "code" ? "timeline.code_sent" : "timeline.mail_sent" };
    case "mail.failed":
      return p["mail"] === "code" ? { key: "timeline.code_failed" } : undefined;
    case "request.code_wrong":
      return { key: "timeline.code_wrong" };
    case "request.locked":
      return { key: "timeline.locked" };
    case "request.joined":
      return { key: "timeline.joined" };
    case "request.verified":
      return {
        key:
          p["method"] === "account"
            ? "timeline.verified_account"
            : p["method"] === "host_event"
              ? "timeline.verified_host_event"
              : p["method"] === "none"
                ? "timeline.verified_none"
                : "timeline.verified",
      };
    case "request.awaiting_approval":
      return { key: "timeline.awaiting_approval" };
    case "request.approved":
      return { key: "timeline.approved" };
    case "request.in_progress":
      return { key: p["waits_for"] ? "timeline.choice_applied" : "timeline.started" };
    case "request.retried":
      return { key: "timeline.retried" };
    case "request.completed":
      return { key: "timeline.completed" };
    case "request.partially_completed":
      return { key: "timeline.partially_completed" };
    case "request.denied":
      return { key: "timeline.denied", params: { reason: text(p["reason"]) } };
    case "request.extended":
      return due
        ? { key: "timeline.extended_due", params: { reason: text(p["reason"]), due } }
        : { key: "timeline.extended", params: { reason: text(p["reason"]) } };
    case "request.paused":
      return { key: "timeline.paused", params: { reason: text(p["reason"]) } };
    case "request.resumed":
      return { key: "timeline.resumed" };
    case "request.cancelled":
      return { key: "timeline.cancelled" };
    case "request.expired":
      return { key: "timeline.expired" };
    case "package.downloaded":
      return { key: "timeline.downloaded" };
    case "package.transmitted":
      return { key: "timeline.transmitted" };
    case "package.transmission_failed":
      return { key: "timeline.transmission_failed" };
    default:
      return undefined;
  }
}

/** The event in one English sentence (the API's timeline). */
export function describeEvent(e: TimelineEvent, row: RequestRow): string | undefined {
  const message = timelineMessage(e, row);
  return message && ENGLISH.say(message);
}

/** The message for what is left to do, for the status page. */
export function nextMessage(row: RequestRow): Message {
  switch (row.status) {
    case "awaiting_verification":
      return { key: "next.enter_code" };
    case "verified":
    case "in_progress":
      return { key: "next.working" };
    case "awaiting_approval":
      return { key: "next.review" };
    case "routed":
      return { key: "next.routed" };
    case "completed":
      return { key: row.type === "access" || row.type === "portability" ? "next.download" : "next.done" };
    case "partially_completed":
      return { key: "next.partial" };
    default:
      return { key: "next.nothing" };
  }
}

/** What is left to do, in English. */
export const nextStep = (row: RequestRow): string => ENGLISH.say(nextMessage(row));

/** For a page in the reader's locale: the timeline message with its "what" and its dates in that locale. */
export function sayTimeline(t: Translator, m: Message): string {
  const params: Record<string, string | number> = { ...m.params };
  if (typeof params["type"] === "string") params["what"] = t.t(`asked.${params["type"]}` as Message["key"]);
  if (typeof params["due"] === "string" && /^\d{4}-\d{2}-\d{2}$/.test(params["due"]))
    params["due"] = t.date(`${params["due"]}T12:00:00Z`);
  return t.t(m.key, params);
}
