/**
 * Turns a spec's `auth` into the `Authorization` header, reading the secret from the environment variable the spec
 * names. Resolved once, when the connector is created, so a missing variable fails before any request starts; the
 * header value then lives only inside the HTTP client and never reaches a message or a log.
 */
import { stewardError } from "../../errors.ts";
import { type AuthSpec, ENV_REFERENCE } from "./http-spec.ts";

export type Env = Readonly<Record<string, string | undefined>>;

/** The names of the environment variables the auth reads, for messages (e.g. `STRIPE_SECRET_KEY`). */
export function secretVariables(auth: AuthSpec): string[] {
  const refs = auth.type === "bearer" ? [auth.token] : [auth.token, auth.username, auth.password];
  return refs.flatMap((ref) => (ref === undefined ? [] : [variableOf(ref)]));
}

const variableOf = (reference: string): string => ENV_REFERENCE.exec(reference)?.[1] ?? reference;

export function authorizationHeader(vendor: string, auth: AuthSpec, env: Env): string {
  const secret = (reference: string): string => {
    const variable = variableOf(reference);
    const value = env[variable];
    if (!value) throw stewardError("STW_PROCESSOR_MISSING_SECRET", { vendor, variable });
    return value;
  };
  if (auth.type === "bearer") return `Bearer ${secret(auth.token)}`;
  if (auth.token !== undefined) return `Basic ${secret(auth.token)}`;
  const user = secret(auth.username ?? "");
  const password = auth.password === undefined ? "" : secret(auth.password);
  return `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
}
