/**
 * What is shown of a request: to the person (status, deadline, timeline in words, what is left) and to an operator
 * (the same, plus masked identities, the plan, the answer per collection, holds and the raw audit events). Neither
 * ever holds an identity in clear: the operator sees "a…@example.com".
 */
import { type Expression, type ExpressionBuilder, type SqlBool, sql } from "kysely";
import type { Message } from "../i18n/translate.ts";
import { ENGLISH } from "../i18n/translate.ts";
import type { RequestType } from "../manifest/types.ts";
import { buildPlan } from "../plan/build-plan.ts";
import { explainPlan } from "../plan/explain-plan.ts";
import type { StoreSchema } from "../store/store-schema.ts";
import { holdsOf, type LegalHold } from "./admin-actions.ts";
import { isOpen, REQUEST_STATUSES, type RequestStatus } from "./lifecycle.ts";
import type { RequestRow } from "./move-request.ts";
import { askedKey, nextMessage, statusUrl, timelineMessage } from "./request-words.ts";
import type { ServiceContext } from "./service-context.ts";
import { type Identity, maskIdentity } from "./subject.ts";

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

export interface RequestSummary {
  readonly id: string;
  readonly type: RequestType;
  /**
   * What it asks, as the key of its words (`type.<asked>`): the type, or `opt_in_sale_sharing` for an opt-out of sale
   * and sharing that opts in, `access_categories` for an access to the categories held only.
   */
  readonly asked: string;
  readonly status: string;
  readonly jurisdiction: string | null;
  readonly received_at: string;
  readonly due_at: string | null;
  readonly acknowledge_by: string | null;
  readonly extended: boolean;
  readonly paused: boolean;
  /** Whole days until the due date (negative when overdue); null without a due date or once closed. */
  readonly days_left: number | null;
  readonly overdue: boolean;
  readonly closed_at: string | null;
  readonly status_url: string;
}

export function summarise(ctx: ServiceContext, row: RequestRow): RequestSummary {
  const now = ctx.now().getTime();
  const open = isOpen(row.status);
  const left = row.due_at && open ? Math.floor((row.due_at.getTime() - now) / 86_400_000) : null;
  return {
    id: row.id,
    type: row.type,
    asked: askedKey(row, ctx),
    status: row.status,
    jurisdiction: row.jurisdiction,
    received_at: row.created_at.toISOString(),
    due_at: iso(row.due_at),
    acknowledge_by: iso(row.acknowledge_by),
    extended: row.extended_at !== null,
    paused: row.paused_since !== null,
    days_left: left,
    overdue: open && row.due_at !== null && row.due_at.getTime() < now && row.paused_since === null,
    closed_at: iso(row.closed_at),
    status_url: statusUrl(ctx, row.id),
  };
}

async function eventsOf(ctx: ServiceContext, id: string) {
  return ctx.store.db
    .selectFrom("audit_events")
    .select(["id", "at", "actor", "kind", "payload"])
    .where("request_id", "=", id)
    .orderBy("id")
    .execute();
}

export interface PersonView extends RequestSummary {
  /** Each entry in English (`text`) and as a message a page puts in its reader's locale. */
  readonly timeline: { at: string; text: string; message: Message }[];
  readonly next: string;
  readonly next_message: Message;
  readonly reason: string | null;
}

export async function personView(ctx: ServiceContext, row: RequestRow): Promise<PersonView> {
  const events = await eventsOf(ctx, row.id);
  const asked = askedKey(row, ctx);
  const timeline = events.flatMap((e) => {
    const message = timelineMessage(e, row, undefined, asked);
    return message ? [{ at: e.at.toISOString(), text: ENGLISH.say(message), message }] : [];
  });
  const next = nextMessage(row);
  return {
    ...summarise(ctx, row),
    timeline,
    next: ENGLISH.say(next),
    next_message: next,
    reason: row.status === "denied" || row.extended_at || row.paused_since ? row.reason : null,
  };
}

export interface AdminView extends PersonView {
  readonly identities: Readonly<Record<string, string>>;
  readonly source: string;
  /** The authorized agent (DRP agent-id) that made the request on the person's behalf, else null. */
  readonly agent: string | null;
  /** The Data Rights Protocol requests of agents that follow it (one, unless another agent's joined it). */
  readonly agents: readonly AgentLink[];
  readonly verification: { readonly level: string; readonly method: string | null; readonly at: string | null };
  readonly requires_approval: boolean;
  readonly attempts: number;
  /** When the workers try a partial answer again by themselves; null when no retry is waiting. */
  readonly retry_at: string | null;
  readonly auto_retries: number;
  readonly outcome: Record<string, unknown> | null;
  readonly holds: readonly LegalHold[];
  readonly plan: string | null;
  readonly audit: readonly { id: number; at: string; actor: string; kind: string; payload: unknown }[];
}

export interface AgentLink {
  readonly agent: string;
  /** The DRP action as sent (`sale:opt-out`, `deletion`, …) and the regime, if any. */
  readonly exercise: string;
  readonly regime: string | null;
  readonly agent_request_id: string | null;
  /** What the agent gave as the person's power of attorney (a reference to the document), opened for the operator. */
  readonly power_of_attorney: string | null;
  readonly received_at: string;
  readonly revoked_at: string | null;
}

async function agentLinksOf(ctx: ServiceContext, row: RequestRow): Promise<AgentLink[]> {
  const links = await ctx.store.db
    .selectFrom("drp_requests")
    .selectAll()
    .where("request_id", "=", row.id)
    .orderBy("received_at")
    .execute();
  return links.map((l) => ({
    agent: l.agent_id,
    exercise: l.exercise,
    regime: l.regime,
    agent_request_id: l.agent_request_id,
    power_of_attorney: l.power_of_attorney_enc
      ? ctx.sealer.openJson<string>(l.power_of_attorney_enc, `drp_poa:${row.id}:${l.agent_id}`)
      : null,
    received_at: l.received_at.toISOString(),
    revoked_at: iso(l.revoked_at),
  }));
}

export async function adminView(ctx: ServiceContext, row: RequestRow): Promise<AdminView> {
  const person = await personView(ctx, row);
  const identity = row.identities_enc
    ? ctx.sealer.openJson<Identity>(row.identities_enc, `identities:${row.id}`)
    : ({} as Identity);
  const masked = Object.fromEntries(Object.entries(identity).map(([t, v]) => [t, maskIdentity(t, v)]));
  let plan: string | null = null;
  if (row.type === "access" || row.type === "portability" || row.type === "erasure" || row.type === "rectification") {
    try {
      plan = explainPlan(
        buildPlan(ctx.manifest, {
          action: row.type === "portability" ? "access" : row.type,
          identities: Object.keys(identity).sort(),
        }),
      );
    } catch {
      plan = null;
    }
  }
  const events = await eventsOf(ctx, row.id);
  return {
    ...person,
    reason: row.reason,
    identities: masked,
    source: row.source,
    agent: row.agent,
    agents: await agentLinksOf(ctx, row),
    verification: { level: row.verification_level, method: row.verification_method, at: iso(row.verified_at) },
    requires_approval: row.requires_approval,
    attempts: row.attempts,
    retry_at: iso(row.retry_at),
    auto_retries: row.auto_retries,
    outcome: row.outcome,
    holds: await holdsOf(ctx, row.subject_hashes),
    plan,
    audit: events.map((e) => ({ id: e.id, at: e.at.toISOString(), actor: e.actor, kind: e.kind, payload: e.payload })),
  };
}

export interface ListFilter {
  readonly status?: readonly string[];
  readonly type?: readonly string[];
  readonly jurisdiction?: readonly string[];
  readonly dueBefore?: Date;
  readonly overdue?: boolean;
  readonly open?: boolean;
  readonly limit?: number;
  readonly offset?: number;
}

export interface RequestList {
  readonly requests: RequestSummary[];
  readonly total: number;
  readonly counts: Readonly<Record<string, number>>;
}

/** Requests matching the filter, soonest due first (open before closed); counts per status over the same filter. */
export async function listRequests(ctx: ServiceContext, filter: ListFilter = {}): Promise<RequestList> {
  const now = ctx.now();
  const where = (eb: ExpressionBuilder<StoreSchema, "requests">) => {
    const parts: Expression<SqlBool>[] = [];
    if (filter.status?.length) parts.push(eb("status", "in", [...filter.status]));
    if (filter.type?.length) parts.push(eb("type", "in", [...(filter.type as RequestType[])]));
    if (filter.jurisdiction?.length) parts.push(eb("jurisdiction", "in", [...filter.jurisdiction]));
    if (filter.dueBefore) parts.push(eb("due_at", "<", filter.dueBefore));
    if (filter.open) parts.push(eb("status", "in", REQUEST_STATUSES.filter(isOpen) as RequestStatus[]));
    if (filter.overdue)
      parts.push(
        eb.and([
          eb("due_at", "<", now),
          eb("paused_since", "is", null),
          eb("status", "in", REQUEST_STATUSES.filter(isOpen) as RequestStatus[]),
        ]),
      );
    return eb.and(parts);
  };
  const rows = await ctx.store.db
    .selectFrom("requests")
    .selectAll()
    .where(where)
    .orderBy(sql`closed_at is not null`)
    .orderBy(sql`due_at asc nulls last`)
    .orderBy("created_at")
    .limit(Math.min(filter.limit ?? 100, 1000))
    .offset(filter.offset ?? 0)
    .execute();
  const counted = await ctx.store.db
    .selectFrom("requests")
    .select(["status", sql<number>`count(*)::int`.as("n")])
    .where(where)
    .groupBy("status")
    .execute();
  const counts = Object.fromEntries(counted.map((c) => [c.status, Number(c.n)]));
  return {
    requests: rows.map((r) => summarise(ctx, r)),
    total: Object.values(counts).reduce((a, b) => a + b, 0),
    counts,
  };
}
