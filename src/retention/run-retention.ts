/**
 * Runs retention rules against the data stores, through the request engine: what is due is found by a condition on
 * the store (rows older than a rule's period, accounts closed longer ago than its grace), and what happens to it is an
 * erasure restricted to the rule (`ruleErasurePlan`) — the same decisions, writes and proof as an erasure request.
 * A target that nothing refers to is deleted by the condition itself, in batches (`deleteWhere`), without a read.
 *
 * Every batch is its own transaction and every statement carries the rule's condition, exemptions and holds, so a
 * sweep stopped half-way (a crash, a killed worker) is finished by running it again, and a row that became exempt in
 * between is never deleted. The outcome of each rule holds counts only — never a value from a row.
 *
 * @example
 *   const stores = new Stores(manifest, { connections });
 *   const outcomes = await runRetention(manifest, stores, { rules: ["clickstream"] });
 */
import type { Connector, RowFilter } from "../connectors/connector.ts";
import type { IdentityValues } from "../engine/find-rows.ts";
import { runErasure } from "../engine/run-request.ts";
import type { Stores } from "../engine/stores.ts";
import { isStewardError, type StewardError, stewardError } from "../errors.ts";
import type { Manifest } from "../manifest/types.ts";
import { flattenFields } from "../manifest/validate-references.ts";
import type { LiveOrder } from "../plan/live-schema.ts";
import type { Plan } from "../plan/plan.ts";
import {
  cutoffOf,
  type RetentionRulePlan,
  type RetentionTarget,
  retentionEvents,
  retentionPlan,
  rowIdentity,
  ruleErasurePlan,
  rulesWaitingFor,
} from "../plan/retention-plan.ts";
import type { HeldRows } from "./held-rows.ts";

export interface CollectionTally {
  /** Rows (or, for account rules, rows of the people) the rule found due. */
  due: number;
  deleted: number;
  masked: number;
  /** Found due but kept: an exemption, a row another rule keeps, or a parent still named by kept rows. */
  kept: number;
}

export interface RuleOutcome {
  readonly rule: string;
  readonly sweep: RetentionRulePlan["sweep"];
  /** Period rules: rows older than this were due. Account rules: accounts closed before this. */
  readonly cutoff?: string;
  /** Account rules: closed accounts handled; event rules: 1 per person. */
  readonly people?: number;
  /** People (or rows) left alone because of a legal hold. */
  readonly held: number;
  readonly collections: Record<string, CollectionTally>;
  /** Searched again afterwards: `residual` rows that should be gone are still there (0 when complete). */
  readonly proof: { readonly complete: boolean; readonly residual: number };
  /** Collections the sweep could not reach (a store down or not configured): the proof is then incomplete. */
  readonly unreached?: readonly string[];
  /** Why nothing was swept (legal rules, no account declaration). */
  readonly skipped?: string;
  /** Clock rules, on their event: the person's clock started then and runs out at `due`. */
  readonly clock?: { readonly started: string; readonly due: string };
  /** A store that could not be written: its batch was rolled back; running the rule again finishes it. */
  readonly failed?: { readonly code: string; readonly message: string };
}

export type RetentionProgress = (p: {
  readonly rule: string;
  readonly collection: string;
  readonly done: number;
  readonly total?: number;
}) => void;

export interface RetentionOptions {
  /** The moment the sweep counts from (default now). */
  readonly now?: Date;
  /** Only these rules (keys); default every rule that sweeps (period and account rules). */
  readonly rules?: readonly string[];
  /** Rows per delete statement (direct sweeps, default 10,000) and keys per engine batch (default 1,000). */
  readonly batchSize?: number;
  readonly held?: HeldRows;
  readonly progress?: RetentionProgress;
  /** Where the clocks of `period` + `after` rules are kept (the service's store); without it those rules are skipped. */
  readonly clocks?: ClockSource;
}

/** A person whose clock of a rule has run out. */
export interface DueClock {
  /** The clock's key (a keyed hash of the person's identities), to mark it done. */
  readonly subject: string;
  readonly identity: IdentityValues;
}

/** The clocks that events start, per rule and person. */
export interface ClockSource {
  /** People whose clock of `rule` started before `cutoff` and is not done. */
  due(rule: string, cutoff: Date): Promise<DueClock[]>;
  /** The person's rows of `rule` were handled: the clock is done (a later event starts it again). */
  done(rule: string, subject: string): Promise<void>;
}

/** Rules by key; an unknown key is a coded error naming the known ones. */
export function selectRules(manifest: Manifest, keys: readonly string[] | undefined): RetentionRulePlan[] {
  const all = retentionPlan(manifest);
  if (!keys || keys.length === 0) return all;
  return keys.map((key) => {
    const rule = all.find((r) => r.rule === key);
    if (!rule)
      throw stewardError("STW_RETENTION_UNKNOWN_RULE", {
        value: key,
        allowed: all.map((r) => r.rule),
      });
    return rule;
  });
}

/** A store's error as the coded one a user reads: where writing failed, and the store's own words. */
function codedOf(e: unknown, where: { dataset: string; collection: string }): StewardError {
  if (isStewardError(e)) return e;
  return stewardError("STW_ENGINE_WRITE_FAILED", { ...where, detail: (e as Error).message ?? String(e) });
}

const emptyTally = (): CollectionTally => ({ due: 0, deleted: 0, masked: 0, kept: 0 });

/** The condition of a period target, with its exemptions and holds. */
export function periodFilter(rule: RetentionRulePlan, target: RetentionTarget, now: Date, held?: HeldRows): RowFilter {
  if (rule.trigger.kind !== "period") throw new RangeError(`${rule.rule} is not a period rule`);
  const heldKeys = target.key ? [...(held?.rows.get(target.collection) ?? [])] : [];
  return {
    before: { column: rule.trigger.from, at: cutoffOf(rule.trigger.period, now) },
    ...(rule.where ? { equals: rule.where } : {}),
    except: target.exemptions.map((x) => x.where ?? {}),
    ...(heldKeys.length > 0 && target.key ? { notIn: { column: target.key, values: heldKeys } } : {}),
  };
}

/** What `account` rules count from: the accounts closed before `cutoff` (minus held ones). */
function accountFilter(
  manifest: Manifest,
  cutoff: Date,
  held?: HeldRows,
): { table: string; key: string; filter: RowFilter } {
  const account = manifest.account!;
  const [dataset = "", name = ""] = account.collection.split(".");
  const collection = manifest.datasets.find((d) => d.fides_key === dataset)?.collections.find((c) => c.name === name);
  const key = [...flattenFields(collection?.fields ?? [])].find(([, f]) => f.primary_key)?.[0] ?? "id";
  const heldKeys = [...(held?.rows.get(account.collection) ?? [])];
  return {
    table: name,
    key,
    filter: {
      before: { column: account.closed_at, at: cutoff },
      ...(heldKeys.length > 0 ? { notIn: { column: key, values: heldKeys } } : {}),
    },
  };
}

/** The identity type of the account collection's key (user_id). */
function accountIdentity(manifest: Manifest): string {
  const [dataset = "", name = ""] = manifest.account!.collection.split(".");
  const collection = manifest.datasets.find((d) => d.fides_key === dataset)?.collections.find((c) => c.name === name);
  const key = [...flattenFields(collection?.fields ?? [])].find(([, f]) => f.primary_key);
  return key?.[1].identity ?? "user_id";
}

async function connectorOf(stores: Stores, dataset: string, collection: string): Promise<Connector> {
  const c = await stores.get(dataset);
  if (!c.capabilities.supportsConditions)
    throw stewardError("STW_RETENTION_NO_CONDITIONS", { collection, kind: c.kind });
  return c;
}

export interface RetentionPlanRow {
  readonly rule: string;
  readonly sweep: RetentionRulePlan["sweep"];
  readonly cutoff?: string;
  readonly schedule: string;
  readonly description: string;
  readonly why?: string;
  readonly targets: readonly {
    readonly collection: string;
    readonly action: "delete" | "mask";
    readonly fields: readonly string[];
    /** Period rules: rows due now; account rules: rows are counted per closed account (`accounts`). */
    readonly due?: number;
    readonly follows: readonly string[];
    readonly error?: string;
  }[];
  /** Account rules: accounts closed long enough ago to be due; clock rules: people whose clock has run out. */
  readonly accounts?: number;
  readonly event?: string;
}

/** The dry run: per rule, what is due now and what would happen to it. Reads counts only; writes nothing. */
export async function planRetention(
  manifest: Manifest,
  stores: Stores,
  options: Pick<RetentionOptions, "now" | "rules" | "held" | "clocks"> = {},
): Promise<RetentionPlanRow[]> {
  const now = options.now ?? new Date();
  const out: RetentionPlanRow[] = [];
  for (const rule of selectRules(manifest, options.rules)) {
    let accounts: number | undefined;
    let cutoff: Date | undefined;
    if (rule.trigger.kind === "period" || rule.trigger.kind === "after_event")
      cutoff = cutoffOf(rule.trigger.period, now);
    if (rule.sweep === "clock" && options.clocks && cutoff)
      accounts = (await options.clocks.due(rule.rule, cutoff)).length;
    if (rule.sweep === "account" && rule.trigger.kind === "account_lifetime") {
      cutoff = new Date(now.getTime() - rule.trigger.grace_days * 86_400_000);
      const a = accountFilter(manifest, cutoff, options.held);
      const [dataset = ""] = manifest.account!.collection.split(".");
      accounts = await (await connectorOf(stores, dataset, manifest.account!.collection)).countWhere(a.table, a.filter);
    }
    const targets = [];
    for (const t of rule.targets) {
      let due: number | undefined;
      let error: string | undefined;
      if (rule.sweep === "period") {
        try {
          due = await (await connectorOf(stores, t.dataset, t.collection)).countWhere(
            t.name,
            periodFilter(rule, t, now, options.held),
          );
        } catch (e) {
          error = codedOf(e, t).message;
        }
      }
      targets.push({
        collection: t.collection,
        action: t.action,
        fields: t.fields.filter((f) => f.kind === "mask").map((f) => f.field),
        ...(due !== undefined ? { due } : {}),
        follows: t.followers,
        ...(error ? { error } : {}),
      });
    }
    out.push({
      rule: rule.rule,
      sweep: rule.sweep,
      ...(cutoff ? { cutoff: cutoff.toISOString() } : {}),
      schedule: rule.schedule,
      description: rule.description,
      ...(rule.why ? { why: rule.why } : {}),
      targets,
      ...(accounts !== undefined ? { accounts } : {}),
      ...(rule.trigger.kind === "event" || rule.trigger.kind === "after_event" ? { event: rule.trigger.event } : {}),
    });
  }
  return out;
}

/** Runs the sweeps of the chosen rules (event rules wait for their event and are skipped here). */
export async function runRetention(
  manifest: Manifest,
  stores: Stores,
  options: RetentionOptions = {},
): Promise<RuleOutcome[]> {
  const now = options.now ?? new Date();
  const outcomes: RuleOutcome[] = [];
  for (const rule of selectRules(manifest, options.rules)) {
    if (rule.sweep === "event") {
      outcomes.push({
        rule: rule.rule,
        sweep: rule.sweep,
        held: 0,
        collections: {},
        proof: { complete: true, residual: 0 },
        skipped: `waits for the event ${rule.trigger.kind === "event" ? rule.trigger.event : ""}`,
      });
      continue;
    }
    if (rule.sweep === "none") {
      outcomes.push({
        rule: rule.rule,
        sweep: rule.sweep,
        held: 0,
        collections: {},
        proof: { complete: true, residual: 0 },
        skipped: rule.why ?? "nothing to sweep",
      });
      continue;
    }
    try {
      outcomes.push(
        rule.sweep === "period"
          ? await sweepPeriod(manifest, stores, rule, now, options)
          : rule.sweep === "clock"
            ? await sweepClocks(manifest, stores, rule, now, options)
            : await sweepAccounts(manifest, stores, rule, now, options),
      );
    } catch (e) {
      outcomes.push(failedOutcome(rule, e));
    }
  }
  return outcomes;
}

async function sweepPeriod(
  manifest: Manifest,
  stores: Stores,
  rule: RetentionRulePlan,
  now: Date,
  options: RetentionOptions,
): Promise<RuleOutcome> {
  const collections: Record<string, CollectionTally> = {};
  let residual = 0;
  let held = 0;
  for (const target of rule.targets) {
    const tally = emptyTally();
    collections[target.collection] = tally;
    const db = await connectorOf(stores, target.dataset, target.collection);
    const filter = periodFilter(rule, target, now, options.held);
    held += filter.notIn?.values.length ?? 0;
    const total = await db.countWhere(target.name, filter);
    tally.due = total;
    options.progress?.({ rule: rule.rule, collection: target.collection, done: 0, total });
    if (target.direct || !target.key) {
      const size = options.batchSize ?? 10_000;
      for (let n = size; n === size; ) {
        n = await db.deleteWhere(target.name, filter, size);
        tally.deleted += n;
        options.progress?.({ rule: rule.rule, collection: target.collection, done: tally.deleted, total });
      }
    } else {
      // Read the due keys in order and erase each batch through the engine, seeded with those keys.
      const identity = rowIdentity(target.collection);
      const seed = { collection: target.collection, field: target.key, identity };
      const plan = builtOnce((order) =>
        ruleErasurePlan(manifest, { ...rule, targets: [target] }, [identity], [seed], order),
      );
      const size = options.batchSize ?? 1000;
      let after: unknown;
      let done = 0;
      for (;;) {
        const keys = await db.keysWhere(target.name, target.key, filter, {
          limit: size,
          ...(after !== undefined ? { after } : {}),
        });
        if (keys.length === 0) break;
        after = keys[keys.length - 1];
        const outcome = await runErasure(manifest, new Map([[identity, keys]]), stores, { plan, batchSize: size });
        if (outcome.failed) throw new EngineFailure(outcome.failed.why);
        addCounts(collections, outcome.collections);
        residual += residualOf(outcome);
        done += keys.length;
        options.progress?.({ rule: rule.rule, collection: target.collection, done, total });
        if (keys.length < size) break;
      }
    }
    // The proof of a direct sweep: nothing the rule covers is still due. (Through the engine, its own proof holds:
    // a row masked because others still name it is due again but not residual.)
    if (target.direct || !target.key) residual += await db.countWhere(target.name, filter);
    tally.due = total;
  }
  return {
    rule: rule.rule,
    sweep: rule.sweep,
    cutoff: rule.trigger.kind === "period" ? cutoffOf(rule.trigger.period, now).toISOString() : "",
    held,
    collections,
    proof: { complete: residual === 0, residual },
  };
}

async function sweepAccounts(
  manifest: Manifest,
  stores: Stores,
  rule: RetentionRulePlan,
  now: Date,
  options: RetentionOptions,
): Promise<RuleOutcome> {
  if (rule.trigger.kind !== "account_lifetime") throw new RangeError(`${rule.rule} is not an account rule`);
  const cutoff = new Date(now.getTime() - rule.trigger.grace_days * 86_400_000);
  const a = accountFilter(manifest, cutoff, options.held);
  const [dataset = ""] = manifest.account!.collection.split(".");
  const db = await connectorOf(stores, dataset, manifest.account!.collection);
  const total = await db.countWhere(a.table, a.filter);
  const identity = accountIdentity(manifest);
  const plan = builtOnce((order) => ruleErasurePlan(manifest, rule, [identity], [], order));
  const size = options.batchSize ?? 1000;
  const collections: Record<string, CollectionTally> = {};
  let residual = 0;
  let people = 0;
  const unreached = new Set<string>();
  let after: unknown;
  options.progress?.({ rule: rule.rule, collection: manifest.account!.collection, done: 0, total });
  for (;;) {
    const keys = await db.keysWhere(a.table, a.key, a.filter, {
      limit: size,
      ...(after !== undefined ? { after } : {}),
    });
    if (keys.length === 0) break;
    after = keys[keys.length - 1];
    const outcome = await runErasure(manifest, new Map([[identity, keys]]), stores, { plan, batchSize: size });
    if (outcome.failed) throw new EngineFailure(outcome.failed.why);
    addCounts(collections, outcome.collections, new Set(rule.targets.map((t) => t.collection)));
    residual += residualOf(outcome);
    for (const c of unreachedOf(outcome, rule)) unreached.add(c);
    people += keys.length;
    options.progress?.({ rule: rule.rule, collection: manifest.account!.collection, done: people, total });
    if (keys.length < size) break;
  }
  return {
    rule: rule.rule,
    sweep: rule.sweep,
    cutoff: cutoff.toISOString(),
    people,
    held: a.filter.notIn?.values.length ?? 0,
    collections,
    ...(unreached.size > 0 ? { unreached: [...unreached].sort() } : {}),
    proof: { complete: residual === 0 && unreached.size === 0, residual },
  };
}

/** The engine's counts, summed per collection: only collections the rule changes or keeps on its account. */
function addCounts(
  into: Record<string, CollectionTally>,
  counts: Readonly<
    Record<string, { read: number; deleted: number; masked: number; kept: number; kept_masked?: number }>
  >,
  only?: ReadonlySet<string>,
): void {
  for (const [collection, c] of Object.entries(counts)) {
    if (c.deleted === 0 && c.masked === 0 && !(only?.has(collection) ?? true)) continue;
    const t = into[collection] ?? emptyTally();
    into[collection] = t;
    t.due += c.read;
    // Rows an exemption keeps but whose fields the rule covers were still masked (a forum post loses its author).
    const masked = c.masked + (c.kept_masked ?? 0);
    t.deleted += c.deleted;
    t.masked += masked;
    if (only?.has(collection) ?? true) t.kept += Math.max(0, c.read - c.deleted - masked);
  }
}

const residualOf = (outcome: Awaited<ReturnType<typeof runErasure>>): number =>
  outcome.proof ? Object.values(outcome.proof.collections).reduce((n, c) => n + c.residual, 0) : 0;

/**
 * The rule's collections (its targets and what follows them) that a store did not answer for. Others the plan reads
 * only to decide do not make the rule incomplete; nor do those no identity leads to.
 */
const unreachedOf = (outcome: Awaited<ReturnType<typeof runErasure>>, rule: RetentionRulePlan): string[] => {
  const own = new Set(rule.targets.flatMap((t) => [t.collection, ...t.followers]));
  return outcome.unreached
    .filter((u) => own.has(u.collection) && !u.why.startsWith("no identity"))
    .map((u) => u.collection);
};

export interface RetentionEvent {
  readonly type: string;
  readonly identity: IdentityValues;
  readonly at?: Date;
}

/**
 * An event happened for a person: every rule that waits for it runs now, as an erasure restricted to the rule.
 * A person under a legal hold is left alone (the outcome says so).
 */
export async function runEvent(
  manifest: Manifest,
  stores: Stores,
  event: RetentionEvent,
  options: Pick<RetentionOptions, "held" | "batchSize"> = {},
): Promise<RuleOutcome[]> {
  const all = retentionPlan(manifest);
  const rules = rulesWaitingFor(all, event.type);
  if (!retentionEvents(all).includes(event.type))
    throw stewardError("STW_RETENTION_UNKNOWN_EVENT", { value: event.type, allowed: retentionEvents(all) });
  const outcomes: RuleOutcome[] = [];
  for (const rule of rules) {
    if (options.held?.isHeld(event.identity)) {
      outcomes.push({
        rule: rule.rule,
        sweep: rule.sweep,
        people: 0,
        held: 1,
        collections: {},
        proof: { complete: true, residual: 0 },
        skipped: "the person is under a legal hold",
      });
      continue;
    }
    outcomes.push(await erasePerson(manifest, stores, rule, event.identity, options));
  }
  return outcomes;
}

/**
 * A rule's restricted plan for runErasure, built once per live-schema order: a sweep erases batch after batch with
 * the same rule and the same live schema.
 */
function builtOnce(build: (order: LiveOrder) => Plan): (order: LiveOrder) => Plan {
  const built = new Map<string, Plan>();
  return (order) => {
    const key = JSON.stringify(order);
    const plan = built.get(key) ?? build(order);
    built.set(key, plan);
    return plan;
  };
}

/** A rule that could not be carried out: its coded error, and a proof that says so. */
/**
 * A batch the engine could not write: its outcome's `why` already is the coded error (`CODE: message`, naming the
 * dataset and collection), passed on as it is rather than wrapped in the same words again.
 */
class EngineFailure extends Error {
  readonly failed: { readonly code: string; readonly message: string };
  constructor(why: string) {
    super(why);
    const coded = /^(STW_[A-Z0-9_]+): ([\s\S]*)$/.exec(why);
    this.failed = coded ? { code: coded[1]!, message: coded[2]! } : { code: "STW_ENGINE_WRITE_FAILED", message: why };
  }
}

function failedOutcome(rule: RetentionRulePlan, e: unknown): RuleOutcome {
  const where = { dataset: rule.targets[0]?.dataset ?? "", collection: rule.targets[0]?.collection ?? "" };
  const coded = e instanceof EngineFailure ? undefined : codedOf(e, where);
  return {
    rule: rule.rule,
    sweep: rule.sweep,
    held: 0,
    collections: {},
    proof: { complete: false, residual: 0 },
    failed: coded ? { code: coded.code, message: coded.message } : (e as EngineFailure).failed,
  };
}

/** One person's rows of a rule, through a restricted erasure; the outcome of that person alone. */
async function erasePerson(
  manifest: Manifest,
  stores: Stores,
  rule: RetentionRulePlan,
  identity: IdentityValues,
  options: Pick<RetentionOptions, "batchSize">,
): Promise<RuleOutcome> {
  const plan = (order: LiveOrder) => ruleErasurePlan(manifest, rule, [...identity.keys()].sort(), [], order);
  try {
    const outcome = await runErasure(manifest, identity, stores, {
      plan,
      ...(options.batchSize ? { batchSize: options.batchSize } : {}),
    });
    const collections: Record<string, CollectionTally> = {};
    addCounts(collections, outcome.collections, new Set(rule.targets.map((t) => t.collection)));
    const residual = residualOf(outcome);
    const unreached = unreachedOf(outcome, rule);
    return {
      rule: rule.rule,
      sweep: rule.sweep,
      people: 1,
      held: 0,
      collections,
      ...(unreached.length > 0 ? { unreached } : {}),
      proof: { complete: residual === 0 && unreached.length === 0, residual },
      ...(outcome.failed ? { failed: new EngineFailure(outcome.failed.why).failed } : {}),
    };
  } catch (e) {
    return failedOutcome(rule, e);
  }
}

/**
 * A `period` + `after` rule: each person whose clock ran out has the rule's rows erased (restricted); a clock is done
 * only when that person's proof is complete, so a failed or partial one is tried again at the next sweep.
 */
async function sweepClocks(
  manifest: Manifest,
  stores: Stores,
  rule: RetentionRulePlan,
  now: Date,
  options: RetentionOptions,
): Promise<RuleOutcome> {
  if (rule.trigger.kind !== "after_event") throw new RangeError(`${rule.rule} is not a clock rule`);
  const cutoff = cutoffOf(rule.trigger.period, now);
  if (!options.clocks)
    return {
      rule: rule.rule,
      sweep: rule.sweep,
      cutoff: cutoff.toISOString(),
      held: 0,
      collections: {},
      proof: { complete: true, residual: 0 },
      skipped: "its clocks are kept by the request service's store (run it through `steward retention run`)",
    };
  const due = await options.clocks.due(rule.rule, cutoff);
  const collections: Record<string, CollectionTally> = {};
  let residual = 0;
  let people = 0;
  let held = 0;
  const unreached = new Set<string>();
  let failed: RuleOutcome["failed"];
  options.progress?.({ rule: rule.rule, collection: "people", done: 0, total: due.length });
  for (const [i, person] of due.entries()) {
    if (options.held?.isHeld(person.identity)) {
      held += 1;
      continue;
    }
    const o = await erasePerson(manifest, stores, rule, person.identity, options);
    for (const [c, t] of Object.entries(o.collections)) {
      collections[c] ??= emptyTally();
      const sum = collections[c];
      sum.due += t.due;
      sum.deleted += t.deleted;
      sum.masked += t.masked;
      sum.kept += t.kept;
    }
    residual += o.proof.residual;
    for (const u of o.unreached ?? []) unreached.add(u);
    if (o.failed) failed ??= o.failed;
    else if (o.proof.complete) await options.clocks.done(rule.rule, person.subject);
    people += 1;
    options.progress?.({ rule: rule.rule, collection: "people", done: i + 1, total: due.length });
  }
  return {
    rule: rule.rule,
    sweep: rule.sweep,
    cutoff: cutoff.toISOString(),
    people,
    held,
    collections,
    ...(unreached.size > 0 ? { unreached: [...unreached].sort() } : {}),
    proof: { complete: residual === 0 && unreached.size === 0 && !failed, residual },
    ...(failed ? { failed } : {}),
  };
}
