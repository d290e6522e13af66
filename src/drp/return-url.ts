/**
 * §3.02.1: after the person confirmed a request in the privacy center, where an agent sent them
 * (`?redirect_to=…&request_id=…` on the `user_verification_url`), they are sent back to `redirect_to` — only when
 * `request_id` is this request and the address is on the web site (`web_url`, same origin) of an agent that follows
 * it. Anything else is undefined: no open redirect.
 */
import type { Kysely } from "kysely";
import type { StoreSchema } from "../store/store-schema.ts";
import type { AgentDirectory } from "./agent-directory.ts";

const originOf = (url: string): string | undefined => {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
};

export async function returnUrl(
  db: Kysely<StoreSchema>,
  agents: AgentDirectory,
  id: string,
  requestId: unknown,
  redirectTo: unknown,
): Promise<string | undefined> {
  if (typeof redirectTo !== "string" || requestId !== id || !/^[0-9a-f-]{36}$/i.test(id)) return undefined;
  let target: URL;
  try {
    target = new URL(redirectTo);
  } catch {
    return undefined;
  }
  if (target.protocol !== "https:" && target.protocol !== "http:") return undefined;
  const links = await db.selectFrom("drp_requests").select("agent_id").where("request_id", "=", id).execute();
  const allowed = links.some(({ agent_id }) => {
    const site = agents.get(agent_id)?.webUrl;
    return site !== undefined && originOf(site) === target.origin;
  });
  return allowed ? target.href : undefined;
}
