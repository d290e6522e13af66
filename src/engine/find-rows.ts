/**
 * Finds the subject's rows: runs a plan's lookups through the connectors until no lookup has a new key value.
 *
 * A lookup's keys are the request's identity values, or the values of a field of rows found before. Every lookup
 * asks only for values it has not asked before, in chunks (`readByKeys`), so a collection is read with a few
 * set-based statements however many subjects the request carries; the loop ends when a whole pass asks nothing new,
 * which also settles reference cycles and identity expansion without special cases.
 *
 * A store that cannot be opened, or a collection that cannot be read, is recorded as unreached (with a coded reason)
 * and the request goes on; collections whose keys would have come from it are unreached too.
 */
import type { IntrospectedTable, Row } from "../connectors/connector.ts";
import { isStewardError, stewardError } from "../errors.ts";
import type { Field } from "../manifest/types.ts";
import { flattenFields } from "../manifest/validate-references.ts";
import type { CollectionStep, Lookup, Plan } from "../plan/plan.ts";
import { AskedKeys } from "./asked-keys.ts";
import type { EngineEvents } from "./events.ts";
import type { Stores } from "./stores.ts";

/** Errors that mean the store itself does not answer (not one collection's problem). */
const UNANSWERED = new Set(["STW_DB_UNREACHABLE", "STW_PROCESSOR_FAILED", "STW_ENGINE_NO_CONNECTION"]);

/** Identity type → the values the request carries. */
export type IdentityValues = ReadonlyMap<string, readonly unknown[]>;

export interface FoundCollection {
  readonly step: CollectionStep;
  readonly fields: ReadonlyMap<string, Field>;
  /** The row's primary key column, when the manifest or the store declares one. */
  readonly key?: string;
  /**
   * Without a single key column, the columns that tell the rows apart: the table's composite primary key, else every
   * column of the table (never only the fields the manifest lists: two rows that agree on those are still two rows).
   * Absent when the store cannot say (an API), where rows are told apart by the columns read.
   */
  readonly rowKey?: readonly string[];
  /**
   * The columns writes find the rows by, where they are not `key`: `rowKey` without the columns whose values do not
   * come back from the driver exactly (a timestamp to the microsecond, a floating-point number), so that a WHERE on
   * the values read still finds the row. Rows it does not tell apart are all the subject's (they agree on every other
   * column, the lookup's included) and are written together.
   */
  readonly address?: readonly string[];
  /** The columns read (a subset of the collection's fields). */
  readonly columns: readonly string[];
  /** The subject's rows, each once. */
  readonly rows: Row[];
  /** For each row (same index), the indexes of the lookups that found it. */
  readonly foundBy: FoundBy;
  /** For each lookup (same index as step.lookups), the values asked so far, as strings. */
  readonly asked: AskedKeys[];
}

/**
 * Which lookups found each row, compactly: a bit per lookup in one number per row (a set per row cost ~300 bytes, and
 * most rows are found by several lookups: a third of a large batch's memory). A collection with more lookups than a
 * number has bits keeps a set per row.
 */
export class FoundBy {
  private readonly masks: number[] = [];
  private readonly sets: Set<number>[] = [];
  private readonly compact: boolean;

  constructor(lookups: number) {
    this.compact = lookups <= 31;
  }

  /** A new row, found by `lookup`. */
  push(lookup: number): void {
    if (this.compact) this.masks.push(1 << lookup);
    else this.sets.push(new Set([lookup]));
  }

  /** Row `row` is found by `lookup` too. */
  add(row: number, lookup: number): void {
    if (this.compact) this.masks[row]! |= 1 << lookup;
    else this.sets[row]!.add(lookup);
  }

  /** The lookups that found row `row`, in order (none for a row it does not hold). */
  of(row: number): number[] {
    if (!this.compact) return [...(this.sets[row] ?? [])];
    const out: number[] = [];
    for (let mask = this.masks[row] ?? 0, i = 0; mask !== 0; mask >>>= 1, i++) if (mask & 1) out.push(i);
    return out;
  }

  has(row: number, lookup: number): boolean {
    return this.compact ? ((this.masks[row] ?? 0) & (1 << lookup)) !== 0 : (this.sets[row]?.has(lookup) ?? false);
  }

  /** Whether every lookup that found row `row` passes `test` (true for a row it does not hold), without a list. */
  every(row: number, test: (lookup: number) => boolean): boolean {
    if (!this.compact) {
      for (const lookup of this.sets[row] ?? []) if (!test(lookup)) return false;
      return true;
    }
    for (let mask = this.masks[row] ?? 0, i = 0; mask !== 0; mask >>>= 1, i++) if (mask & 1 && !test(i)) return false;
    return true;
  }
}

export interface FoundRows {
  readonly collections: Map<string, FoundCollection>;
  readonly unreached: Map<string, string>;
}

export interface FindOptions {
  readonly batchSize?: number;
  readonly events?: EngineEvents;
  /**
   * Extra key values per collection and lookup, asked in addition to the plan's sources — used by the erasure proof
   * to ask again with every key the erasure itself used. Each list holds a value once, as text (an earlier search's
   * `asked` values).
   */
  readonly extraKeys?: ReadonlyMap<string, readonly (readonly unknown[])[]>;
  /**
   * Columns to read besides those the lookups need (key, lookup fields, fields other lookups take keys from,
   * exemption conditions) and the step's personal fields: e.g. the fields erasure masks or rectification sets.
   */
  readonly extraColumns?: (step: CollectionStep, fields: ReadonlyMap<string, Field>) => readonly string[];
  /**
   * Whether to read the step's personal fields (`step.read`; default true). Erasure reads only what it decides and
   * masks with, except on collections without a key, where the whole row is what tells two rows apart.
   */
  readonly personalFields?: boolean;
  /**
   * Collections not to read: erasure deletes them straight by their lookups' key values (nothing depends on their
   * rows). Their key values are still gathered into `asked`, and their store's reachability is still checked.
   */
  readonly direct?: ReadonlySet<string>;
  /**
   * Called once per collection when its rows (and the key values its lookups asked) can no longer change: early for a
   * collection whose sources are final (see `settlesEarly`), else when the search ends — so that erasure can start
   * writing a store whose keys are all known while other stores are still searched.
   */
  readonly onSettled?: (collection: string, found: FoundCollection) => void;
}

export async function findRows(
  plan: Plan,
  identities: IdentityValues,
  stores: Stores,
  datasets: Parameters<typeof flattenFieldsOf>[0],
  options: FindOptions = {},
): Promise<FoundRows> {
  const collections = new Map<string, FoundCollection>();
  const unreached = new Map<string, string>();
  // Read in dependency order within each store, so each lookup's keys arrive in as few waves as possible. A search
  // that is handed the keys to ask (the erasure proof, with every key the erasure used) has them all at once: every
  // collection is read in the first wave, and a later pass asks only what the rows found then add.
  const depths = options.extraKeys ? new Map(plan.steps.map((s) => [s.collection, 0])) : readDepths(plan);
  const named = namedFields(datasets);
  for (const step of readOrder(plan, depths)) {
    const fields = flattenFieldsOf(datasets, step);
    const declared = [...fields].filter(([, f]) => f.primary_key).map(([n]) => n);
    const table = declared.length === 1 ? undefined : await introspected(stores, step);
    // A key of several declared fields is a composite key: all of them tell rows apart, never the first alone.
    const key = declared.length === 1 ? declared[0] : table?.primaryKey.length === 1 ? table.primaryKey[0] : undefined;
    const rowKey = declared.length > 1 ? declared : key === undefined && table ? rowKeyOf(table) : undefined;
    const address = rowKey && table ? exactColumns(table, rowKey) : undefined;
    collections.set(step.collection, {
      step,
      fields,
      ...(key ? { key } : {}),
      ...(rowKey ? { rowKey } : {}),
      ...(address ? { address } : {}),
      columns: columnsToRead(plan, step, fields, key ?? rowKey, named, options),
      rows: [],
      foundBy: new FoundBy(step.lookups.length),
      asked: step.lookups.map(() => new AskedKeys()),
    });
  }
  const rowIndex = new Map<string, Map<string, number>>();

  // Per collection and lookup, how many of the source's rows it has taken keys from: a pass asks only the rows found
  // since (rows are only ever added), instead of going over every row again. Not where rows of the source can still
  // change from someone else's to the subject's (see `lookupValues`): those sources are read again whole (they are
  // the few rows found through references to them).
  const taken = new Map<string, number[]>();
  // (The request's identity values count as one row, taken in the first pass.)
  const sourceRows = (lookup: Lookup) =>
    lookup.source.kind === "identity" ? 1 : (collections.get(lookup.source.collection)?.rows.length ?? 0);
  // Collections whose rows can no longer grow once they have been read after their sources settled (see
  // `settlesEarly`); the others settle when the search ends.
  const early = settlesEarly(plan);
  const settled = new Set<string>();
  const settle = (collection: string) => {
    if (settled.has(collection)) return;
    settled.add(collection);
    options.onSettled?.(collection, collections.get(collection)!);
  };

  // Each store is read by its own sequence of statements, all stores at the same time; a lookup whose keys come from
  // another store's rows gets them in the next pass.
  const byDataset = new Map<string, FoundCollection[]>();
  for (const found of collections.values())
    byDataset.set(found.step.dataset, [...(byDataset.get(found.step.dataset) ?? []), found]);
  for (let pass = 0; ; pass++) {
    const asked = await Promise.all([...byDataset.values()].map((list) => readPass(list, pass)));
    if (!asked.includes(true)) break;
  }

  // One store's collections, level by level: the collections of one level are read at the same time, a few at once,
  // and the next level gets their keys in the same pass.
  async function readPass(list: readonly FoundCollection[], pass: number): Promise<boolean> {
    let asked = false;
    for (const level of levelsOf(list, depths)) {
      const read = await mapLimit(level, READS_AT_ONCE, (found) => readCollection(found, pass));
      if (read.includes(true)) asked = true;
    }
    return asked;
  }

  async function readCollection(found: FoundCollection, pass: number): Promise<boolean> {
    const { step } = found;
    const ready =
      early.has(step.collection) &&
      step.lookups.every((l) => l.source.kind === "identity" || settled.has(l.source.collection));
    const asked = await readFresh(found, pass);
    if (ready) settle(step.collection);
    return asked;
  }

  /** Asks each lookup of the collection for the key values it has not asked yet. */
  async function readFresh(found: FoundCollection, pass: number): Promise<boolean> {
    let asked = false;
    const { step } = found;
    if (unreached.has(step.collection)) return false;
    const cursors = taken.get(step.collection) ?? [];
    taken.set(step.collection, cursors);
    for (const [i, lookup] of step.lookups.entries()) {
      // The values not asked before, each once (by their text); every value goes into `asked` as it is taken, so
      // that no list of all the values is made on the way. The keys of rows found since the lookup last asked need
      // no check (a new row has a new key), nor do the extra keys (distinct already, and asked first).
      const seen = found.asked[i]!;
      const fromNew = incremental(lookup, collections);
      const start = fromNew ? (cursors[i] ?? 0) : 0;
      cursors[i] = sourceRows(lookup);
      const values = lookupValues(lookup, identities, collections, start);
      let fresh: readonly unknown[] = values;
      if (fromNew && ofKeys(lookup, collections) && !options.extraKeys)
        for (let v = 0; v < values.length; v++) seen.push(String(values[v]));
      else {
        const list: unknown[] = [];
        const extra = pass === 0 ? (options.extraKeys?.get(step.collection)?.[i] ?? []) : [];
        for (let v = 0; v < extra.length; v++) {
          seen.push(String(extra[v]));
          list.push(extra[v]);
        }
        for (let v = 0; v < values.length; v++) if (seen.add(String(values[v]))) list.push(values[v]);
        fresh = list;
      }
      if (fresh.length === 0) continue;
      asked = true;
      if (options.direct?.has(step.collection)) {
        const reachable = await stores.get(step.dataset).then(
          () => undefined,
          (error: unknown) => reasonOf(error, step.collection, fresh),
        );
        if (reachable) {
          unreached.set(step.collection, reachable);
          options.events?.emit({ kind: "collection_unreached", collection: step.collection, why: reachable });
          break;
        }
        continue;
      }
      const down = stores.downReason(step.dataset);
      if (down) {
        unreached.set(step.collection, down);
        options.events?.emit({ kind: "collection_unreached", collection: step.collection, why: down });
        break;
      }
      try {
        const connector = await stores.get(step.dataset);
        const columns = found.columns;
        const index = rowIndex.get(step.collection) ?? new Map<string, number>();
        rowIndex.set(step.collection, index);
        let read = 0;
        // `fresh` holds each value once (by its text; the same value as a number and as text is matched once as a
        // row all the same).
        for await (const batch of connector.readByKeys(step.name, lookup.field, fresh, columns, {
          ...(options.batchSize ? { batchSize: options.batchSize } : {}),
          distinct: true,
        })) {
          for (let r = 0; r < batch.length; r++) {
            const row = batch[r]!;
            const id = rowIdentity(found, row);
            const at = index.get(id);
            if (at === undefined) {
              index.set(id, found.rows.length);
              found.rows.push(row);
              found.foundBy.push(i);
            } else found.foundBy.add(at, i);
          }
          read += batch.length;
        }
        options.events?.emit({ kind: "collection_read", collection: step.collection, rows: read });
      } catch (error) {
        const why = reasonOf(error, step.collection, fresh);
        if (isStewardError(error) && UNANSWERED.has(error.code)) stores.markDown(step.dataset, why);
        unreached.set(step.collection, why);
        options.events?.emit({ kind: "collection_unreached", collection: step.collection, why });
        break;
      }
    }
    return asked;
  }
  // A collection whose every key source is unreached could not be searched either.
  for (const found of collections.values()) {
    const { step } = found;
    if (unreached.has(step.collection) || found.rows.length > 0) continue;
    const blocked = step.lookups.every((l) => l.source.kind !== "identity" && unreached.has(l.source.collection));
    if (blocked) {
      const why = `its keys come from ${[...new Set(step.lookups.map((l) => (l.source.kind === "identity" ? "" : l.source.collection)))].join(", ")}, which could not be read`;
      unreached.set(step.collection, why);
      options.events?.emit({ kind: "collection_unreached", collection: step.collection, why });
    }
  }
  for (const step of plan.steps) settle(step.collection);
  return { collections, unreached };
}

/**
 * The key values a lookup asks, from the rows found so far (or the request's identity values). A row found only
 * through other rows' references to it (a shared address) may be someone else's too: its keys lead further only along
 * references to the rows it names, never back down to other rows that name it.
 */
export function lookupValues(
  lookup: Lookup,
  identities: IdentityValues,
  collections: ReadonlyMap<string, FoundCollection>,
  start = 0,
): readonly unknown[] {
  const s = lookup.source;
  if (s.kind === "identity") return start === 0 ? (identities.get(s.identity) ?? []) : [];
  const from = collections.get(s.collection);
  if (!from) return [];
  const referenced = (j: number) => from.step.lookups[j]!.toReferenced === true;
  const mayBeShared = !lookup.toReferenced && from.step.lookups.some((l) => l.toReferenced);
  // One loop and one list: a large batch asks this for every lookup in every pass.
  const out: unknown[] = [];
  for (let i = start; i < from.rows.length; i++) {
    if (mayBeShared && from.foundBy.every(i, referenced)) continue;
    const v = from.rows[i]![s.field];
    if (v !== null && v !== undefined && v !== "") out.push(v);
  }
  return out;
}

/** Whether a lookup takes its values from its source's key column: distinct, one a row. */
function ofKeys(lookup: Lookup, collections: ReadonlyMap<string, FoundCollection>): boolean {
  const s = lookup.source;
  return s.kind === "field" && collections.get(s.collection)?.key === s.field;
}

/**
 * Whether a lookup's values can be taken from the rows its source found since it last asked (see `lookupValues`):
 * always, except where a row of the source may turn from shared to the subject's when another lookup finds it too.
 */
function incremental(lookup: Lookup, collections: ReadonlyMap<string, FoundCollection>): boolean {
  const s = lookup.source;
  if (s.kind === "identity") return true;
  const from = collections.get(s.collection);
  return lookup.toReferenced || !from || !from.step.lookups.some((l) => l.toReferenced);
}

/**
 * Collections whose rows are final as soon as they have been read once their sources were final: every source
 * settles early too, and none is the collection itself. Those on a cycle of sources (a collection found through rows
 * it leads to), and all below them, can still grow until a whole pass asks nothing new.
 */
export function settlesEarly(plan: Plan): Set<string> {
  const out = new Set<string>();
  for (let grew = true; grew; ) {
    grew = false;
    for (const step of plan.steps) {
      if (out.has(step.collection)) continue;
      const ok = step.lookups.every(
        (l) =>
          l.source.kind === "identity" || (l.source.collection !== step.collection && out.has(l.source.collection)),
      );
      if (ok) {
        out.add(step.collection);
        grew = true;
      }
    }
  }
  return out;
}

/** Collections read at the same time from one store: enough to keep a database's cores busy, few for its pool. */
const READS_AT_ONCE = 3;

/** Runs `fn` on every item, at most `limit` at once; results in the items' order. */
async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < items.length; i = next++) out[i] = await fn(items[i]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** Consecutive runs of collections at the same depth (the list is in read order, so each depth is one run). */
function levelsOf(list: readonly FoundCollection[], depths: ReadonlyMap<string, number>): FoundCollection[][] {
  const levels: FoundCollection[][] = [];
  let depth: number | undefined;
  for (const found of list) {
    const d = depths.get(found.step.collection)!;
    if (levels.length === 0 || d !== depth) levels.push([]);
    levels.at(-1)!.push(found);
    depth = d;
  }
  return levels;
}

/** Steps sorted by their level in their store (see `readDepths`); plan order breaks ties. */
function readOrder(plan: Plan, depth: ReadonlyMap<string, number>): CollectionStep[] {
  const at = (s: CollectionStep) => depth.get(s.collection)!;
  return plan.steps
    .map((s, i) => [s, i] as const)
    .sort(([a, i], [b, j]) => at(a) - at(b) || i - j)
    .map(([s]) => s);
}

/**
 * Each collection's level in its store: 0 when no lookup takes keys from the same store's rows, else one more than the
 * deepest such source (capped, so that a cycle ends) — a collection is read after every collection of its store that
 * its keys come from, in the same pass. Keys from another store's rows arrive in the next pass anyway.
 */
function readDepths(plan: Plan): Map<string, number> {
  const datasetOf = new Map(plan.steps.map((s) => [s.collection, s.dataset]));
  const depth = new Map(plan.steps.map((s) => [s.collection, 0]));
  for (let changed = true; changed; ) {
    changed = false;
    for (const step of plan.steps)
      for (const l of step.lookups) {
        if (l.source.kind === "identity" || l.source.collection === step.collection) continue;
        if (datasetOf.get(l.source.collection) !== step.dataset) continue;
        const d = Math.min(plan.steps.length, depth.get(l.source.collection)! + 1);
        if (d > depth.get(step.collection)!) {
          depth.set(step.collection, d);
          changed = true;
        }
      }
  }
  return depth;
}

function columnsToRead(
  plan: Plan,
  step: CollectionStep,
  fields: ReadonlyMap<string, Field>,
  key: string | readonly string[] | undefined,
  named: ReadonlySet<string>,
  options: FindOptions,
): string[] {
  const keys = key === undefined ? [] : typeof key === "string" ? [key] : key;
  const wanted = new Set<string>(keys);
  // A field other rows' references name (a key, a UNIQUE token): erasure tells by it who still refers to the row.
  for (const name of fields.keys()) if (named.has(`${step.collection}|${name}`)) wanted.add(name);
  for (const l of step.lookups) wanted.add(l.field);
  for (const other of plan.steps)
    for (const l of other.lookups)
      if (l.source.kind !== "identity" && l.source.collection === step.collection) wanted.add(l.source.field);
  for (const x of step.exemptions) for (const column of Object.keys(x.where ?? {})) wanted.add(column);
  for (const column of Object.keys(step.covers ?? {})) wanted.add(column);
  if (options.personalFields !== false || typeof key !== "string") for (const name of step.read) wanted.add(name);
  for (const name of options.extraColumns?.(step, fields) ?? []) wanted.add(name);
  // Manifest order, leaf fields only; key columns the manifest does not list (an introspected key, the columns that
  // tell keyless rows apart) go first.
  const columns = [...fields].filter(([n, f]) => f.fields.length === 0 && wanted.has(n)).map(([n]) => n);
  return [...keys.filter((k) => !columns.includes(k)), ...columns];
}

/** A row's identity within its collection: its key, the values of its `rowKey` columns, or (no way to tell) every value read. */
export function rowIdentity(found: Pick<FoundCollection, "key" | "rowKey">, row: Row): string {
  if (found.key !== undefined) return String(row[found.key]);
  const values = found.rowKey ? found.rowKey.map((c) => row[c]) : row;
  return JSON.stringify(values, jsonSafe);
}

/**
 * How the engine addresses a collection's rows in writes: its key column, its `address` (or `rowKey`) columns, or
 * neither.
 */
export function addressOf(
  found: Pick<FoundCollection, "key" | "rowKey" | "address">,
): string | readonly string[] | undefined {
  return found.key ?? found.address ?? found.rowKey;
}

/** The columns `rowIdentity` reads: what a read must return for its rows to be matched with the rows found. */
export function identityColumns(found: Pick<FoundCollection, "key" | "rowKey">): readonly string[] {
  return found.key !== undefined ? [found.key] : (found.rowKey ?? []);
}

/**
 * Types no equality can compare (PostgreSQL's `json`, `xml` and geometric types): left out of an every-column row
 * identity, where the other columns still tell rows apart.
 */
const INCOMPARABLE = /^(json|xml|point|line|lseg|box|path|polygon|circle)(\[\])?$/i;

/**
 * Types whose values the drivers hand back changed: timestamps and times to the millisecond (a JS Date) where the
 * store keeps microseconds, intervals, and floating-point numbers (MariaDB compares a FLOAT with the double it is
 * sent, and never finds it equal). A WHERE on the value read need not find the row again.
 */
const INEXACT = /^(timestamp|datetime|smalldatetime|time|interval|real|float|double)/i;

/**
 * `columns` without those of an inexact type (see `INEXACT`), where others remain; all of them where none would (a
 * write that then misses a row fails, STW_ENGINE_WRITE_SHORT, instead of leaving it unseen).
 */
function exactColumns(table: IntrospectedTable, columns: readonly string[]): readonly string[] {
  const inexact = new Set(table.columns.filter((c) => INEXACT.test(c.type)).map((c) => c.name));
  const exact = columns.filter((c) => !inexact.has(c));
  return exact.length > 0 ? exact : columns;
}

/** The columns that tell a table's rows apart when it has no single-column key (see `FoundCollection.rowKey`). */
function rowKeyOf(table: IntrospectedTable): readonly string[] | undefined {
  if (table.primaryKey.length > 1) return table.primaryKey;
  const columns = table.columns.filter((c) => !INCOMPARABLE.test(c.type)).map((c) => c.name);
  return columns.length > 0 ? columns : undefined;
}

/**
 * Fields of a row that name someone else: a lookup field that did NOT find the row while another lookup from the
 * same source did (a review found through reviewee_id ← users.id names another account in reviewer_id ← users.id).
 * A field looked up from a different source (the person's device next to their account id) is the same person's.
 * Access leaves these fields out; erasure does not mask them.
 */
export function otherPeoplesFields(found: FoundCollection, row: number): Set<string> {
  const by = found.foundBy.of(row);
  const origin = (l: Lookup) =>
    l.source.kind === "identity" ? `identity:${l.source.identity}` : `${l.source.collection}.${l.source.field}`;
  const matched = new Set(by.map((i) => origin(found.step.lookups[i]!)));
  const mine = new Set(by.map((i) => found.step.lookups[i]!.field));
  return new Set(
    found.step.lookups
      .filter((l, i) => !by.includes(i) && matched.has(origin(l)) && !mine.has(l.field))
      .map((l) => l.field),
  );
}

/** `dataset.collection|field` of every field some reference names. */
function namedFields(datasets: Parameters<typeof flattenFieldsOf>[0]): Set<string> {
  const out = new Set<string>();
  for (const d of datasets)
    for (const c of d.collections)
      for (const f of flattenFields(c.fields).values())
        for (const r of f.references) {
          const [collection = "", ...rest] = r.field.split(".");
          out.add(`${r.dataset}.${collection}|${rest.join(".")}`);
        }
  return out;
}

function flattenFieldsOf(
  datasets: readonly { fides_key: string; collections: readonly { name: string; fields: readonly Field[] }[] }[],
  step: CollectionStep,
): Map<string, Field> {
  const collection = datasets.find((d) => d.fides_key === step.dataset)?.collections.find((c) => c.name === step.name);
  return flattenFields(collection?.fields ?? []);
}

/** The store's own description of a table, for datasets (e.g. imported from Fides) that do not mark a key. */
async function introspected(stores: Stores, step: CollectionStep): Promise<IntrospectedTable | undefined> {
  try {
    return (await stores.tablesOf(step.dataset)).get(step.name);
  } catch {
    return undefined; // an unreachable store is reported when it is read
  }
}

/** A coded reason without personal data: key values that a driver quotes back are hidden. */
function reasonOf(error: unknown, collection: string, keys: readonly unknown[]): string {
  if (isStewardError(error)) return `${error.code}: ${error.message}`;
  const detail = scrub(error instanceof Error ? error.message : String(error), keys);
  const coded = stewardError("STW_ENGINE_READ_FAILED", { collection, detail });
  return `${coded.code}: ${coded.message}`;
}

/** Replaces every key value found in a driver message by `***` (drivers quote bad values back). */
export function scrub(message: string, values: readonly unknown[]): string {
  let out = message;
  for (const v of values) {
    const text = String(v);
    if (text.length >= 2 && out.includes(text)) out = out.split(text).join("***");
  }
  return out;
}

/** JSON.stringify replacer for driver values (bigint, Buffer). */
export function jsonSafe(_key: string, value: unknown): unknown {
  if (typeof value === "bigint") return value.toString();
  return value;
}
