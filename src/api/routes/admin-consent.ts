/**
 * The operators' consent routes, behind an API key: the ledger's events (newest first, filtered), counts per purpose,
 * method and status, one subject's decisions, and recording for anyone — an import, a restriction placed or lifted
 * (GDPR Art. 18), a fact reported by the host.
 */
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { ConsentLedger } from "../../consent/consent-ledger.ts";
import { consentCounts, listConsentEvents, listDeliveries } from "../../consent/consent-views.ts";
import type { Store } from "../../store/store.ts";
import { callerOf, requireRole } from "../admin-auth.ts";
import { errorBody } from "../error-body.ts";
import { csv } from "./admin-requests.ts";
import { decisionSchema } from "./consent.ts";

const STATUSES = ["granted", "withdrawn", "objected", "restricted", "unrestricted", "under_age"] as const;
const METHODS = ["banner", "preferences", "api", "gpc", "request", "import", "host_event", "admin"] as const;
const ADMIN_METHODS = ["admin", "import", "api"] as const;

const eventLine = z.object({
  seq: z.string(),
  record_id: z.string(),
  at: z.string(),
  purpose: z.string(),
  status: z.enum(STATUSES),
  method: z.enum(METHODS),
  jurisdiction: z.string().nullable(),
  notice_version: z.string().nullable(),
  subject_type: z.string(),
  request_id: z.string().nullable(),
  actor: z.string(),
});

export const adminConsentRoutes =
  (deps: { readonly consent: ConsentLedger; readonly store: Store }): FastifyPluginAsyncZod =>
  async (app) => {
    const { consent, store } = deps;
    const read = requireRole(store, "read");
    const act = requireRole(store, "act");
    const errors = { "4xx": errorBody, "5xx": errorBody };
    const security = [{ apiKey: [] }];

    app.get(
      "/api/admin/consent/events",
      {
        onRequest: read,
        schema: {
          summary: "The consent ledger, newest first. Page with `before` (the last `seq` of the previous page).",
          tags: ["admin", "consent"],
          security,
          querystring: z.object({
            purpose: csv,
            method: csv.describe(`comma-separated: ${METHODS.join(", ")}`),
            status: csv.describe(`comma-separated: ${STATUSES.join(", ")}`),
            since: z.iso.datetime({ offset: true }).optional(),
            before: z.string().regex(/^\d+$/).optional(),
            limit: z.coerce.number().int().min(1).max(1000).optional(),
          }),
          response: { 200: z.object({ events: z.array(eventLine), next_before: z.string().nullable() }), ...errors },
        },
      },
      async (request) => {
        const q = request.query;
        const limit = q.limit ?? 100;
        const events = await listConsentEvents(store.db, {
          purpose: q.purpose,
          method: q.method,
          status: q.status,
          since: q.since ? new Date(q.since) : undefined,
          before: q.before,
          limit,
        });
        return { events, next_before: events.length === limit ? (events.at(-1)?.seq ?? null) : null };
      },
    );

    app.get(
      "/api/admin/consent/counts",
      {
        onRequest: read,
        schema: {
          summary: "Events per purpose, method and status, with totals per purpose and per method.",
          tags: ["admin", "consent"],
          security,
          querystring: z.object({ since: z.iso.datetime({ offset: true }).optional() }),
          response: {
            200: z.object({
              counts: z.array(
                z.object({ purpose: z.string(), method: z.string(), status: z.string(), events: z.number() }),
              ),
              by_purpose: z.record(z.string(), z.number()),
              by_method: z.record(z.string(), z.number()),
            }),
            ...errors,
          },
        },
      },
      async (request) => {
        const counts = await consentCounts(store.db, request.query.since ? new Date(request.query.since) : undefined);
        const by_purpose: Record<string, number> = {};
        const by_method: Record<string, number> = {};
        for (const c of counts) {
          by_purpose[c.purpose] = (by_purpose[c.purpose] ?? 0) + c.events;
          by_method[c.method] = (by_method[c.method] ?? 0) + c.events;
        }
        return { counts, by_purpose, by_method };
      },
    );

    app.get(
      "/api/admin/consent/state",
      {
        onRequest: read,
        schema: {
          summary: "One subject's decision for every purpose, and the facts that override them.",
          tags: ["admin", "consent"],
          security,
          querystring: z.object({ subject: z.string(), jurisdiction: z.string().optional() }),
          response: {
            200: z.object({
              decisions: z.array(decisionSchema),
              events: z.number(),
              restricted_since: z.string().nullable(),
              under_age_since: z.string().nullable(),
            }),
            ...errors,
          },
        },
      },
      async (request) => {
        const { subject, jurisdiction } = request.query;
        const state = await consent.state(subject);
        return {
          decisions: await consent.decideMany(subject, undefined, jurisdiction),
          events: state.events,
          restricted_since: state.restricted?.at.toISOString() ?? null,
          under_age_since: state.underAge?.at.toISOString() ?? null,
        };
      },
    );

    app.get(
      "/api/admin/consent/deliveries",
      {
        onRequest: read,
        schema: {
          summary: "The delivery log: per change and downstream system, its state and every attempt.",
          tags: ["admin", "consent"],
          security,
          querystring: z.object({
            state: csv.describe("comma-separated: pending, delivered, failed, skipped"),
            system: csv,
            record_id: z.string().optional(),
            limit: z.coerce.number().int().min(1).max(1000).optional(),
          }),
          response: {
            200: z.object({
              deliveries: z.array(
                z.object({
                  id: z.string(),
                  record_id: z.string(),
                  system: z.string(),
                  kind: z.string(),
                  purpose: z.string(),
                  status: z.string(),
                  state: z.string(),
                  attempts: z.number(),
                  created_at: z.string(),
                  delivered_at: z.string().nullable(),
                  next_attempt_at: z.string(),
                  log: z.array(z.object({ at: z.string(), outcome: z.string() })),
                }),
              ),
            }),
            ...errors,
          },
        },
      },
      async (request) => {
        const q = request.query;
        return {
          deliveries: await listDeliveries(store.db, {
            ...(q.state ? { state: q.state } : {}),
            ...(q.system ? { system: q.system } : {}),
            ...(q.record_id ? { record_id: q.record_id } : {}),
            ...(q.limit ? { limit: q.limit } : {}),
          }),
        };
      },
    );

    app.post(
      "/api/admin/consent/events",
      {
        onRequest: act,
        schema: {
          summary:
            "Record for anyone: a choice (granted, withdrawn, objected), or a fact over every purpose (purpose `*`: restricted, unrestricted, under_age).",
          tags: ["admin", "consent"],
          security,
          body: z.object({
            subject: z.string(),
            purpose: z.string(),
            status: z.enum(STATUSES),
            method: z.enum(ADMIN_METHODS).default("admin"),
            jurisdiction: z.string().optional(),
          }),
          response: { 201: z.object({ id: z.string() }), ...errors },
        },
      },
      async (request, reply) => {
        const b = request.body;
        const [row] = await consent.record({
          subject: b.subject,
          purpose: b.purpose,
          status: b.status,
          method: b.method,
          jurisdiction: b.jurisdiction,
          actor: callerOf(request).actor,
        });
        return reply.status(201).send({ id: row?.record_id ?? "" });
      },
    );
  };
