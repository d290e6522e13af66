/**
 * The admin routes' guard: `Authorization: Bearer <API key>`; 401 without a valid key, 403 when the key's role does
 * not allow the route. It runs on `onRequest`, before the body is read or validated: a caller without the right key
 * learns nothing about the route's parameters. The CLI on the same machine comes in with the server's local token
 * instead of a key (src/auth/local-admin.ts). The caller is put on the request for the handler, which names it in the audit trail.
 */
import type { FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from "fastify";
import { authenticate, type Caller, ROLES_FOR } from "../auth/api-keys.ts";
import { isLocalAdmin, localOperator } from "../auth/local-admin.ts";
import { stewardError } from "../errors.ts";
import type { Store } from "../store/store.ts";

declare module "fastify" {
  interface FastifyRequest {
    caller?: Caller;
  }
  interface FastifyInstance {
    /** This run's token for the CLI on this machine (src/auth/local-admin.ts); undefined when none was made. */
    localAdminToken: string | undefined;
  }
}

export function requireRole(store: Store, needs: keyof typeof ROLES_FOR): onRequestAsyncHookHandler {
  return async (request: FastifyRequest, _reply: FastifyReply) => {
    const header = request.headers.authorization ?? "";
    const key = header.startsWith("Bearer ") ? header.slice(7).trim() : "";
    // The CLI on this machine while the server holds the embedded store: an admin, named as the CLI names its user.
    if (isLocalAdmin(request.server.localAdminToken, key, request.socket.remoteAddress)) {
      request.caller = {
        keyId: "local",
        name: "local-cli",
        role: "admin",
        actor: localOperator(request.headers["steward-operator"]),
      };
      return;
    }
    const caller = key ? await authenticate(store.db, key) : undefined;
    if (!caller) throw stewardError("STW_AUTH_REQUIRED", {});
    if (!ROLES_FOR[needs].includes(caller.role))
      throw stewardError("STW_AUTH_FORBIDDEN", { role: caller.role, allowed: ROLES_FOR[needs] });
    request.caller = caller;
  };
}

/** The caller the guard put there (every admin route has the guard). */
export const callerOf = (request: FastifyRequest): Caller => {
  if (!request.caller) throw stewardError("STW_AUTH_REQUIRED", {});
  return request.caller;
};
