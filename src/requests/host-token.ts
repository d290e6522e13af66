/**
 * A signed-in user, vouched for by the host application: a JWT it signs and the person's browser brings along, verified
 * with jose. The key is `STEWARD_HOST_JWT_KEY` (an HMAC secret, or a PEM public key) or the host's JWKS at
 * `STEWARD_HOST_JWKS_URL`; `STEWARD_HOST_JWT_ISSUER` / `STEWARD_HOST_JWT_AUDIENCE` are checked when set. The token's
 * `email` claim (or `sub` as `user_id`) must name the identity the request is for: a valid token for one person does not
 * verify a request about another.
 */
import { createRemoteJWKSet, importSPKI, type JWTPayload, type JWTVerifyGetKey, jwtVerify, type KeyObject } from "jose";
import { stewardError } from "../errors.ts";
import type { Identity } from "./subject.ts";

export interface HostTokens {
  /** The identities the token proves: `{email, user_id}` as far as its claims give them. */
  verify(token: string): Promise<Identity>;
}

export interface HostTokenOptions {
  readonly key?: string | undefined;
  readonly jwksUrl?: string | undefined;
  readonly issuer?: string | undefined;
  readonly audience?: string | undefined;
}

export function hostTokensFromEnv(env: NodeJS.ProcessEnv = process.env): HostTokens | undefined {
  return createHostTokens({
    key: env["STEWARD_HOST_JWT_KEY"],
    jwksUrl: env["STEWARD_HOST_JWKS_URL"],
    issuer: env["STEWARD_HOST_JWT_ISSUER"],
    audience: env["STEWARD_HOST_JWT_AUDIENCE"],
  });
}

export function createHostTokens(options: HostTokenOptions): HostTokens | undefined {
  let keyOf:
    | (() => Promise<Uint8Array | KeyObject | Awaited<ReturnType<typeof importSPKI>> | JWTVerifyGetKey>)
    | undefined;
  if (options.jwksUrl) {
    const jwks = createRemoteJWKSet(new URL(options.jwksUrl));
    keyOf = async () => jwks;
  } else if (options.key) {
    const text = options.key;
    const key = text.includes("BEGIN PUBLIC KEY")
      ? importSPKI(text, "RS256")
          .catch(() => importSPKI(text, "ES256"))
          .catch(() => importSPKI(text, "EdDSA"))
      : Promise.resolve(new TextEncoder().encode(text));
    keyOf = () => key;
  }
  if (!keyOf) return undefined;
  const getKey = keyOf;
  return {
    async verify(token) {
      let payload: JWTPayload;
      try {
        const key = await getKey();
        const opts = {
          ...(options.issuer ? { issuer: options.issuer } : {}),
          ...(options.audience ? { audience: options.audience } : {}),
        };
        payload =
          typeof key === "function"
            ? (await jwtVerify(token, key, opts)).payload
            : (await jwtVerify(token, key, opts)).payload;
      } catch (error) {
        throw stewardError("STW_HOST_TOKEN_INVALID", { detail: (error as Error).message });
      }
      const out: Record<string, string> = {};
      if (typeof payload["email"] === "string") out["email"] = payload["email"].trim().toLowerCase();
      if (typeof payload.sub === "string") out["user_id"] = payload.sub;
      if (Object.keys(out).length === 0)
        throw stewardError("STW_HOST_TOKEN_INVALID", { detail: "it names no one (no email or sub claim)" });
      return out;
    },
  };
}
