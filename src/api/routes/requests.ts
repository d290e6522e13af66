/**
 * The person's routes: make a request, confirm it with the code, ask for a new code, follow it, and download the
 * package through the signed link from the mail. Rate-limited per client; the request token is accepted as
 * `Authorization: Bearer …` or `?token=` (query strings never reach the log).
 */
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { REQUEST_TYPES } from "../../manifest/types.ts";
import type { RequestService } from "../../requests/request-service.ts";
import { summarise } from "../../requests/request-views.ts";
import { errorBody } from "../error-body.ts";

export const summarySchema = z.object({
  id: z.string(),
  type: z.string(),
  asked: z
    .string()
    .describe(
      "What it asks: the type, or opt_in_sale_sharing (an opt_out_sale_sharing that opts in), access_categories (an access to the categories held only)",
    ),
  status: z.string(),
  jurisdiction: z.string().nullable(),
  received_at: z.string(),
  due_at: z.string().nullable().describe("End of the day the answer is due, by the jurisdiction's rules"),
  acknowledge_by: z.string().nullable().describe("Receipt must be confirmed by then (CCPA: 10 business days)"),
  extended: z.boolean(),
  paused: z.boolean(),
  days_left: z.number().nullable(),
  overdue: z.boolean(),
  closed_at: z.string().nullable(),
  status_url: z.string(),
});

const personSchema = summarySchema.extend({
  timeline: z.array(z.object({ at: z.string(), text: z.string() })),
  next: z.string(),
  reason: z.string().nullable(),
});

const submitted = summarySchema.extend({
  token: z
    .string()
    .optional()
    .describe(
      "Shown once: opens GET /api/requests/{id} until the request is confirmed; the confirmation answers with a new token and voids this one",
    ),
  joined: z.boolean().describe("True when an open request of the same type for the same person was joined"),
  next: z.enum(["enter_code", "sign_in"]).nullable(),
  code_sent: z.boolean(),
});

const bearer = (header: string | undefined): string | undefined =>
  header?.startsWith("Bearer ") ? header.slice(7).trim() : undefined;

export const requestRoutes =
  (deps: { readonly requests: RequestService; readonly rateLimitScale: number }): FastifyPluginAsyncZod =>
  async (app) => {
    const { requests } = deps;
    const limited = (max: number) => ({ rateLimit: { max: max * deps.rateLimitScale, timeWindow: "1 minute" } });
    const idParams = z.object({ id: z.string() });

    app.post(
      "/api/requests",
      {
        config: limited(20),
        schema: {
          summary: "Make a data-subject request. Answers 202; the person then confirms it with the code sent by mail.",
          tags: ["requests"],
          body: z.object({
            type: z.enum(REQUEST_TYPES as [string, ...string[]]),
            identity: z.record(z.string(), z.union([z.string(), z.number()])),
            jurisdiction: z.string().optional(),
            country: z.string().optional().describe("ISO 3166-1 alpha-2, or US-CA: picks the jurisdiction"),
            details: z.record(z.string(), z.unknown()).optional(),
            account_token: z.string().optional().describe("The host application's JWT for a signed-in user"),
          }),
          response: { 202: submitted, "4xx": errorBody, "5xx": errorBody },
        },
      },
      async (request, reply) => {
        const b = request.body;
        const result = await requests.submit({
          type: b.type,
          identity: b.identity,
          jurisdiction: b.jurisdiction,
          country: b.country,
          details: b.details,
          accountToken: b.account_token,
        });
        return reply.status(202).send({
          ...summarise(requests.ctx, result.row),
          ...(result.token ? { token: result.token } : {}),
          joined: result.joined,
          next: result.next,
          code_sent: result.codeSent,
        });
      },
    );

    app.post(
      "/api/requests/:id/verify",
      {
        config: limited(10),
        schema: {
          summary: "Confirm a request with the code from the mail. Five wrong codes lock it.",
          tags: ["requests"],
          params: idParams,
          body: z.object({ code: z.string().max(20) }),
          response: { 200: personSchema.extend({ token: z.string() }), "4xx": errorBody, "5xx": errorBody },
        },
      },
      async (request) => {
        const { row, token } = await requests.verify(request.params.id, request.body.code);
        const view = await requests.forPerson(row.id, token);
        return { ...view, token };
      },
    );

    app.post(
      "/api/requests/:id/resend",
      {
        config: limited(5),
        schema: {
          summary: "Send a new code (at most one a minute, five in all).",
          tags: ["requests"],
          params: idParams,
          response: { 202: z.object({ sent: z.literal(true) }), "4xx": errorBody, "5xx": errorBody },
        },
      },
      async (request, reply) => {
        await requests.resend(request.params.id);
        return reply.status(202).send({ sent: true as const });
      },
    );

    app.get(
      "/api/requests/:id",
      {
        config: limited(60),
        schema: {
          summary: "A request's status, deadline and timeline in plain words (needs the request token).",
          tags: ["requests"],
          params: idParams,
          querystring: z.object({ token: z.string().optional() }),
          response: { 200: personSchema, "4xx": errorBody, "5xx": errorBody },
        },
      },
      async (request) => {
        const token = bearer(request.headers.authorization) ?? request.query.token;
        return requests.forPerson(request.params.id, token);
      },
    );

    app.get(
      "/api/requests/:id/package",
      {
        config: limited(20),
        schema: {
          summary: "Download the access package (a zip) through the signed, expiring link sent by mail.",
          tags: ["requests"],
          params: idParams,
          querystring: z.object({ expires: z.string().optional(), sig: z.string().optional() }),
          response: { 200: z.any().describe("application/zip"), "4xx": errorBody, "5xx": errorBody },
        },
      },
      async (request, reply) => {
        const { bytes, filename } = await requests.package(request.params.id, request.query.expires, request.query.sig);
        return reply
          .type("application/zip")
          .header("content-disposition", `attachment; filename="${filename}"`)
          .header("cache-control", "no-store")
          .send(bytes);
      },
    );
  };
