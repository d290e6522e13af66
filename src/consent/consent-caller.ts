/**
 * Who may write or read whose choices. The browser SDK, with no credential, speaks only for its own device id; the
 * host application, with the signed-in user's token, for that user (and for devices, which it links); an operator's
 * API key, through the admin routes, for anyone.
 */
import { stewardError } from "../errors.ts";
import type { HostTokens } from "../requests/host-token.ts";
import type { Identity } from "../requests/subject.ts";
import type { ConsentSubject } from "./consent-subject.ts";

export type ConsentCaller =
  | { readonly kind: "device" }
  | { readonly kind: "host"; readonly identity: Identity }
  | { readonly kind: "operator"; readonly actor: string };

/** The caller of a public consent route: a host token in `Authorization: Bearer …`, else the SDK. */
export async function consentCaller(
  authorization: string | undefined,
  hostTokens: HostTokens | undefined,
): Promise<ConsentCaller> {
  const token = authorization?.startsWith("Bearer ") ? authorization.slice(7).trim() : "";
  if (!token) return { kind: "device" };
  if (!hostTokens)
    throw stewardError("STW_HOST_TOKEN_INVALID", {
      detail: "no host key is configured (STEWARD_HOST_JWT_KEY or STEWARD_HOST_JWKS_URL)",
    });
  return { kind: "host", identity: await hostTokens.verify(token) };
}

export function mayActFor(caller: ConsentCaller, subject: ConsentSubject): void {
  if (caller.kind === "operator" || subject.type === "device") return;
  if (caller.kind === "host" && caller.identity[subject.type] === subject.value) return;
  throw stewardError("STW_CONSENT_NOT_YOURS", { type: subject.type });
}

/** The actor the ledger names: never the person's identity. */
export const actorOf = (caller: ConsentCaller): string =>
  caller.kind === "operator" ? caller.actor : caller.kind === "host" ? "host" : "subject";

/**
 * The e-mail address a caller vouches for with a subject of another type: the host's token for `user_id:42` that
 * names the user's e-mail too links the two (the e-mail vendors are reached by address). Never for a device: any
 * signed-in user may write for a device, so its token says nothing about whose the device is.
 */
export function vouchedEmail(caller: ConsentCaller, subject: ConsentSubject): string | undefined {
  if (caller.kind !== "host" || subject.type === "email" || subject.type === "device") return undefined;
  return caller.identity[subject.type] === subject.value ? caller.identity["email"] : undefined;
}
