/**
 * The admin API's keys and the trail's proof: list, make and revoke API keys (admin role), and recompute the hash
 * chains of the request trail and the consent ledger (any role). The CLI's `steward keys …` and `steward audit verify`
 * use these while `steward serve` holds the embedded store (src/cli/requests-twin.ts).
 */
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { verifyAuditChain } from "../../audit/verify-audit-chain.ts";
import { API_KEY_ROLES, createApiKey, listApiKeys, revokeApiKey } from "../../auth/api-keys.ts";
import { verifyConsentChain } from "../../consent/verify-consent-chain.ts";
import type { Store } from "../../store/store.ts";
import { callerOf, requireRole } from "../admin-auth.ts";
import { errorBody } from "../error-body.ts";

const keySchema = z.object({
  id: z.string(),
  name: z.string(),
  role: z.string(),
  prefix: z.string(),
  created_at: z.string(),
  last_used_at: z.string().nullable(),
});

const verdictSchema = z.record(z.string(), z.unknown());

export const adminKeyRoutes =
  (deps: { readonly store: Store }): FastifyPluginAsyncZod =>
  async (app) => {
    const { store } = deps;
    const read = requireRole(store, "read");
    const admin = requireRole(store, "admin");
    const errors = { "4xx": errorBody, "5xx": errorBody };
    const security = [{ apiKey: [] }];
    const iso = (d: Date | null) => (d ? d.toISOString() : null);

    app.get(
      "/api/admin/keys",
      {
        onRequest: admin,
        schema: {
          summary: "The active API keys (never the keys themselves).",
          tags: ["admin"],
          security,
          response: { 200: z.object({ keys: z.array(keySchema) }), ...errors },
        },
      },
      async () => ({
        keys: (await listApiKeys(store.db)).map((k) => ({
          ...k,
          created_at: k.created_at.toISOString(),
          last_used_at: iso(k.last_used_at),
        })),
      }),
    );

    app.post(
      "/api/admin/keys",
      {
        onRequest: admin,
        schema: {
          summary: "Make an API key; the answer holds the key, once: only its hash is kept.",
          tags: ["admin"],
          security,
          body: z.object({ name: z.string().max(200), role: z.string().describe(API_KEY_ROLES.join(", ")) }),
          response: {
            201: z.object({ key: z.string(), id: z.string(), name: z.string(), role: z.string(), prefix: z.string() }),
            ...errors,
          },
        },
      },
      async (request, reply) => {
        const { key, info } = await createApiKey(store.db, request.body, callerOf(request).actor);
        return reply.status(201).send({ key, id: info.id, name: info.name, role: info.role, prefix: info.prefix });
      },
    );

    app.delete(
      "/api/admin/keys/:key",
      {
        onRequest: admin,
        schema: {
          summary: "Revoke an API key by its name, id or prefix.",
          tags: ["admin"],
          security,
          params: z.object({ key: z.string() }),
          response: { 200: z.object({ revoked: z.string(), name: z.string(), prefix: z.string() }), ...errors },
        },
      },
      async (request) => {
        const k = await revokeApiKey(store.db, request.params.key, callerOf(request).actor);
        return { revoked: k.id, name: k.name, prefix: k.prefix };
      },
    );

    app.get(
      "/api/admin/audit/verify",
      {
        onRequest: read,
        schema: {
          summary:
            "Recompute the hash chains of the request trail and the consent ledger: ok, or the first broken entry of each (what steward audit verify prints).",
          tags: ["admin"],
          security,
          response: {
            200: z.object({ ok: z.boolean(), audit: verdictSchema, consent: verdictSchema }),
            ...errors,
          },
        },
      },
      async () => {
        const audit = await verifyAuditChain(store.db);
        const consent = await verifyConsentChain(store.db);
        return { ok: audit.ok && consent.ok, audit, consent };
      },
    );
  };
