/**
 * Runs a request against the data stores: access (collect the subject's personal data), erasure (decide, write, then
 * prove by searching again) and rectification (set new values wherever the field lives). One function per action, all
 * built on the same three parts: `findRows` (plan → the subject's rows), `decideErasure` (rows → what happens to each),
 * `writeChanges` (one transaction per store).
 *
 * Batch mode is the same call with many people's identities: every lookup, delete and mask is one set-based statement
 * per collection and chunk, whatever the number of people.
 *
 * @example
 *   const stores = new Stores(manifest, { connections: { learning_app: "postgres://…" } });
 *   const outcome = await runErasure(manifest, new Map([["email", ["ada@example.com"]]]), stores);
 *   await stores.closeAll();
 */
import { randomBytes, randomUUID } from "node:crypto";
import type { IntrospectedTable, Row } from "../connectors/connector.ts";
import { stewardError } from "../errors.ts";
import { isWithin } from "../manifest/taxonomy/build-taxonomy.ts";
import type { Field, Manifest } from "../manifest/types.ts";
import { buildPlan } from "../plan/build-plan.ts";
import { type Cascade, compareLiveSchema, type LiveOrder, planWithLiveSchema } from "../plan/live-schema.ts";
import type { CollectionStep, Plan } from "../plan/plan.ts";
import { isPersonalField } from "../plan/reference-graph.ts";
import type { AccessResult, CollectedCollection } from "./access-result.ts";
import { AskedKeys } from "./asked-keys.ts";
import { type CollectionDecision, decideErasure, directDeletes, matches } from "./decide-erasure.ts";
import type { EngineEvents } from "./events.ts";
import {
  addressOf,
  type FoundCollection,
  type FoundRows,
  findRows,
  type IdentityValues,
  lookupValues,
  otherPeoplesFields,
  rowIdentity,
  settlesEarly,
} from "./find-rows.ts";
import { isMasked } from "./mask.ts";
import type { Stores } from "./stores.ts";
import { type CollectionChanges, deferred, type RowChange, writeChanges } from "./write-changes.ts";

export interface CollectionCounts {
  read: number;
  deleted: number;
  masked: number;
  kept: number;
  updated: number;
  /** Erasure: of the kept rows, those that still lost a field (their own mask setting); absent when none. */
  kept_masked?: number;
  /**
   * Erasure: rows of other tables the database deleted with this collection's rows (ON DELETE CASCADE), per table
   * (`dataset.table`); absent when none.
   */
  cascaded?: Record<string, number>;
}

export interface ErasureProof {
  /** Every collection was searched again and nothing that should be gone was found. */
  readonly complete: boolean;
  /** Per collection: rows found again, of which kept on purpose, and residual rows that should not be there. */
  readonly collections: Readonly<Record<string, { found: number; kept: number; residual: number }>>;
  readonly unreached: readonly string[];
}

export interface RequestOutcome {
  readonly request: string;
  readonly action: "access" | "erasure" | "rectification";
  readonly collections: Record<string, CollectionCounts>;
  readonly unreached: { collection: string; why: string }[];
  /** Why rows were kept or masked instead of deleted, or fields retained. */
  readonly notes: Record<string, string[]>;
  readonly proof?: ErasureProof;
  /**
   * Set when a store could not be written: its changes were rolled back, and so were those of the stores waiting for
   * it (`skipped`). The same request, run again, finishes the job.
   */
  readonly failed?: { readonly dataset: string; readonly why: string; readonly skipped: readonly string[] };
  readonly access?: AccessResult;
  /** Erasure: the manifest exemptions that kept rows (their reasons go into the person's answer). */
  readonly exemptions?: readonly string[];
  /** Erasure: what the live schema says that the manifest does not (SC016–SC018); absent when nothing. */
  readonly findings?: readonly {
    readonly code: string;
    readonly severity: "error" | "warning";
    readonly collection: string;
    readonly message: string;
  }[];
}

export interface RunOptions {
  readonly request?: string;
  readonly categories?: readonly string[];
  readonly batchSize?: number;
  readonly events?: EngineEvents;
  /**
   * Erasure: how to build the plan to run instead of the full one (a retention rule's restricted erasure,
   * `ruleErasurePlan`), given the order the live schema adds — called as runErasure builds its own plan, so that the
   * database's undeclared foreign keys order it too.
   */
  readonly plan?: (order: LiveOrder) => Plan;
}

/** Identity types of the request, in a stable order. */
const typesOf = (identities: IdentityValues) => [...identities.keys()].sort();

function emptyCounts(plan: Plan): Record<string, CollectionCounts> {
  return Object.fromEntries(
    plan.steps.map((s) => [s.collection, { read: 0, deleted: 0, masked: 0, kept: 0, updated: 0 }]),
  );
}

function unreachedOf(plan: Plan, found: FoundRows): { collection: string; why: string }[] {
  return [
    ...plan.unreached.map((collection) => ({ collection, why: "no identity of the request leads to it" })),
    ...[...found.unreached].map(([collection, why]) => ({ collection, why })),
  ];
}

export async function runAccess(
  manifest: Manifest,
  identities: IdentityValues,
  stores: Stores,
  options: RunOptions = {},
): Promise<RequestOutcome> {
  const request = options.request ?? randomUUID();
  const plan = buildPlan(manifest, {
    action: "access",
    identities: typesOf(identities),
    categories: options.categories ?? [],
  });
  const found = await findRows(plan, identities, stores, manifest.datasets, findOptions(options));
  const counts = emptyCounts(plan);
  const collections: CollectedCollection[] = [];
  for (const step of plan.steps) {
    const c = found.collections.get(step.collection);
    const rows = c?.rows ?? [];
    counts[step.collection]!.read = rows.length;
    if (step.read.length === 0) continue;
    const withheld = new Map<string, number>();
    collections.push({
      collection: step.collection,
      dataset: step.dataset,
      name: step.name,
      fields: step.read.map((name) => {
        const f = c?.fields.get(name);
        return {
          name,
          data_categories: f?.data_categories ?? [],
          ...(f?.description ? { description: f.description } : {}),
        };
      }),
      rows: rows.map((r, i) => {
        const others = c ? otherPeoplesFields(c, i) : new Set<string>();
        return Object.fromEntries(
          step.read.map((n) => {
            if (!others.has(n) || r[n] === null || r[n] === undefined) return [n, portable(r[n])];
            withheld.set(n, (withheld.get(n) ?? 0) + 1);
            return [n, null];
          }),
        );
      }),
      ...(withheld.size > 0 ? { withheld: [...withheld].map(([field, n]) => ({ field, rows: n })) } : {}),
    });
  }
  const unreached = unreachedOf(plan, found);
  const access: AccessResult = {
    kind: "access_result",
    request,
    generated_at: new Date().toISOString(),
    identities: plan.identities,
    categories: plan.categories,
    collections,
    // The package is read by the person: the operator's coded reasons stay in the outcome.
    unreached: unreached.map((u) => ({
      collection: u.collection,
      why: u.why.startsWith("no identity")
        ? "none of the details you gave us lead to it; tell us another one (for example a phone number) and we will search it too"
        : "the system that holds it did not answer when we searched; we will search it again and send you what we find",
    })),
  };
  return { request, action: "access", collections: counts, unreached, notes: {}, access };
}

export async function runErasure(
  manifest: Manifest,
  identities: IdentityValues,
  stores: Stores,
  options: RunOptions = {},
): Promise<RequestOutcome> {
  const request = options.request ?? randomUUID();
  const build =
    options.plan ??
    ((order: LiveOrder) => buildPlan(manifest, { action: "erasure", identities: typesOf(identities), order }));
  const first = build([]);
  // The live schema before anything is read or written: undeclared foreign keys order the erasure too, CASCADE keys
  // are counted, and a cycle of NOT NULL keys no order satisfies stops the request here.
  const tables = await stores.liveTables(first.steps.map((s) => s.dataset));
  const { plan, schema, findings } = planWithLiveSchema(manifest, tables, build, first);
  const cycle = findings.find((f) => f.cycle);
  if (cycle?.cycle) {
    const coded = stewardError("STW_ENGINE_KEY_CYCLE", {
      collections: cycle.cycle.collections.join(", "),
      keys: cycle.cycle.keys,
    });
    return {
      request,
      action: "erasure",
      collections: emptyCounts(plan),
      unreached: [],
      notes: {},
      findings: findings.map(({ code, severity, collection, message }) => ({ code, severity, collection, message })),
      failed: {
        dataset: plan.steps.find((s) => s.collection === cycle.collection)!.dataset,
        why: `${coded.code}: ${coded.message}`,
        skipped: [],
      },
    };
  }
  // Only what deciding needs is read: references, and the fields a mask may write (a row masked instead of deleted
  // has the rest read when that is decided). Collections whose rows all go are deleted by key, without a read.
  const toDecide = (step: CollectionStep, fields: ReadonlyMap<string, Field>) => [
    ...[...fields]
      .filter(([, f]) => f.references.length > 0 || (f.erasure?.action === "mask" && isPersonalField(f)))
      .map(([n]) => n),
    ...(step.treatment?.kind === "mask_fields"
      ? step.treatment.fields.filter((f) => f.kind === "mask").map((f) => f.field)
      : []),
    // The key a CASCADE names, to count what the database removes with the rows.
    ...schema.cascades.filter((c) => c.parent === step.collection).flatMap((c) => c.parentColumns),
  ];
  // A collection the database cascades from is read first, so that what the cascade removes can be counted.
  const cascadeParents = new Set(schema.cascades.map((c) => c.parent));
  // A view is read like any collection but never written (SC019): what it shows goes with the tables it reads.
  const views = new Set(schema.views);
  const direct = new Set([...directDeletes(manifest, plan)].filter((c) => !cascadeParents.has(c) && !views.has(c)));
  // A store whose collections are all deleted by key, with keys from rows that are final early (the analytics
  // warehouse, keyed by the accounts' ids), starts writing as soon as they are: while other stores are still searched
  // and decided. It commits only once every decision is made (and not at all if deciding fails).
  const early = earlyDatasets(plan, direct);
  const settled = new Map<string, FoundCollection>();
  const whenSettled = new Map(plan.steps.map((s) => [s.collection, deferred<void>()]));
  const foundP = findRows(plan, identities, stores, manifest.datasets, {
    ...findOptions(options),
    extraColumns: toDecide,
    personalFields: false,
    direct,
    onSettled: (collection, found) => {
      settled.set(collection, found);
      whenSettled.get(collection)?.resolve();
    },
  });
  // A search that failed settles nothing more: what waits on it goes on, and is rolled back (nothing was decided).
  const settleAll = () => {
    for (const d of whenSettled.values()) d.resolve();
  };
  foundP.then(settleAll, settleAll);
  // A per-request secret for HMAC masks: never stored, so masked values cannot be linked back afterwards.
  const decidedP = foundP.then(async (found) => {
    const decisions = await decideErasure(manifest, found, stores, randomBytes(32), direct);
    return { found, decisions, changes: changesOf(plan, decisions, schema.cascades, views) };
  });
  // Its failure is the request's, thrown once the stores have been rolled back (below).
  decidedP.catch(() => {});
  const earlyChanges = async (dataset: string): Promise<CollectionChanges[]> => {
    const steps = plan.steps.filter((s) => s.dataset === dataset);
    const sources = steps.flatMap((s) =>
      s.lookups.flatMap((l) => (l.source.kind === "identity" ? [] : [l.source.collection])),
    );
    await Promise.all(sources.map((c) => whenSettled.get(c)!.promise));
    // A store that does not answer is reported as unreached by the search, and written by nobody.
    if (
      stores.downReason(dataset) ||
      !(await stores.get(dataset).then(
        () => true,
        () => false,
      ))
    )
      return [];
    return steps.map((step) => directChanges(step, (i) => lookupValues(step.lookups[i]!, identities, settled)));
  };
  const written = await writeChanges(
    plan,
    (dataset) =>
      early.has(dataset)
        ? earlyChanges(dataset)
        : decidedP.then(({ changes }) => changes.filter((c) => c.dataset === dataset)),
    stores,
    options.events,
    { decided: decidedP },
  );
  // Deciding failed: every store was rolled back (or never started); the failure is the request's.
  const { found, decisions } = await decidedP;

  const counts = emptyCounts(plan);
  for (const step of plan.steps) {
    const d = decisions.collections.get(step.collection);
    if (!d) continue;
    counts[step.collection]!.read = d.found.rows.length;
    let kept = 0;
    for (let i = 0; i < d.fates.length; i++) if (d.fates[i]!.action === "keep") kept++;
    counts[step.collection]!.kept = kept;
  }
  for (const [collection, n] of written.counts) {
    counts[collection]!.deleted = n.deleted;
    counts[collection]!.masked = n.masked;
    if (n.keptChanged > 0) counts[collection]!.kept_masked = n.keptChanged;
    if (n.cascaded.size > 0) counts[collection]!.cascaded = Object.fromEntries(n.cascaded);
    // A collection deleted by key was not read first: what it found is what went.
    if (direct.has(collection)) counts[collection]!.read = n.deleted;
  }

  // Proof: search again with every key the erasure used, and check that only what was meant to stay is there.
  const written_ = (step: CollectionStep) => [...writtenColumns(decisions.collections.get(step.collection))];
  const extraKeys = new Map([...found.collections].map(([a, c]) => [a, c.asked.map((s) => s.values())]));
  // Whether a value was asked is not asked any more (the proof keeps its own): the sets beside the lists go.
  for (const c of found.collections.values()) for (const asked of c.asked) asked.release();
  const again = await findRows(plan, identities, stores, manifest.datasets, {
    ...findOptions(options),
    extraColumns: (step, fields) => [...toDecide(step, fields), ...written_(step)],
    personalFields: false,
    extraKeys,
  });
  const proof = proofOf(decisions, again);
  options.events?.emit({
    kind: "proof_checked",
    complete: proof.complete,
    residual: Object.values(proof.collections).reduce((n, c) => n + c.residual, 0),
  });
  for (const [collection, n] of written.counts) {
    const set = decisions.notes.get(collection) ?? new Set<string>();
    for (const [table, rows] of n.cascaded)
      set.add(`deleting these rows made the database delete ${rows} row(s) of ${table} with them (ON DELETE CASCADE)`);
    for (const table of n.uncounted)
      set.add(
        `the database may have deleted rows of ${table} with these (ON DELETE CASCADE); the key they name is not in the manifest, so they were not counted`,
      );
    if (set.size > 0) decisions.notes.set(collection, set);
  }
  const notes = Object.fromEntries([...decisions.notes].map(([c, set]) => [c, [...set]]));
  const exemptions = new Set<string>();
  for (const d of decisions.collections.values())
    for (let i = 0; i < d.fates.length; i++) {
      const fate = d.fates[i]!;
      if (fate.action === "keep" && fate.exemption) exemptions.add(fate.exemption);
    }
  return {
    request,
    action: "erasure",
    exemptions: [...exemptions].sort(),
    collections: counts,
    unreached: unreachedOf(plan, found),
    notes,
    ...(findings.length > 0
      ? {
          findings: findings.map(({ code, severity, collection, message }) => ({
            code,
            severity,
            collection,
            message,
          })),
        }
      : {}),
    proof,
    ...(written.failed ? { failed: { ...written.failed, skipped: written.skipped } } : {}),
  };
}

/**
 * Datasets that can be written before the erasure is decided: every planned collection of the dataset is deleted
 * straight by its lookups' keys (`direct`), and every key comes from the request's identities or from collections
 * whose rows are final early in the search (see `settlesEarly`).
 */
function earlyDatasets(plan: Plan, direct: ReadonlySet<string>): Set<string> {
  const early = settlesEarly(plan);
  const datasets = new Set(plan.steps.map((s) => s.dataset));
  for (const step of plan.steps) {
    const ok =
      direct.has(step.collection) &&
      step.lookups.every((l) => l.source.kind === "identity" || early.has(l.source.collection));
    if (!ok) datasets.delete(step.dataset);
  }
  return datasets;
}

/**
 * A collection deleted straight by key: every row its lookups' values match (`valuesOf(i)` for lookup i: the values
 * it asked, or those it would ask).
 */
function directChanges(
  step: CollectionStep,
  valuesOf: (lookup: number) => AskedKeys | readonly unknown[],
): CollectionChanges {
  const byLookup = new Map<string, readonly unknown[]>();
  for (const field of new Set(step.lookups.map((l) => l.field))) {
    const lookups = step.lookups.flatMap((l, i) => (l.field === field ? [i] : []));
    const only = lookups.length === 1 ? valuesOf(lookups[0]!) : undefined;
    // The values one lookup asked are distinct text already: taken as they are, not copied.
    if (only instanceof AskedKeys) {
      byLookup.set(field, only.values());
      continue;
    }
    const set = new Set<string>();
    for (const i of lookups) {
      const values = valuesOf(i);
      for (const v of values instanceof AskedKeys ? values.values() : values) set.add(String(v));
    }
    byLookup.set(field, [...set]);
  }
  return {
    collection: step.collection,
    dataset: step.dataset,
    table: step.name,
    rows: [],
    changes: [],
    direct: true,
    byLookup,
  };
}

/** One object for every row that goes (a large batch has millions). */
const DELETE: RowChange = Object.freeze({ kind: "delete" });

/** The changes the decisions make, collection by collection in the plan's order. */
function changesOf(
  plan: Plan,
  decisions: Awaited<ReturnType<typeof decideErasure>>,
  cascades: readonly Cascade[],
  views: ReadonlySet<string>,
): CollectionChanges[] {
  const changes: CollectionChanges[] = [];
  for (const step of plan.steps) {
    const d = decisions.collections.get(step.collection);
    if (!d) continue;
    if (d.direct) {
      changes.push(directChanges(step, (i) => d.found.asked[i]!));
      continue;
    }
    const list: (RowChange | undefined)[] = d.fates.map((fate) => {
      if (fate.action === "delete") return DELETE;
      if ((fate.action === "mask" || fate.action === "keep") && Object.keys(fate.set).length > 0)
        return { kind: "set", set: { ...fate.set }, kept: fate.action === "keep" };
      return undefined;
    });
    if (views.has(step.collection)) {
      if (list.some((c) => c !== undefined))
        decisions.notes.set(
          step.collection,
          (decisions.notes.get(step.collection) ?? new Set<string>()).add(
            `${step.collection} is a view in the database: nothing was written through it (SC019); its rows go or change with the tables it reads`,
          ),
        );
      continue;
    }
    changes.push({
      collection: step.collection,
      dataset: step.dataset,
      table: step.name,
      ...(addressOf(d.found) !== undefined ? { key: addressOf(d.found)! } : {}),
      rows: d.found.rows,
      changes: list,
      // Rows without a key are addressed by the values that found them (deletes only).
      ...(addressOf(d.found) === undefined
        ? { byLookup: new Map(step.lookups.map((l, i) => [l.field, d.found.asked[i]!.values()] as const)) }
        : {}),
      cascades: cascades.filter((c) => c.parent === step.collection),
    });
  }
  return changes;
}

/** The columns the decisions write on some row of a collection (a loop: most of a large batch's rows are deleted). */
function writtenColumns(d: CollectionDecision | undefined): Set<string> {
  const out = new Set<string>();
  // (Index loops over the fates: an iterator allocates a result per row where V8 does not optimise it away.)
  const fates = d?.fates ?? [];
  for (let i = 0; i < fates.length; i++) {
    const f = fates[i]!;
    if (f.action === "mask" || f.action === "keep") for (const c in f.set) out.add(c);
  }
  return out;
}

function proofOf(decisions: Awaited<ReturnType<typeof decideErasure>>, again: FoundRows): ErasureProof {
  const collections: Record<string, { found: number; kept: number; residual: number }> = {};
  for (const [address, c] of again.collections) {
    const d = decisions.collections.get(address);
    const before = new Map<string, number>();
    // Rows told apart by several columns are matched on those the erasure did not write (a masked column of a
    // keyless row no longer holds what identified it).
    const written = writtenColumns(d);
    const stable = c.rowKey?.filter((column) => !written.has(column));
    const identify =
      c.key !== undefined
        ? (r: Row) => rowIdentity(c, r)
        : stable && stable.length > 0
          ? (r: Row) => rowIdentity({ rowKey: stable }, r)
          : undefined;
    // Only the rows found again are looked up (few, after an erasure): no map of every row the erasure found.
    if (d && identify && c.rows.length > 0) {
      const now = new Set(c.rows.map(identify));
      for (let i = 0; i < d.found.rows.length; i++) {
        const id = identify(d.found.rows[i]!);
        if (now.has(id)) before.set(id, i);
      }
    }
    let kept = 0;
    let residual = 0;
    for (const row of c.rows) {
      const i = identify ? before.get(identify(row)) : undefined;
      const fate = i !== undefined ? d?.fates[i] : undefined;
      if (!fate || fate.action === "none") {
        // Found now but not before (or no way to tell): only rows without personal data to erase are fine.
        if (c.step.treatment?.kind !== "no_personal_data" && c.step.treatment?.kind !== "keep_rows") residual++;
        continue;
      }
      if (fate.action === "delete") residual++;
      else if (fate.action === "keep") kept++;
      else {
        // What was written is there (a fixed value, a hash), or any Steward mask (a random one may differ in form).
        const masked = Object.entries(fate.set).every(([field, written]) => {
          const shape = d!.shapes.get(field);
          const now = row[field];
          return (
            !shape ||
            now === written ||
            (now !== null && written !== null && String(now) === String(written)) ||
            isMasked(now, shape, { strategy: "random", secret: new Uint8Array() })
          );
        });
        if (masked) kept++;
        else residual++;
      }
    }
    collections[address] = { found: c.rows.length, kept, residual };
  }
  const unreached = [...again.unreached.keys()];
  const complete = unreached.length === 0 && Object.values(collections).every((c) => c.residual === 0);
  return { complete, collections, unreached };
}

/** One `--set` target: a field address (dataset.collection.field) or a data category (every field holding it). */
export interface Rectification {
  readonly target: string;
  readonly value: string | null;
}

export async function runRectification(
  manifest: Manifest,
  identities: IdentityValues,
  stores: Stores,
  sets: readonly Rectification[],
  options: RunOptions = {},
): Promise<RequestOutcome> {
  const request = options.request ?? randomUUID();
  const plan = buildPlan(manifest, { action: "rectification", identities: typesOf(identities) });
  // The --set that applies to a field: named by its address, or by a category the field holds (or one below it).
  const setFor = (step: CollectionStep, name: string, f: Field) =>
    f.fields.length === 0 && isPersonalField(f)
      ? sets.find(
          (s) =>
            s.target === `${step.collection}.${name}` ||
            f.data_categories.some((c) => c === s.target || isWithin(c, s.target)),
        )
      : undefined;
  const targetsOf = (step: CollectionStep, fields: ReadonlyMap<string, Field>) =>
    [...fields].filter(([name, f]) => setFor(step, name, f)).map(([n]) => n);
  const found = await findRows(plan, identities, stores, manifest.datasets, {
    ...findOptions(options),
    extraColumns: targetsOf,
  });
  const counts = emptyCounts(plan);
  const changes: CollectionChanges[] = [];
  const notes: Record<string, string[]> = {};
  // A view is read like any collection but never written (SC019): it shows what the tables it reads now hold.
  const views = new Set(compareLiveSchema(manifest, await stores.liveTables(plan.steps.map((s) => s.dataset))).views);
  for (const step of plan.steps) {
    const c = found.collections.get(step.collection);
    if (!c || found.unreached.has(step.collection)) continue;
    counts[step.collection]!.read = c.rows.length;
    const targets = targetsOf(step, c.fields);
    if (targets.length === 0) continue;
    if (views.has(step.collection)) {
      if (c.rows.length > 0)
        notes[step.collection] = [
          `${step.collection} is a view in the database: nothing was written through it (SC019); it shows what the tables it reads hold`,
        ];
      continue;
    }
    const list = c.rows.map((row): RowChange | undefined => {
      if (step.exemptions.some((x) => matches(row, x.where))) {
        counts[step.collection]!.kept++;
        return undefined;
      }
      const set: Record<string, unknown> = {};
      for (const name of targets) {
        const s = setFor(step, name, c.fields.get(name)!)!;
        if (row[name] !== s.value) set[name] = s.value;
      }
      return Object.keys(set).length > 0 ? { kind: "set", set } : undefined;
    });
    changes.push({
      collection: step.collection,
      dataset: step.dataset,
      table: step.name,
      ...(addressOf(c) !== undefined ? { key: addressOf(c)! } : {}),
      rows: c.rows,
      changes: list,
    });
  }
  const written = await writeChanges(plan, changes, stores, options.events);
  for (const [collection, n] of written.counts) counts[collection]!.updated = n.masked;
  return {
    request,
    action: "rectification",
    collections: counts,
    unreached: unreachedOf(plan, found),
    notes,
    ...(written.failed ? { failed: { ...written.failed, skipped: written.skipped } } : {}),
  };
}

const findOptions = (options: RunOptions) => ({
  ...(options.batchSize ? { batchSize: options.batchSize } : {}),
  ...(options.events ? { events: options.events } : {}),
});

/** A driver value as JSON can carry it (bigint → string, Date → ISO, bytes → base64). */
export function portable(value: unknown): unknown {
  if (typeof value === "bigint") return value.toString();
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString("base64");
  return value;
}

export type { Row };
