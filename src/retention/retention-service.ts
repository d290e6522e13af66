/**
 * Retention as the service runs it: the sweeps and events of run-retention.ts with the service's store around them —
 * the active legal holds are resolved to rows first, and each rule's outcome becomes one audit event
 * (`retention.swept`, `retention.event`) holding counts, never a value from a row or an identity.
 *
 * The scheduler (`scheduleRetention`) gives every sweeping rule a recurring job on its own queue
 * (`retention.<rule>`), from the rule's `schedule` or the daily default; the service's workers take them. A job whose
 * sweep fails is retried with backoff by the queue, and each retry finishes what the last one left (every batch is
 * its own transaction, and what was done is no longer due).
 */
import { appendAuditEvent } from "../audit/append-audit-event.ts";
import type { IdentityValues } from "../engine/find-rows.ts";
import { forBulkWork, Stores } from "../engine/stores.ts";
import { stewardError } from "../errors.ts";
import type { JobQueue } from "../jobs/job-queue.ts";
import { endOf, retentionEvents, retentionPlan, rulesStartedBy } from "../plan/retention-plan.ts";
import type { ServiceContext } from "../requests/service-context.ts";
import { type Identity, identitiesHash, parseIdentity, subjectHashes } from "../requests/subject.ts";
import { type HeldRows, NO_HOLDS, resolveHeldRows } from "./held-rows.ts";
import {
  type ClockSource,
  planRetention,
  type RetentionPlanRow,
  type RetentionProgress,
  type RuleOutcome,
  runEvent,
  runRetention,
} from "./run-retention.ts";

type RetentionContext = Pick<ServiceContext, "store" | "manifest" | "sealer" | "hash" | "engine" | "now">;

/** The people under an active legal hold, with their identities opened; holds older than migration 7 are counted. */
export async function heldPeople(ctx: RetentionContext): Promise<{ people: IdentityValues[]; unresolved: number }> {
  const rows = await ctx.store.db
    .selectFrom("legal_holds")
    .select(["subject_hash", "identities_enc"])
    .where("lifted_at", "is", null)
    .execute();
  const seen = new Set<string>();
  const people: IdentityValues[] = [];
  let unresolved = 0;
  for (const r of rows) {
    if (!r.identities_enc) {
      unresolved += 1;
      continue;
    }
    const identity = ctx.sealer.openJson<Identity>(r.identities_enc, `hold:${r.subject_hash}`);
    const text = JSON.stringify(Object.entries(identity).sort());
    if (seen.has(text)) continue;
    seen.add(text);
    people.push(new Map(Object.entries(identity).map(([type, value]) => [type, [value]])));
  }
  return { people, unresolved };
}

async function heldRows(ctx: RetentionContext, stores: Stores): Promise<HeldRows> {
  const { people } = await heldPeople(ctx);
  return people.length === 0 ? NO_HOLDS : resolveHeldRows(ctx.manifest, stores, people);
}

/** A store's message as the trail may keep it: values a database quotes back (`Key (email)=(…)`) are cut out. */
const scrub = (message: string) =>
  message.replaceAll(/=\([^)]*\)/g, "=(…)").replaceAll(/[^\s@]+@[^\s@]+\.[^\s@]+/g, "(an address)");

function auditPayload(o: RuleOutcome): Record<string, unknown> {
  return {
    rule: o.rule,
    sweep: o.sweep,
    ...(o.cutoff ? { cutoff: o.cutoff } : {}),
    ...(o.people !== undefined ? { people: o.people } : {}),
    held: o.held,
    collections: o.collections,
    ...(o.unreached ? { unreached: o.unreached } : {}),
    proof: o.proof,
    ...(o.failed ? { failed: { code: o.failed.code, message: scrub(o.failed.message) } } : {}),
  };
}

export interface SweepOptions {
  readonly rules?: readonly string[];
  readonly now?: Date;
  readonly batchSize?: number;
  readonly progress?: RetentionProgress;
}

const clockBinding = (rule: string, key: string) => `clock:${rule}:${key}`;

/** The clocks of `period` + `after` rules, in the service's store. */
export function storeClocks(ctx: RetentionContext): ClockSource {
  return {
    async due(rule, cutoff) {
      const rows = await ctx.store.db
        .selectFrom("retention_clocks")
        .select(["subject_key", "identities_enc"])
        .where("rule", "=", rule)
        .where("done_at", "is", null)
        .where("started_at", "<", cutoff)
        .orderBy("started_at")
        .execute();
      return rows.map((r) => {
        const identity = ctx.sealer.openJson<Identity>(r.identities_enc, clockBinding(rule, r.subject_key));
        return {
          subject: r.subject_key,
          identity: new Map(Object.entries(identity).map(([type, value]) => [type, [value]])),
        };
      });
    },
    async done(rule, subject) {
      await ctx.store.db
        .updateTable("retention_clocks")
        .set({ done_at: ctx.now(), updated_at: ctx.now() })
        .where("rule", "=", rule)
        .where("subject_key", "=", subject)
        .execute();
    },
  };
}

/** The dry run, with the holds of the store taken into account. */
export async function planWithHolds(ctx: RetentionContext, options: SweepOptions = {}): Promise<RetentionPlanRow[]> {
  const stores = new Stores(ctx.manifest, ctx.engine);
  try {
    const held = await heldRows(ctx, stores);
    return await planRetention(ctx.manifest, stores, {
      now: options.now ?? ctx.now(),
      held,
      clocks: storeClocks(ctx),
      ...(options.rules ? { rules: options.rules } : {}),
    });
  } finally {
    await stores.closeAll();
  }
}

/** Runs the sweeps of the chosen rules (default all), each rule's outcome one audit event. */
export async function sweepRetention(
  ctx: RetentionContext,
  actor: string,
  options: SweepOptions = {},
): Promise<RuleOutcome[]> {
  const stores = new Stores(ctx.manifest, forBulkWork(ctx.engine));
  try {
    const held = await heldRows(ctx, stores);
    const outcomes = await runRetention(ctx.manifest, stores, {
      now: options.now ?? ctx.now(),
      held,
      clocks: storeClocks(ctx),
      ...(options.rules ? { rules: options.rules } : {}),
      ...(options.batchSize ? { batchSize: options.batchSize } : {}),
      ...(options.progress ? { progress: options.progress } : {}),
    });
    for (const o of outcomes)
      if (!o.skipped)
        await appendAuditEvent(ctx.store.db, { actor, kind: "retention.swept", payload: auditPayload(o) });
    return outcomes;
  } finally {
    await stores.closeAll();
  }
}

/** An ISO 8601 date or timestamp, or a coded error naming the option. */
export function parseTime(option: string, value: string): Date {
  const at = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2}))?$/.test(value)
    ? new Date(value)
    : undefined;
  if (!at || Number.isNaN(at.getTime())) throw stewardError("STW_RETENTION_BAD_TIME", { option, value });
  return at;
}

export interface EventInput {
  readonly type: unknown;
  readonly identity: unknown;
  readonly at?: unknown;
}

/** An event for a person (`POST /api/admin/events`, `steward events emit`): the rules that wait for it run now. */
export async function emitRetentionEvent(
  ctx: RetentionContext,
  input: EventInput,
  actor: string,
): Promise<{ type: string; at: string; outcomes: RuleOutcome[] }> {
  const type = typeof input.type === "string" ? input.type : "";
  const all = retentionPlan(ctx.manifest);
  const events = retentionEvents(all);
  if (!events.includes(type)) throw stewardError("STW_RETENTION_UNKNOWN_EVENT", { value: type, allowed: events });
  const identity = parseIdentity(ctx.manifest, input.identity);
  const at =
    input.at === undefined || input.at === null
      ? ctx.now()
      : parseTime("at", typeof input.at === "string" ? input.at : String(input.at));
  const values: IdentityValues = new Map(Object.entries(identity).map(([t, v]) => [t, [v]]));
  const stores = new Stores(ctx.manifest, ctx.engine);
  try {
    // Held by the very identities given (as requests are), or by a held person these identities lead to.
    const hashes = subjectHashes(identity, ctx.hash);
    const direct = await ctx.store.db
      .selectFrom("legal_holds")
      .select("id")
      .where("subject_hash", "in", hashes)
      .where("lifted_at", "is", null)
      .executeTakeFirst();
    const held = direct ? { ...NO_HOLDS, isHeld: () => true } : await heldRows(ctx, stores);
    const outcomes = await runEvent(ctx.manifest, stores, { type, identity: values, at }, { held });
    // Rules counted from this event: the person's clock starts now (again, when it ran before; never backwards).
    const key = identitiesHash(identity, ctx.hash);
    for (const rule of rulesStartedBy(all, type)) {
      if (rule.trigger.kind !== "after_event") continue;
      const sealed = ctx.sealer.sealJson(identity, clockBinding(rule.rule, key));
      await ctx.store.db
        .insertInto("retention_clocks")
        .values({ rule: rule.rule, subject_key: key, identities_enc: sealed, started_at: at })
        .onConflict((oc) =>
          oc
            .columns(["rule", "subject_key"])
            .doUpdateSet({ started_at: at, done_at: null, identities_enc: sealed, updated_at: ctx.now() })
            .where("retention_clocks.started_at", "<", at),
        )
        .execute();
      outcomes.push({
        rule: rule.rule,
        sweep: rule.sweep,
        people: 1,
        held: 0,
        collections: {},
        proof: { complete: true, residual: 0 },
        clock: { started: at.toISOString(), due: endOf(rule.trigger.period, at).toISOString() },
      });
    }
    for (const o of outcomes)
      await appendAuditEvent(ctx.store.db, {
        actor,
        kind: "retention.event",
        payload: { event: type, at: at.toISOString(), ...auditPayload(o) },
      });
    return { type, at: at.toISOString(), outcomes };
  } finally {
    await stores.closeAll();
  }
}

/** The queue of one rule's recurring sweep. */
export const retentionQueue = (rule: string): string => `retention.${rule}`;

/**
 * Gives every sweeping rule (period and account rules) its recurring job, and takes those jobs in this process.
 * Rules no longer in the manifest lose their schedule.
 */
export async function scheduleRetention(ctx: RetentionContext, jobs: JobQueue): Promise<string[]> {
  const rules = retentionPlan(ctx.manifest).filter(
    (r) => r.sweep === "period" || r.sweep === "account" || r.sweep === "clock",
  );
  const names = new Set(rules.map((r) => retentionQueue(r.rule)));
  for (const name of await jobs.schedules("retention.")) if (!names.has(name)) await jobs.unschedule(name);
  for (const rule of rules) {
    const queue = retentionQueue(rule.rule);
    await jobs.ensureQueue(queue);
    await jobs.schedule(queue, rule.schedule, { rule: rule.rule });
    await jobs.workOn<{ rule: string }>(queue, async (job) => {
      const [outcome] = await sweepRetention(ctx, "scheduler", { rules: [job.rule] });
      // A failed sweep throws, so that the queue retries it with backoff; the retry finishes what is left. A dataset
      // without a connection is not retried: nothing will change until the operator configures it (the trail says so).
      if (outcome?.failed && outcome.failed.code !== "STW_ENGINE_NO_CONNECTION")
        throw new Error(`${outcome.failed.code}: retention rule ${job.rule} did not finish`);
    });
  }
  return [...names].sort();
}
