/**
 * Every error the API answers is `{code, message}` from the registry in src/errors.ts, with the registry's status —
 * never a stack trace, never a driver's raw message.
 *
 * - StewardError → as is.
 * - Request validation (zod) → STW_API_BAD_REQUEST naming the parameter and what is allowed.
 * - Fastify's own client errors (bad JSON, unsupported media type, body too large) → STW_API_BAD_REQUEST with
 *   Fastify's status.
 * - Anything else → STW_INTERNAL that names the request id; the details go to the server log only.
 * - Unknown routes → STW_API_NOT_FOUND listing the known routes.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { hasZodFastifySchemaValidationErrors } from "fastify-type-provider-zod";
import { isStewardError, type StewardError, stewardError } from "../errors.ts";
import { loggablePath } from "./logger-options.ts";

function send(reply: FastifyReply, error: StewardError, status = error.status): FastifyReply {
  return reply.status(status).type("application/json; charset=utf-8").send(error.toJSON());
}

function validationDetail(error: FastifyError): string {
  const issues = error.validation ?? [];
  const where = error.validationContext ?? "request";
  const parts = issues.map((issue) => {
    const path = issue.instancePath.replace(/^\//, "").replaceAll("/", ".");
    return `${where}${path ? ` parameter "${path}"` : ""}: ${issue.message ?? "is not valid"}`;
  });
  return parts.length > 0 ? parts.join("; ") : error.message;
}

/**
 * Installs the error and not-found handlers. `knownRoutes` is read when a 404 is answered, so routes registered
 * later are listed too.
 */
export function registerErrorHandlers(app: FastifyInstance, knownRoutes: () => readonly string[]): void {
  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    if (isStewardError(error)) {
      if (error.status >= 500) request.log.error({ code: error.code, err: error }, "request failed");
      return send(reply, error);
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      return send(reply, stewardError("STW_API_BAD_REQUEST", { detail: validationDetail(error) }));
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      return send(reply, stewardError("STW_API_BAD_REQUEST", { detail: error.message }), status);
    }
    request.log.error({ err: error }, "unexpected failure");
    return send(
      reply,
      stewardError("STW_INTERNAL", { detail: `request ${request.id} failed; the server log has the details` }),
    );
  });

  app.setNotFoundHandler((request: FastifyRequest, reply: FastifyReply) => {
    return send(reply, stewardError("STW_API_NOT_FOUND", { path: loggablePath(request.url), allowed: knownRoutes() }));
  });
}
