/**
 * The Data Rights Protocol 1.0 as a privacy infrastructure provider serves it, over the request service: the
 * pair-wise key setup that hands an agent its bearer token, and the exercise, status and revoke of a data rights
 * request. Every DRP request is an ordinary Steward request — same intake, lifecycle, deadline, verification,
 * exemptions, audit and admin console — with the agent named on it. The HTTP routes (src/api/routes/drp.ts) are a
 * thin shell over this.
 *
 * @example
 *   const drp = await DrpService.open(requests, drpConfigFromEnv(manifest));
 *   const { token } = await drp.setup("CR_AA_DRP_ID_001", body);      // 403 with an empty body on any refusal
 *   const status = await drp.exercise(`Bearer ${token}`, signedBody);  // {request_id, status: "open", …}
 */
import { randomBytes } from "node:crypto";
import type { Kysely } from "kysely";
import { appendAuditEvent } from "../audit/append-audit-event.ts";
import { knownIdentityTypes } from "../engine/identities.ts";
import { stewardError } from "../errors.ts";
import { verificationFor } from "../manifest/verification-for.ts";
import type { RequestStatus } from "../requests/lifecycle.ts";
import { lockRequest, moveRequest, type RequestRow } from "../requests/move-request.ts";
import type { RequestService } from "../requests/request-service.ts";
import type { ServiceContext } from "../requests/service-context.ts";
import { sameSecret, sha256 } from "../secrets/keyed-hash.ts";
import type { StoreSchema } from "../store/store-schema.ts";
import { type Agent, AgentDirectory } from "./agent-directory.ts";
import { announceStatus, type DrpLink } from "./announce-status.ts";
import { optInUnavailable, supportedActions } from "./business-document.ts";
import { checkEnvelope } from "./check-envelope.ts";
import type { DrpConfig } from "./drp-config.ts";
import type { StatusObject } from "./drp-status.ts";
import { readExercise } from "./exercise-claims.ts";
import { regimeRights } from "./regime-rights.ts";
import { returnUrl } from "./return-url.ts";
import { decodeSignedMessage, parseClaims, type SignedMessage, verifySignedMessage } from "./signed-message.ts";

/** A revoke cancels a request that has not started; once work runs it goes to its end. */
const REVOCABLE: readonly RequestStatus[] = ["received", "awaiting_verification", "verified", "awaiting_approval"];

export class DrpService {
  private constructor(
    private readonly requests: RequestService,
    readonly agents: AgentDirectory,
    readonly config: DrpConfig,
  ) {}

  /** Loads the agent discovery document (STW_DRP_NOT_CONFIGURED when none is set). */
  static async open(requests: RequestService, config: DrpConfig, agents?: AgentDirectory): Promise<DrpService> {
    if (!agents && !config.agentsSource)
      throw stewardError("STW_DRP_NOT_CONFIGURED", { detail: "STEWARD_DRP_AGENTS is not set" });
    return new DrpService(requests, agents ?? (await AgentDirectory.load(config.agentsSource!)), config);
  }

  private get ctx(): ServiceContext {
    return this.requests.ctx;
  }

  get manifest() {
    return this.requests.ctx.manifest;
  }

  /** The signed message, verified with `agent`'s key. */
  private verified(agent: Agent, body: unknown): { message: SignedMessage; claims: Record<string, unknown> } {
    const message = decodeSignedMessage(body);
    if (!verifySignedMessage(message, agent.verifyKey))
      throw stewardError("STW_DRP_BAD_SIGNATURE", { agent: agent.id });
    return { message, claims: parseClaims(message) };
  }

  private envelope(claims: Record<string, unknown>, agentId: string, where: "bearer token" | "URL") {
    return checkEnvelope(claims, {
      agentId,
      where,
      businessId: this.config.businessId,
      now: this.ctx.now(),
      skewSeconds: this.config.skewSeconds,
      maxValiditySeconds: this.config.maxValiditySeconds,
    });
  }

  /** §2.05: verifies the signed setup message of the agent the URL names and issues a bearer token for it. */
  async setup(agentId: string, body: unknown): Promise<{ "agent-id": string; token: string }> {
    const agent = this.agents.require(agentId);
    const { claims } = this.verified(agent, body);
    this.envelope(claims, agent.id, "URL");
    const token = randomBytes(32).toString("base64url");
    await this.ctx.store.db.transaction().execute(async (trx) => {
      await trx
        .insertInto("drp_agent_tokens")
        .values({ token_hash: sha256(token), agent_id: agent.id })
        .execute();
      await appendAuditEvent(trx, {
        actor: `agent:${agent.id}`,
        kind: "drp.agent_token_issued",
        payload: { agent: agent.id },
      });
    });
    return { "agent-id": agent.id, token };
  }

  /** The agent the bearer token was issued to (STW_DRP_TOKEN_INVALID otherwise). */
  async agentOf(authorization: string | undefined): Promise<Agent> {
    const token = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? "")?.[1];
    if (!token) throw stewardError("STW_DRP_TOKEN_INVALID", {});
    const hash = sha256(token);
    const found = await this.ctx.store.db
      .selectFrom("drp_agent_tokens")
      .select(["agent_id", "token_hash"])
      .where("token_hash", "=", hash)
      .executeTakeFirst();
    const agent = found && sameSecret(found.token_hash, hash) ? this.agents.get(found.agent_id) : undefined;
    // A token of an agent no longer in the discovery document opens nothing.
    if (!agent) throw stewardError("STW_DRP_TOKEN_INVALID", {});
    return agent;
  }

  /** §2.06: the token is valid and is the URL's agent's. */
  async info(agentId: string, authorization: string | undefined): Promise<Record<string, never>> {
    const agent = await this.agentOf(authorization);
    if (agent.id !== agentId)
      throw stewardError("STW_DRP_WRONG_AGENT", { agent: agentId, expected: agent.id, where: "bearer token" });
    return {};
  }

  /** The DRP actions this deployment takes. */
  supportedActions(): string[] {
    return supportedActions(this.ctx.manifest);
  }

  /** §2.01: a signed exercise becomes a Steward request (or joins the person's open one of the same type). */
  async exercise(authorization: string | undefined, body: unknown): Promise<StatusObject> {
    const ctx = this.ctx;
    const agent = await this.agentOf(authorization);
    const { message, claims } = this.verified(agent, body);
    const envelope = this.envelope(claims, agent.id, "bearer token");
    const exercise = readExercise(claims, knownIdentityTypes(ctx.manifest), this.supportedActions(), (action) =>
      action === "sale:opt-in" ? optInUnavailable(ctx.manifest) : undefined,
    );
    const rights = regimeRights(ctx.manifest, exercise.regime, exercise.type);
    if (verificationFor(rights, exercise.type) === "account")
      throw stewardError("STW_DRP_CANNOT_VERIFY", { level: "account", type: exercise.type });

    const messageHash = sha256(message.bytes.toString("base64"));
    const now = ctx.now();
    await ctx.store.db.deleteFrom("drp_messages").where("expires_at", "<", now).execute();
    const unseen = await ctx.store.db
      .insertInto("drp_messages")
      .values({ agent_id: agent.id, message_hash: messageHash, expires_at: envelope.expiresAt })
      .onConflict((oc) => oc.columns(["agent_id", "message_hash"]).doNothing())
      .returning("message_hash")
      .executeTakeFirst();
    if (!unseen) throw stewardError("STW_DRP_REPLAYED", { agent: agent.id, issued: String(claims["issued-at"]) });

    const linkOf = (row: RequestRow) => ({
      request_id: row.id,
      agent_id: agent.id,
      agent_request_id: exercise.agentRequestId ?? null,
      regime: exercise.regime ?? null,
      exercise: exercise.action,
      status_callback: exercise.statusCallback ?? null,
      power_of_attorney_enc: exercise.powerOfAttorney
        ? ctx.sealer.sealJson(exercise.powerOfAttorney, `drp_poa:${row.id}:${agent.id}`)
        : null,
      received_at: now,
    });
    // The link is written with the request (a worker may start it at once: its moves must find the link) or, when
    // the person's open request is joined, right after; it records the agent's part in the trail.
    const link = async (trx: Kysely<StoreSchema>, row: RequestRow): Promise<DrpLink | undefined> => {
      const inserted = await trx
        .insertInto("drp_requests")
        .values(linkOf(row))
        .onConflict((oc) => oc.columns(["request_id", "agent_id"]).doNothing())
        .returningAll()
        .executeTakeFirst();
      if (inserted)
        await appendAuditEvent(trx, {
          actor: `agent:${agent.id}`,
          kind: "drp.exercise_received",
          request_id: row.id,
          payload: {
            agent: agent.id,
            exercise: exercise.action,
            regime: exercise.regime ?? null,
            verified_by_agent: [...exercise.verified].sort(),
            power_of_attorney: exercise.powerOfAttorney !== undefined,
            status_callback: exercise.statusCallback !== undefined,
          },
        });
      return inserted;
    };

    let submitted: Awaited<ReturnType<RequestService["submit"]>>;
    let fresh: DrpLink | undefined;
    try {
      submitted = await this.requests.submit({
        type: exercise.type,
        identity: exercise.identity,
        ...(exercise.details ? { details: exercise.details } : {}),
        jurisdiction: rights.jurisdiction,
        source: "agent",
        actor: `agent:${agent.id}`,
        agent: agent.id,
        agentVerified: exercise.verified.includes("email"),
        startLater: true,
        onRecorded: async (trx, row) => {
          fresh = await link(trx, row);
        },
      });
    } catch (error) {
      // A refused exercise leaves nothing behind: the agent may correct the cause and send the same message again.
      await ctx.store.db
        .deleteFrom("drp_messages")
        .where("agent_id", "=", agent.id)
        .where("message_hash", "=", messageHash)
        .execute();
      throw error;
    }
    const { row, joined } = submitted;
    if (!joined && fresh)
      // The answer is the request as received (`open`): the worker's moves reach the agent by callback.
      return announceStatus(ctx, ctx.store.db, row, fresh);
    const linked =
      (await ctx.store.db.transaction().execute((trx) => link(trx, row))) ?? (await this.linkOf(row.id, agent.id));
    return announceStatus(ctx, ctx.store.db, await this.requests.get(row.id), linked);
  }

  /** §2.02: the status of a request this agent made. */
  async status(authorization: string | undefined, id: string): Promise<StatusObject> {
    const agent = await this.agentOf(authorization);
    const link = await this.linkOf(id, agent.id);
    return announceStatus(this.ctx, this.ctx.store.db, await this.requests.get(id), link);
  }

  /** §2.04: the signed revoke (its body holds only the reason) cancels a request that has not started. */
  async revoke(authorization: string | undefined, id: string, body: unknown): Promise<StatusObject> {
    const ctx = this.ctx;
    const agent = await this.agentOf(authorization);
    const { claims } = this.verified(agent, body);
    const reason = typeof claims["reason"] === "string" ? claims["reason"].trim().slice(0, 2000) : "";
    await this.linkOf(id, agent.id);
    const { row, link } = await ctx.store.db.transaction().execute(async (trx) => {
      const locked = await lockRequest(trx, id);
      const current = await this.linkOf(id, agent.id, trx);
      // The same revoke twice is legitimate (its body has no timestamps): the second finds it revoked.
      if (locked.status === "cancelled" && current.revoked_at) return { row: locked, link: current };
      const moved = await moveRequest(
        trx,
        locked,
        {
          to: "cancelled",
          from: REVOCABLE,
          action: "revoke",
          actor: `agent:${agent.id}`,
          payload: { by: "agent", agent: agent.id, reason_given: reason !== "" },
          ...(reason ? { set: { reason } } : {}),
        },
        ctx.now(),
        ctx.jobs,
      );
      const revoked = await trx
        .updateTable("drp_requests")
        .set({ revoked_at: ctx.now() })
        .where("request_id", "=", id)
        .where("agent_id", "=", agent.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      return { row: moved, link: revoked };
    });
    return announceStatus(ctx, ctx.store.db, row, link);
  }

  /**
   * §3.02.1: where the privacy center sends the person after they confirmed the request, when an agent sent them
   * there (`?redirect_to=…&request_id=…` on the `user_verification_url`); see return-url.ts.
   */
  returnUrl(id: string, requestId: unknown, redirectTo: unknown): Promise<string | undefined> {
    return returnUrl(this.ctx.store.db, this.agents, id, requestId, redirectTo);
  }

  /** The link of a request to the agent, or STW_DRP_NOT_YOURS (403): an agent sees only its own requests. */
  private async linkOf(id: string, agentId: string, db = this.ctx.store.db): Promise<DrpLink> {
    const link = /^[0-9a-f-]{36}$/i.test(id)
      ? await db
          .selectFrom("drp_requests")
          .selectAll()
          .where("request_id", "=", id)
          .where("agent_id", "=", agentId)
          .executeTakeFirst()
      : undefined;
    if (!link) throw stewardError("STW_DRP_NOT_YOURS", { id });
    return link;
  }
}
