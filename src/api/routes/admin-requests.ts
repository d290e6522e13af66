/**
 * The operators' routes under /api/admin, each behind an API key with a role (src/auth/api-keys.ts): the queue with
 * filters and counts, one request with its plan, timeline and audit events, the actions on it, legal holds, and
 * events from the host application (a user found to be under age).
 */
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { ADMIN_ACTIONS, type AdminAction } from "../../requests/admin-actions.ts";
import { DENIAL_REASONS } from "../../requests/denial-reasons.ts";
import { REQUEST_STATUSES } from "../../requests/lifecycle.ts";
import type { RequestService } from "../../requests/request-service.ts";
import { summarise } from "../../requests/request-views.ts";
import { parseTime } from "../../retention/retention-service.ts";
import type { Store } from "../../store/store.ts";
import { callerOf, requireRole } from "../admin-auth.ts";
import { errorBody } from "../error-body.ts";
import { summarySchema } from "./requests.ts";

/** A comma-separated query parameter as a list (absent or empty: no filter). */
export const csv = z
  .string()
  .optional()
  .transform((v) => (v ? v.split(",").filter(Boolean) : undefined));

const holdSchema = z.object({ id: z.string(), reason: z.string(), placed_by: z.string(), placed_at: z.string() });

export const adminRequestRoutes =
  (deps: { readonly requests: RequestService; readonly store: Store }): FastifyPluginAsyncZod =>
  async (app) => {
    const { requests, store } = deps;
    const read = requireRole(store, "read");
    const act = requireRole(store, "act");
    const admin = requireRole(store, "admin");
    const errors = { "4xx": errorBody, "5xx": errorBody };
    const security = [{ apiKey: [] }];

    app.get(
      "/api/admin/requests",
      {
        onRequest: read,
        schema: {
          summary: "The queue: requests soonest due first, with filters and counts per status.",
          tags: ["admin"],
          security,
          querystring: z.object({
            status: csv.describe(`comma-separated: ${REQUEST_STATUSES.join(", ")}`),
            type: csv,
            jurisdiction: csv,
            due_before: z.iso.datetime({ offset: true }).optional(),
            overdue: z.enum(["true", "false"]).optional(),
            open: z.enum(["true", "false"]).optional(),
            limit: z.coerce.number().int().min(1).max(1000).optional(),
            offset: z.coerce.number().int().min(0).optional(),
          }),
          response: {
            200: z.object({
              requests: z.array(summarySchema),
              total: z.number(),
              counts: z.record(z.string(), z.number()),
            }),
            ...errors,
          },
        },
      },
      async (request) => {
        const q = request.query;
        return requests.list({
          ...(q.status ? { status: q.status } : {}),
          ...(q.type ? { type: q.type } : {}),
          ...(q.jurisdiction ? { jurisdiction: q.jurisdiction } : {}),
          ...(q.due_before ? { dueBefore: new Date(q.due_before) } : {}),
          ...(q.overdue === "true" ? { overdue: true } : {}),
          ...(q.open === "true" ? { open: true } : {}),
          ...(q.limit ? { limit: q.limit } : {}),
          ...(q.offset ? { offset: q.offset } : {}),
        });
      },
    );

    app.get(
      "/api/admin/requests/:id",
      {
        onRequest: read,
        schema: {
          summary: "One request: masked identities, timeline, plan, answer per collection, holds and audit events.",
          tags: ["admin"],
          security,
          params: z.object({ id: z.string() }),
          response: { 200: z.record(z.string(), z.unknown()), ...errors },
        },
      },
      async (request) => {
        const view = await requests.show(request.params.id);
        return JSON.parse(JSON.stringify(view)) as Record<string, unknown>;
      },
    );

    app.post(
      "/api/admin/requests/:id/:action",
      {
        onRequest: act,
        schema: {
          summary: `Act on a request: ${ADMIN_ACTIONS.join(", ")}. deny, extend and pause need a reason; deny may name the kind of denial (DRP 1.0 §3.02), default other.`,
          tags: ["admin"],
          security,
          params: z.object({ id: z.string(), action: z.enum(ADMIN_ACTIONS as [AdminAction, ...AdminAction[]]) }),
          body: z
            .object({
              reason: z.string().max(2000).optional(),
              denial: z
                .string()
                .max(40)
                .optional()
                .describe(
                  `deny only: the kind of denial, told to an authorized agent (DRP 1.0 §3.02): ${DENIAL_REASONS.join(", ")}; default other`,
                ),
            })
            .nullish(),
          response: { 200: summarySchema, ...errors },
        },
      },
      async (request) => {
        const caller = callerOf(request);
        const row = await requests.act(
          request.params.id,
          request.params.action,
          caller.actor,
          request.body?.reason,
          request.body?.denial,
        );
        return summarise(requests.ctx, row);
      },
    );

    app.post(
      "/api/admin/holds",
      {
        onRequest: act,
        schema: {
          summary: "Place a legal hold on a subject (by a request of theirs, or by identity): erasure stops for them.",
          tags: ["admin"],
          security,
          body: z.object({
            request_id: z.string().optional(),
            identity: z.record(z.string(), z.string()).optional(),
            reason: z.string().min(1).max(2000),
          }),
          response: { 201: z.object({ holds: z.array(holdSchema) }), ...errors },
        },
      },
      async (request, reply) => {
        const b = request.body;
        const holds = await requests.placeHold(
          { ...(b.request_id ? { request_id: b.request_id } : {}), ...(b.identity ? { identity: b.identity } : {}) },
          b.reason,
          callerOf(request).actor,
        );
        return reply.status(201).send({ holds: holds.map((h) => ({ ...h, placed_at: h.placed_at.toISOString() })) });
      },
    );

    app.delete(
      "/api/admin/holds/:id",
      {
        onRequest: act,
        schema: {
          summary: "Lift a legal hold.",
          tags: ["admin"],
          security,
          params: z.object({ id: z.string() }),
          body: z.object({ reason: z.string().max(2000).optional() }).nullish(),
          response: { 200: z.object({ lifted: z.literal(true) }), ...errors },
        },
      },
      async (request) => {
        await requests.liftHold(request.params.id, callerOf(request).actor, request.body?.reason);
        return { lifted: true as const };
      },
    );

    const tallySchema = z.object({ due: z.number(), deleted: z.number(), masked: z.number(), kept: z.number() });
    const outcomeSchema = z.object({
      rule: z.string(),
      sweep: z.string(),
      cutoff: z.string().optional(),
      people: z.number().optional(),
      held: z.number(),
      collections: z.record(z.string(), tallySchema),
      proof: z.object({ complete: z.boolean(), residual: z.number() }),
      skipped: z.string().optional(),
      unreached: z.array(z.string()).optional(),
      failed: z.object({ code: z.string(), message: z.string() }).optional(),
    });

    const eventAnswer = z.object({ type: z.string(), at: z.string(), outcomes: z.array(outcomeSchema) });

    app.post(
      "/api/admin/events",
      {
        onRequest: admin,
        schema: {
          summary:
            "An event from the host application. subject.under_age starts a full erasure of that person with no request from them (202, the request); any other event a retention rule waits for (identity_verification.succeeded, account.closed, …) runs those rules for the person now (200, each rule's counts).",
          tags: ["admin"],
          security,
          body: z.object({
            type: z.string().min(1).max(200),
            identity: z.record(z.string(), z.union([z.string(), z.number()])),
            at: z.string().optional(),
            jurisdiction: z.string().optional(),
          }),
          response: {
            200: eventAnswer,
            202: summarySchema,
            ...errors,
          },
        },
      },
      async (request, reply) => {
        const b = request.body;
        const result = await requests.emitEvent(
          {
            type: b.type,
            identity: b.identity,
            ...(b.at !== undefined ? { at: b.at } : {}),
            ...(b.jurisdiction !== undefined ? { jurisdiction: b.jurisdiction } : {}),
          },
          callerOf(request).actor,
        );
        if (result.kind === "request") return reply.status(202).send(summarise(requests.ctx, result.row));
        return reply.status(200).send(result.result as unknown as z.infer<typeof eventAnswer>);
      },
    );

    app.get(
      "/api/admin/retention",
      {
        onRequest: read,
        schema: {
          summary: "The retention dry run: per rule, what is due now and what would happen to it. Writes nothing.",
          tags: ["admin"],
          security,
          querystring: z.object({ rule: csv, now: z.string().optional() }),
          response: { 200: z.object({ rules: z.array(z.record(z.string(), z.unknown())) }), ...errors },
        },
      },
      async (request) => {
        const q = request.query;
        const rules = await requests.retentionPlan({
          ...(q.rule ? { rules: q.rule } : {}),
          ...(q.now ? { now: parseTime("now", q.now) } : {}),
        });
        return { rules: rules as unknown as Record<string, unknown>[] };
      },
    );

    app.get(
      "/api/admin/notice/notifications",
      {
        onRequest: read,
        schema: {
          summary:
            "Per published notice version: whether its material change was mailed to the people it concerns — the run's state, the scope it read, and how many mails are sent, pending, failed or uncertain.",
          tags: ["admin"],
          security,
          response: { 200: z.object({ versions: z.array(z.record(z.string(), z.unknown())) }), ...errors },
        },
      },
      async () => ({
        versions: (await requests.notificationStatuses()) as unknown as Record<string, unknown>[],
      }),
    );

    app.get(
      "/api/admin/notice/notifications/:version/plan",
      {
        onRequest: read,
        schema: {
          summary:
            "The dry run of a version's notification: whom its material change concerns. Writes and sends nothing.",
          tags: ["admin"],
          security,
          params: z.object({ version: z.string() }),
          response: { 200: z.record(z.string(), z.unknown()), ...errors },
        },
      },
      async (request) =>
        (await requests.planNotification(request.params.version)) as unknown as Record<string, unknown>,
    );

    app.post(
      "/api/admin/retention/run",
      {
        onRequest: admin,
        schema: {
          summary:
            "Queues retention sweeps for the workers now (every sweeping rule, or those named); each rule's outcome becomes a retention.swept audit event.",
          tags: ["admin"],
          security,
          body: z.object({ rules: z.array(z.string()).optional() }).nullish(),
          response: { 202: z.object({ queued: z.array(z.string()) }), ...errors },
        },
      },
      async (request, reply) => {
        const queued = await requests.queueRetention(request.body?.rules);
        return reply.status(202).send({ queued });
      },
    );
  };
