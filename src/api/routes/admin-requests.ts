/**
 * The operators' routes under /api/admin, each behind an API key with a role (src/auth/api-keys.ts): the queue with
 * filters and counts, one request with its plan, timeline and audit events, the actions on it, legal holds, and
 * events from the host application (a user found to be under age).
 */
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { ADMIN_ACTIONS, type AdminAction } from "../../requests/admin-actions.ts";
import { REQUEST_STATUSES } from "../../requests/lifecycle.ts";
import type { RequestService } from "../../requests/request-service.ts";
import { summarise } from "../../requests/request-views.ts";
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
          summary: `Act on a request: ${ADMIN_ACTIONS.join(", ")}. deny, extend and pause need a reason.`,
          tags: ["admin"],
          security,
          params: z.object({ id: z.string(), action: z.enum(ADMIN_ACTIONS as [AdminAction, ...AdminAction[]]) }),
          body: z.object({ reason: z.string().max(2000).optional() }).nullish(),
          response: { 200: summarySchema, ...errors },
        },
      },
      async (request) => {
        const caller = callerOf(request);
        const row = await requests.act(request.params.id, request.params.action, caller.actor, request.body?.reason);
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

    app.post(
      "/api/admin/events",
      {
        onRequest: admin,
        schema: {
          summary:
            "An event from the host application. subject.under_age starts a full erasure of that person with no request from them.",
          tags: ["admin"],
          security,
          body: z.object({
            type: z.enum(["subject.under_age"]),
            identity: z.record(z.string(), z.union([z.string(), z.number()])),
            jurisdiction: z.string().optional(),
          }),
          response: { 202: summarySchema, ...errors },
        },
      },
      async (request, reply) => {
        const b = request.body;
        const result = await requests.submit({
          type: "erasure",
          identity: b.identity,
          jurisdiction: b.jurisdiction,
          source: "host_event",
          actor: callerOf(request).actor,
          hostEvent: "subject.under_age",
        });
        return reply.status(202).send(summarise(requests.ctx, result.row));
      },
    );
  };
