/**
 * The Data Rights Protocol 1.0 endpoints (src/drp/), exactly where the protocol puts them: the pair-wise key setup
 * and agent information under /v1/agent/{agent-id}, and the exercise, status and revoke of a data rights request
 * under /v1/data-rights-request. Signed bodies are read as the text received, whatever their Content-Type (the
 * protocol says text/plain; a revoke often comes with none), and handed on untouched: the signature is checked over
 * those bytes. Errors are the protocol's (§3.06): `{"code": "<HTTP status>", "message": "STW_…: …"}`, the Steward
 * code also in the `x-steward-error` header; every refusal of a setup is a 403 with an empty body (§2.05.1).
 */
import type { FastifyReply } from "fastify";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { businessDocument } from "../../drp/business-document.ts";
import type { DrpService } from "../../drp/drp-service.ts";
import { DRP_REASONS, DRP_STATUSES } from "../../drp/drp-status.ts";
import { isStewardError, type StewardError, stewardError } from "../../errors.ts";

const statusSchema = z
  .object({
    request_id: z.string(),
    received_at: z.string().describe("ISO 8601 with +00:00"),
    expected_by: z.string().optional().describe("Present whenever the status is in_progress: the deadline"),
    agent_request_id: z.string().optional(),
    processing_details: z.string().optional(),
    status: z.enum(DRP_STATUSES),
    reason: z.enum(DRP_REASONS).optional(),
    user_verification_url: z.string().optional().describe("Where the person confirms it is them"),
    expires_at: z.string().optional(),
  })
  .describe("Exercise Status object (DRP 1.0 §3.03)");

const drpError = z
  .object({
    code: z.string().describe('The HTTP status as a string, e.g. "403"'),
    message: z.string().describe("The Steward error code, what is wrong and what to do"),
    fatal: z.boolean().optional(),
  })
  .describe("DRP error state (§3.06)");

/** Refusals after which the same message can never succeed. */
const FATAL = new Set(["STW_DRP_EXPIRED"]);

const signedBody = z.string().describe("base64(Ed25519 signature ‖ JSON), libsodium combined mode; text/plain");

export const drpRoutes =
  (deps: {
    readonly drp: DrpService;
    readonly publicUrl: string;
    readonly rateLimitScale: number;
  }): FastifyPluginAsyncZod =>
  async (app) => {
    const { drp } = deps;
    // Signed bodies stay text (this context only): the bytes received are what the signature covers.
    app.removeAllContentTypeParsers();
    app.addContentTypeParser("*", { parseAs: "string", bodyLimit: 64 * 1024 }, (_request, body, done) =>
      done(null, body),
    );
    app.setErrorHandler((error, request, reply) => {
      const coded: StewardError = isStewardError(error)
        ? error
        : stewardError("STW_INTERNAL", { detail: `request ${request.id} failed; the server log has the details` });
      if (!isStewardError(error)) request.log.error({ err: error }, "unexpected failure");
      else request.log.info({ code: coded.code }, "DRP request refused");
      return reply
        .status(coded.status)
        .header("x-steward-error", coded.code)
        .type("application/json; charset=utf-8")
        .send({
          code: String(coded.status),
          message: `${coded.code}: ${coded.message}`,
          ...(FATAL.has(coded.code) ? { fatal: true } : {}),
        });
    });
    const errors = { "4xx": drpError, "5xx": drpError };
    // Per client address: an agent sends many requests, a stranger probing the key setup few.
    const limited = (max: number) => ({ rateLimit: { max: max * deps.rateLimitScale, timeWindow: "1 minute" } });
    const tags = ["drp"];
    const agentParams = z.object({ agentId: z.string().max(200) });
    const idParams = z.object({ id: z.string().max(100) });

    app.post(
      "/v1/agent/:agentId",
      {
        config: limited(30),
        schema: {
          summary:
            "Pair-wise key setup (DRP 1.0 §2.05): a signed message of the agent the URL names; answers its bearer token. Any refusal is 403 with an empty body.",
          tags,
          params: agentParams,
          body: signedBody.optional(),
          response: { 200: z.object({ "agent-id": z.string(), token: z.string() }) },
        },
      },
      async (request, reply) => {
        try {
          return await drp.setup(request.params.agentId, request.body);
        } catch (error) {
          if (!isStewardError(error) || error.status >= 500) throw error;
          request.log.info({ code: error.code }, "DRP key setup refused");
          // No schema for the refusal: its body is empty, not JSON.
          return (reply as unknown as FastifyReply).status(403).header("x-steward-error", error.code).send();
        }
      },
    );

    app.get(
      "/v1/agent/:agentId",
      {
        config: limited(600),
        schema: {
          summary: "Agent information (DRP 1.0 §2.06): `{}` when the bearer token is valid and the URL's agent's.",
          tags,
          params: agentParams,
          response: { 200: z.object({}), ...errors },
        },
      },
      async (request) => drp.info(request.params.agentId, request.headers.authorization),
    );

    for (const url of ["/v1/data-rights-request", "/v1/data-rights-request/"])
      app.post(
        url,
        {
          config: limited(600),
          schema: {
            summary:
              "Data rights exercise (DRP 1.0 §2.01): a signed request becomes a Steward request; answers its status (open, or in_progress when the person must confirm it).",
            tags,
            body: signedBody.optional(),
            response: { 200: statusSchema, ...errors },
            ...(url.endsWith("/") ? { hide: true } : {}),
          },
        },
        async (request) => drp.exercise(request.headers.authorization, request.body),
      );

    app.get(
      "/v1/data-rights-request/:id",
      {
        config: limited(600),
        schema: {
          summary: "Data rights status (DRP 1.0 §2.02) of a request this agent made; another agent's is 403.",
          tags,
          params: idParams,
          response: { 200: statusSchema, ...errors },
        },
      },
      async (request) => drp.status(request.headers.authorization, request.params.id),
    );

    app.delete(
      "/v1/data-rights-request/:id",
      {
        config: limited(600),
        schema: {
          summary:
            'Data rights revoke (DRP 1.0 §2.04): a signed `{"reason": …}` cancels a request whose work has not started; answers the revoked status.',
          tags,
          params: idParams,
          body: signedBody.optional(),
          response: { 200: statusSchema, ...errors },
        },
      },
      async (request) => drp.revoke(request.headers.authorization, request.params.id, request.body),
    );

    app.get(
      "/.well-known/data-rights.json",
      {
        schema: {
          summary:
            "This company's business discovery entry (DRP 1.0 §3.05.2); the protocol dropped this address in 0.9, it is served for older agents.",
          tags,
        },
      },
      async () => businessDocument(drp.manifest, drp.config, deps.publicUrl),
    );
  };
