/**
 * The HTTP processor connector's entry point. A processor (payments, session replay) is reached through its API as a
 * vendor spec describes it, so opening one needs the spec as well as the URL — which is why `openConnector(url)` does
 * not open `http(s)://` URLs. The engine calls, for a dataset whose `connection.kind` is `http`:
 *
 *   createHttpConnector(url, specRef, { root, env })
 *
 * - `url`: the resolved connection URL, e.g. the value of `${STRIPE_API_URL}` (a proxy or a local fake); empty means
 *   the spec's `base_url`. Plain `http://` is accepted for loopback hosts only, since the API key travels with it.
 * - `specRef`: the dataset's `connection.spec` — a shipped spec's name (`stripe`, `fullstory`) or a path to a spec
 *   file relative to `root`.
 * - `root`: the manifest folder; `env`: where `${VAR}` secrets are read (default `process.env`).
 *
 * The spec is read and the secret resolved here, so a bad spec (STW_SPEC_*) or a missing key
 * (STW_PROCESSOR_MISSING_SECRET) fails before any request starts. No request is made until the first read or write.
 *
 * @example
 *   const stripe = await createHttpConnector(process.env.STRIPE_API_URL ?? "", "stripe", { root: "examples/learning-platform" });
 *   for await (const rows of stripe.readByKeys("customers", "email", ["ada@example.com"], ["id", "name"])) console.log(rows);
 */

import { stewardError } from "../../errors.ts";
import { LOOPBACK_HOSTS, parseConnectionUrl, redactUrl } from "../connection-url.ts";
import type { Connector } from "../connector.ts";
import { authorizationHeader, type Env, secretVariables } from "./http-auth.ts";
import { HttpClient } from "./http-client.ts";
import { HttpConnector } from "./http-connector.ts";
import { loadHttpSpec } from "./load-http-spec.ts";
import { RateLimiter } from "./rate-limiter.ts";

export { HttpConnector } from "./http-connector.ts";
export type { HttpSpec } from "./http-spec.ts";
export { loadHttpSpec, parseHttpSpec, SHIPPED_SPECS } from "./load-http-spec.ts";

export interface HttpConnectorOptions {
  /** The folder a spec path is relative to (the manifest folder). */
  readonly root: string;
  /** Environment the spec's `${VAR}` secrets are read from. Default: `process.env`. */
  readonly env?: Env;
}

export async function createHttpConnector(
  url: string,
  specRef: string,
  opts: HttpConnectorOptions,
): Promise<Connector> {
  const spec = await loadHttpSpec(specRef, opts.root);
  const base = parseConnectionUrl(url || spec.base_url, ["https:", "http:"], spec.base_url);
  if (base.protocol === "http:" && !LOOPBACK_HOSTS.has(base.hostname))
    throw stewardError("STW_DB_BAD_URL", {
      value: redactUrl(url),
      allowed: ["https://", "http://localhost or http://127.0.0.1 (a local fake: the key would travel unencrypted)"],
    });
  const client = new HttpClient({
    vendor: spec.vendor,
    baseUrl: base.href.replace(/\/$/, ""),
    authorization: authorizationHeader(spec.vendor, spec.auth, opts.env ?? process.env),
    credentialSource: `the key in ${secretVariables(spec.auth).join(" and ")}`,
    retry: spec.retry,
    timeoutMs: spec.timeout_ms,
    limiter: new RateLimiter(spec.rate_limit.requests_per_second),
  });
  return new HttpConnector(spec, client);
}
