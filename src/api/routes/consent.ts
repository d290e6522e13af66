/**
 * The consent routes for browsers and the host application: record a choice, ask for decisions, link a device to the
 * signed-in person, and the Global Privacy Control resource. A request that carries `Sec-GPC: 1` and names a subject
 * records that subject's opt-out of sale and sharing before anything else (src/consent/gpc.ts).
 */
import fastifyCors from "@fastify/cors";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { actorOf, type ConsentCaller, consentCaller, mayActFor, vouchedEmail } from "../../consent/consent-caller.ts";
import { consentConfig, noticeChangeBanner } from "../../consent/consent-config.ts";
import type { ConsentLedger } from "../../consent/consent-ledger.ts";
import type { ConsentSubject } from "../../consent/consent-subject.ts";
import { gpcWellKnown, honourGpc } from "../../consent/gpc.ts";
import { isStewardError, stewardError } from "../../errors.ts";
import type { HostTokens } from "../../requests/host-token.ts";
import { errorBody } from "../error-body.ts";
import type { ReadLimit } from "../read-limit.ts";

export const decisionSchema = z.object({
  purpose: z.string(),
  allowed: z.boolean(),
  code: z
    .string()
    .describe("under_age, restriction, objection, withdrawn, gpc, consent_given, reconsent_needed, default_opt_in, …"),
  reason: z.string(),
  since: z.string().nullable().describe("When the deciding event was recorded; null for a jurisdiction default"),
  notice_version: z.string().nullable(),
  jurisdiction: z.string().nullable(),
  mechanism: z.enum(["opt_in", "opt_out", "notice_only"]),
});

/** The statuses and methods a browser or the host may record; the rest are the service's and the operators'. */
export const PUBLIC_STATUSES = ["granted", "withdrawn", "objected"] as const;
export const PUBLIC_METHODS = ["banner", "preferences", "api"] as const;

/** JSON.stringify as the serializer of routes whose answers the ledger builds itself (the schema still documents them). */
const plainJson = () => (data: unknown) => JSON.stringify(data);

export interface ConsentRouteDeps {
  readonly consent: ConsentLedger;
  readonly hostTokens: HostTokens | undefined;
  readonly rateLimitScale: number;
  /** The per-address budget of the reads without a credential (src/api/read-limit.ts), shared with the fast path. */
  readonly readLimit: ReadLimit;
  /**
   * The host sites whose pages may call these routes from the browser (the SDK on another origin): a list of origins
   * (`STEWARD_CONSENT_ORIGINS`, comma-separated), or `*` for any — the default, since no route answers a browser
   * anything about a person without the host's token, and no cookie is ever used.
   */
  readonly origins?: "*" | readonly string[];
}

export const consentRoutes =
  (deps: ConsentRouteDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const { consent } = deps;
    // CORS for these routes only (this plugin's scope): the SDK runs on the host's pages, not on Steward's origin.
    await app.register(fastifyCors, {
      origin: deps.origins === undefined || deps.origins === "*" ? "*" : [...deps.origins],
      methods: ["GET", "POST"],
      allowedHeaders: ["content-type", "authorization"],
      credentials: false,
      maxAge: 600,
    });
    const limited = (max: number) => ({ rateLimit: { max: max * deps.rateLimitScale, timeWindow: "1 minute" } });
    const errors = { "4xx": errorBody, "5xx": errorBody };

    /** Who is calling, the subject they may speak for, and the GPC signal if the browser sent one. */
    async function admit(
      headers: Record<string, string | string[] | undefined>,
      ip: string,
      subjectText: string,
      jurisdiction: string | undefined,
      pageSignal = false,
    ): Promise<{
      caller: ConsentCaller;
      subject: ConsentSubject;
      proof: () => string;
      gpc: number;
      email: string | undefined;
    }> {
      const caller = await consentCaller(headers["authorization"] as string | undefined, deps.hostTokens);
      const subject = consent.subject(subjectText);
      mayActFor(caller, subject);
      const email = vouchedEmail(caller, subject);
      // Computed only when something is recorded: a decision that records nothing needs no proof.
      const proof = () => consent.hash.proof(ip, String(headers["user-agent"] ?? ""));
      const gpc =
        headers["sec-gpc"] === "1" || pageSignal
          ? (await honourGpc(consent, subject, { jurisdiction, proof: proof(), actor: actorOf(caller), email })).length
          : 0;
      return { caller, subject, proof, gpc, email };
    }

    /**
     * `admit` for the reads: a call without a host token (the SDK, or anyone) counts against its address's budget
     * first; so does one whose token is refused, so that made-up tokens are no way around it. A host's backend,
     * asking for all its users from one address with their tokens, is not counted.
     */
    async function admitRead(
      request: FastifyRequest,
      reply: FastifyReply,
      subjectText: string,
      jurisdiction: string | undefined,
      pageSignal = false,
    ) {
      const count = () => {
        const seconds = deps.readLimit.take(request.ip);
        if (seconds === 0) return;
        reply.header("retry-after", String(seconds));
        throw stewardError("STW_API_RATE_LIMITED", { seconds });
      };
      const authorization = request.headers.authorization;
      const bearer = authorization?.startsWith("Bearer ") === true && authorization.slice(7).trim() !== "";
      if (!bearer) count();
      try {
        return await admit(request.headers, request.ip, subjectText, jurisdiction, pageSignal);
      } catch (error) {
        if (bearer && isStewardError(error) && error.code === "STW_HOST_TOKEN_INVALID") count();
        throw error;
      }
    }

    app.post(
      "/api/consent/events",
      {
        config: limited(120),
        schema: {
          summary:
            "Record a choice: granted, withdrawn or objected. The SDK may name its own device id; the host application names its signed-in user with their token.",
          tags: ["consent"],
          body: z.object({
            subject: z.string().describe("TYPE:VALUE — email:ada@example.com, user_id:42, device:<id>"),
            purpose: z.string(),
            status: z.enum(PUBLIC_STATUSES),
            method: z.enum(PUBLIC_METHODS),
            jurisdiction: z.string().optional(),
            gpc: z
              .boolean()
              .optional()
              .describe("navigator.globalPrivacyControl in the page (a script cannot send Sec-GPC)"),
          }),
          response: {
            201: z.object({ id: z.string(), decision: decisionSchema, gpc_recorded: z.number() }),
            ...errors,
          },
        },
      },
      async (request, reply) => {
        const b = request.body;
        const { caller, subject, proof, gpc, email } = await admit(
          request.headers,
          request.ip,
          b.subject,
          b.jurisdiction,
          b.gpc === true,
        );
        const [row] = await consent.record({
          subject,
          purpose: b.purpose,
          status: b.status,
          method: b.method,
          jurisdiction: b.jurisdiction,
          proof: proof(),
          actor: actorOf(caller),
          email,
        });
        const decision = await consent.decide(subject, b.purpose, b.jurisdiction);
        return reply.status(201).send({ id: row?.record_id ?? "", decision, gpc_recorded: gpc });
      },
    );

    app.get(
      "/api/consent/decision",
      {
        // Read-only and answered from the cache: limited per address only without a credential (admitRead), and the
        // answer — built by the ledger in a fixed shape — is written without re-validation.
        serializerCompiler: plainJson,
        schema: {
          summary: "May this purpose run for this subject now? The answer, its reason in words and as a code.",
          tags: ["consent"],
          querystring: z.object({ subject: z.string(), purpose: z.string(), jurisdiction: z.string().optional() }),
          response: { 200: decisionSchema, ...errors },
        },
      },
      async (request, reply) => {
        const q = request.query;
        const { subject } = await admitRead(request, reply, q.subject, q.jurisdiction);
        return consent.decide(subject, q.purpose, q.jurisdiction);
      },
    );

    app.post(
      "/api/consent/decisions",
      {
        // As the decision: limited per address only without a credential (admitRead).
        serializerCompiler: plainJson,
        schema: {
          summary: "Decisions for many purposes at once (default: every purpose of the manifest).",
          tags: ["consent"],
          body: z.object({
            subject: z.string(),
            purposes: z.array(z.string()).max(500).optional(),
            jurisdiction: z.string().optional(),
            gpc: z.boolean().optional().describe("navigator.globalPrivacyControl in the page"),
          }),
          response: { 200: z.object({ decisions: z.array(decisionSchema), gpc_recorded: z.number() }), ...errors },
        },
      },
      async (request, reply) => {
        const b = request.body;
        const { subject, gpc } = await admitRead(request, reply, b.subject, b.jurisdiction, b.gpc === true);
        return { decisions: await consent.decideMany(subject, b.purposes, b.jurisdiction), gpc_recorded: gpc };
      },
    );

    app.get(
      "/api/consent/gpp",
      {
        // As the decision: limited per address only without a credential (admitRead).
        serializerCompiler: plainJson,
        schema: {
          summary:
            "The person's IAB GPP string: the usnat section and their state's section, with the opt-outs they made.",
          tags: ["consent"],
          querystring: z.object({ subject: z.string(), jurisdiction: z.string().optional() }),
          response: {
            200: z.object({
              gpp: z.string().describe("e.g. DBABrw~…"),
              applicable_sections: z.array(z.number()),
              sections: z.record(z.string(), z.record(z.string(), z.unknown())),
            }),
            ...errors,
          },
        },
      },
      async (request, reply) => {
        const q = request.query;
        const { subject } = await admitRead(request, reply, q.subject, q.jurisdiction);
        return consent.gpp(subject, q.jurisdiction);
      },
    );

    app.post(
      "/api/consent/links",
      {
        config: limited(60),
        schema: {
          summary:
            "Join the SDK's device id to the person who signed in on it (host token for that person): their histories are read as one.",
          tags: ["consent"],
          body: z.object({ device: z.string(), subject: z.string() }),
          response: { 201: z.object({ linked: z.literal(true) }), ...errors },
        },
      },
      async (request, reply) => {
        const caller = await consentCaller(request.headers.authorization, deps.hostTokens);
        const person = consent.subject(request.body.subject);
        // Only the host knows who signed in: without its token the link is refused, whatever the subject.
        if (caller.kind !== "host") throw stewardError("STW_CONSENT_NOT_YOURS", { type: person.type });
        mayActFor(caller, person);
        await consent.link(request.body.device, person);
        return reply.status(201).send({ linked: true as const });
      },
    );

    app.get(
      "/api/consent/config",
      {
        // Read-only and answered from the cache: no per-client limit (a host's backend asks for all its users from
        // one address), and the answer — built by the ledger in a fixed shape — is written without re-validation.
        serializerCompiler: plainJson,
        schema: {
          summary:
            "What a banner offers in a jurisdiction: the purposes with a choice there, their names and mechanisms.",
          tags: ["consent"],
          querystring: z.object({ jurisdiction: z.string().optional() }),
          response: {
            200: z.object({
              organization: z.string(),
              jurisdiction: z.object({ key: z.string(), name: z.string() }).nullable(),
              notice_version: z.string().nullable(),
              notice_url: z.string(),
              purposes: z.array(
                z.object({
                  key: z.string(),
                  name: z.string(),
                  description: z.string(),
                  mechanism: z.enum(["opt_in", "opt_out", "notice_only"]),
                  sale_or_sharing: z.boolean(),
                }),
              ),
              notice_change: z
                .object({
                  version: z.string(),
                  effective_date: z.string(),
                  url: z.string(),
                  changes: z.array(z.string()),
                })
                .nullable()
                .describe("a material change to the notice not yet in effect: the SDK shows it until that day"),
            }),
            ...errors,
          },
        },
      },
      async (request) =>
        consentConfig(
          consent.manifest,
          consent.jurisdiction(request.query.jurisdiction),
          noticeChangeBanner(consent.upcomingChange(new Date().toISOString().slice(0, 10))),
        ),
    );

    app.get(
      "/.well-known/gpc.json",
      {
        schema: {
          summary: "Global Privacy Control support resource: this site honours the signal.",
          tags: ["consent"],
          response: { 200: z.object({ gpc: z.boolean(), lastUpdate: z.string().optional() }) },
        },
      },
      async () => gpcWellKnown(consent.manifest.notice?.effective_date),
    );
  };
