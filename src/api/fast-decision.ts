/**
 * The hottest route's common case, answered before Fastify: `GET /api/consent/decision?subject=device:…&purpose=…`
 * from a browser (no credential, no GPC header) whose decision is already cached. The answer is the same decision
 * object the route would send, serialised the same way, with the same content type; anything else — another route, a
 * credential, a GPC signal, an extra or repeated parameter, a cache miss, a bad value — goes to Fastify untouched, so
 * the route's validation, errors, signals and CORS stay the one implementation.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { ConsentLedger } from "../consent/consent-ledger.ts";
import type { ReadLimit } from "./read-limit.ts";

const PREFIX = "/api/consent/decision?";

/**
 * Answers and returns true, or returns false having written nothing. A request it would answer counts against the
 * client address's read budget (`limit`), the same one the routes use; over it, the route answers the 429.
 */
export function fastDecision(
  consent: ConsentLedger,
  req: IncomingMessage,
  res: ServerResponse,
  limit?: ReadLimit,
): boolean {
  const url = req.url;
  if (req.method !== "GET" || !url?.startsWith(PREFIX)) return false;
  // A browser on another origin needs the route's CORS answer; a credential or a signal needs the route's checks.
  const h = req.headers;
  if (h.authorization !== undefined || h["sec-gpc"] !== undefined || h.origin !== undefined) return false;
  let subject: string | undefined;
  let purpose: string | undefined;
  let jurisdiction: string | undefined;
  for (const [key, value] of new URLSearchParams(url.slice(PREFIX.length))) {
    if (key === "subject" && subject === undefined) subject = value;
    else if (key === "purpose" && purpose === undefined) purpose = value;
    else if (key === "jurisdiction" && jurisdiction === undefined) jurisdiction = value;
    else return false;
  }
  if (!subject?.startsWith("device:") || !purpose) return false;
  let body: string;
  try {
    const decision = consent.decideCached(subject, purpose, jurisdiction);
    if (!decision) return false;
    body = JSON.stringify(decision);
  } catch {
    return false; // a bad subject, purpose or jurisdiction: the route answers it with its coded error
  }
  if (limit && limit.take(req.socket.remoteAddress) > 0) return false;
  res.writeHead(200, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(body) });
  res.end(body);
  return true;
}
