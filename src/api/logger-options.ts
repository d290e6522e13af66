/**
 * Logging for the HTTP server: pino through Fastify, shaped so that no personal data reaches a log line.
 *
 * - A request is logged as method + path + route only. The query string is dropped (it may carry `?email=`), e-mail-like
 *   parts of the path are masked, and the client's IP address — personal data itself — is not logged at all.
 * - Headers, bodies and any `email`/`password`/`authorization`/`cookie` property of a logged object are redacted,
 *   in case a later route logs more than this file knows about.
 */
import type { FastifyServerOptions } from "fastify";
import type { DestinationStream } from "pino";

const EMAIL_LIKE = /[^/\s@]+@[^/\s@]+/g;

/** The path of a URL, without the query string, with e-mail-like segments masked. */
export function loggablePath(url: string): string {
  const path = url.split("?")[0] ?? "";
  let decoded = path;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    // keep the raw path when it is not valid percent-encoding
  }
  return decoded.replace(EMAIL_LIKE, "[redacted]");
}

export const REDACT_PATHS: readonly string[] = [
  "req.headers",
  "req.body",
  "req.query",
  "headers",
  "body",
  "query",
  "*.authorization",
  "*.cookie",
  "*.email",
  "*.password",
  "email",
  "password",
];

interface LoggableRequest {
  readonly method?: string;
  readonly url?: string;
  readonly routeOptions?: { readonly url?: string | undefined };
}

/** Fastify `logger` options. `stream` sends the lines elsewhere than stdout (tests read them back). */
export function loggerOptions(stream?: DestinationStream): NonNullable<FastifyServerOptions["logger"]> {
  return {
    level: process.env["STEWARD_LOG_LEVEL"] ?? "info",
    redact: { paths: [...REDACT_PATHS], censor: "[redacted]" },
    serializers: {
      req: (req: LoggableRequest) => ({
        ...(req.method ? { method: req.method } : {}),
        path: loggablePath(req.url ?? ""),
        ...(req.routeOptions?.url ? { route: req.routeOptions.url } : {}),
      }),
      res: (reply: { readonly statusCode: number }) => ({ statusCode: reply.statusCode }),
    },
    ...(stream ? { stream } : {}),
  };
}
