/**
 * Writes decided changes to the data stores: one transaction per store, collections in the plan's order (children
 * before parents), one set-based statement per collection and chunk — deletes by key, masks grouped by the columns
 * they set (one `updateByKeys` when every row gets the same values, else `updateEach`).
 *
 * The stores are written at the same time, each in its own transaction, and commit in an order that keeps a crash
 * resumable: a store whose rows are found through another store's rows (the analytics warehouse, found through the
 * accounts' ids) commits before that store, so that re-running the request after a failure can still find everything
 * that is left. A store that fails is rolled back, and so is every store that had to wait for it (reported as not
 * written); the stores that did not depend on it commit. The same request, run again, finishes the job.
 *
 * A processor's API has no transactions — each call is final — so it is written only once the stores found through
 * its rows have committed, and a store that must wait for a processor starts writing only when the processor is done
 * (no locks held while an API works through its calls). Datasets reached by the very same URL are one store here: one
 * transaction, their collections in the plan's order, so that a foreign key from one into the other is honoured.
 * Datasets in the same database reached by different URLs share its locks without sharing a transaction: they are
 * written one after the other.
 */
import type { Connector, ConnectorCapabilities, KeyColumns, Row, RowUpdate } from "../connectors/connector.ts";
import { isStewardError, stewardError } from "../errors.ts";
import type { Cascade } from "../plan/live-schema.ts";
import type { Plan } from "../plan/plan.ts";
import type { EngineEvents } from "./events.ts";
import { scrub } from "./find-rows.ts";
import type { Stores } from "./stores.ts";

/** The change to one row: delete it, or set these columns. */
export type RowChange =
  | { readonly kind: "delete" }
  /** `kept`: the row stays on purpose and loses only some fields (counted as kept, not as masked). */
  | { readonly kind: "set"; readonly set: Record<string, unknown>; readonly kept?: boolean };

export interface CollectionChanges {
  readonly collection: string;
  readonly dataset: string;
  readonly table: string;
  /**
   * Key column, or the columns that together tell rows apart (a composite key, every column of a keyless table);
   * without either, rows are addressed by the lookup values that found them (deletes only).
   */
  readonly key?: KeyColumns;
  readonly rows: readonly Row[];
  readonly changes: readonly (RowChange | undefined)[];
  /** Fallback addressing when there is no key: lookup field → values. */
  readonly byLookup?: ReadonlyMap<string, readonly unknown[]>;
  /** Delete every row the lookups' values match, without rows read first (`byLookup` says which). */
  readonly direct?: boolean;
  /** ON DELETE CASCADE keys into this collection: what the database deletes with its rows is counted first. */
  readonly cascades?: readonly Cascade[];
}

export interface WriteCounts {
  deleted: number;
  /** Rows whose fields were set (masked, or rectified). */
  masked: number;
  /** Rows kept on purpose that still lost a field. */
  keptChanged: number;
  /** Rows of other tables (`dataset.table`) the database deleted with this collection's rows (ON DELETE CASCADE). */
  cascaded: Map<string, number>;
  /** CASCADE tables whose rows could not be counted (the key they name was not read). */
  uncounted: Set<string>;
}

export interface WriteOutcome {
  readonly counts: Map<string, WriteCounts>;
  readonly failed?: { readonly dataset: string; readonly why: string };
  /** Datasets left unwritten (rolled back, or not started) because a store they wait for failed, or they failed too. */
  readonly skipped: readonly string[];
}

/** A dataset's changes, as soon as they are known (a store whose keys are final can be written before others are decided). */
export type ChangesOf = (dataset: string) => Promise<readonly CollectionChanges[]>;

export interface WriteOptions {
  /**
   * Settles when every change is decided: a store whose changes were known earlier writes meanwhile, but commits only
   * once it has settled — and rolls back if it rejects (nothing is committed when deciding failed).
   */
  readonly decided?: Promise<unknown>;
}

export async function writeChanges(
  plan: Plan,
  changes: readonly CollectionChanges[] | ChangesOf,
  stores: Stores,
  events?: EngineEvents,
  options: WriteOptions = {},
): Promise<WriteOutcome> {
  const changesOf: ChangesOf =
    typeof changes === "function" ? changes : async (dataset) => changes.filter((c) => c.dataset === dataset);
  // The plan's order, children before parents, across the datasets of a unit too: a foreign key from the second
  // dataset into the first needs the second's rows written first.
  const position = new Map(plan.steps.map((s, i) => [s.collection, i]));
  const inPlanOrder = (a: CollectionChanges, b: CollectionChanges) =>
    (position.get(a.collection) ?? plan.steps.length) - (position.get(b.collection) ?? plan.steps.length);
  const units = storeOrder(plan, typeof changes === "function" ? [] : changes, (dataset) =>
    stores.connectionOf(dataset),
  ).map((unit) => ({
    ...unit,
    changes: Promise.all(unit.datasets.map(changesOf)).then((lists) =>
      lists
        .flat()
        .filter((c) => c.direct || c.changes.some((x) => x))
        .sort(inPlanOrder),
    ),
  }));
  // Per unit, in order: whether it committed (a unit with nothing to write counts as committed), known once settled;
  // and whether its store has transactions (a store that cannot be opened fails when it is written).
  const committed: Promise<boolean>[] = [];
  const settled: (boolean | undefined)[] = [];
  const transactional = units.map((u) =>
    u.changes.then(
      (list) =>
        list.length === 0 ||
        stores.get(u.datasets[0]!).then(
          (c) => c.capabilities.supportsTransactions,
          () => true,
        ),
      () => true,
    ),
  );
  // The last unit written in each database: a unit waits for it before it starts (shared locks, see above).
  const lanes = new Map<string, Promise<unknown>>();
  const runs = units.map((unit, i): Promise<StoreOutcome> => {
    const place = stores.placeOf(unit.datasets[0]!);
    const run = (lanes.get(place) ?? Promise.resolve()).then(() =>
      unit.changes.then(
        (list): Promise<StoreOutcome> | StoreOutcome =>
          list.length === 0 ? { kind: "committed", counts: new Map(), empty: true } : writeUnit(unit, list),
        // Deciding failed: nothing of this unit is written (the caller reports why).
        (): StoreOutcome => ({ kind: "rolled_back" }),
      ),
    );
    lanes.set(place, run);
    committed.push(
      run.then((outcome) => {
        settled[i] = outcome.kind === "committed";
        try {
          if (!(outcome.kind === "committed" && outcome.empty)) report(unit.datasets, outcome);
        } catch {
          // A listener that fails changes nothing of what was written, nor when the next store commits.
        }
        return settled[i];
      }),
    );
    return run;
  });
  const counts = new Map<string, WriteCounts>();
  let failed: { dataset: string; why: string } | undefined;
  const skipped: string[] = [];
  // The first store in commit order that failed is the failure; every other store that did not commit was rolled
  // back because of it (or failed too, and would have been rolled back anyway).
  for (const [i, outcome] of (await Promise.all(runs)).entries()) {
    const datasets = units[i]!.datasets;
    if (outcome.kind !== "rolled_back") for (const [collection, n] of outcome.counts ?? []) counts.set(collection, n);
    if (outcome.kind === "committed") continue;
    if (outcome.kind === "failed" && !failed) {
      failed = { dataset: outcome.dataset, why: outcome.why };
      skipped.push(...datasets.filter((d) => d !== outcome.dataset));
    } else skipped.push(...datasets);
  }
  return { counts, ...(failed ? { failed } : {}), skipped };

  /** Events as each unit ends: a store's commit comes after the commits of the stores found through its rows. */
  function report(datasets: readonly string[], outcome: StoreOutcome): void {
    if (!events) return;
    if (outcome.kind === "committed") {
      for (const [collection, n] of outcome.counts)
        events.emit({ kind: "collection_written", collection, deleted: n.deleted, masked: n.masked, updated: 0 });
      const split = outcome.transactions ? { transactions: outcome.transactions } : {};
      for (const dataset of datasets) events.emit({ kind: "store_committed", dataset, ...split });
    } else if (outcome.kind === "failed") {
      for (const [collection, n] of outcome.counts ?? [])
        events.emit({ kind: "collection_written", collection, deleted: n.deleted, masked: n.masked, updated: 0 });
      events.emit({ kind: "store_failed", dataset: outcome.dataset, why: outcome.why });
    }
  }

  /** One transaction for datasets that share a connection, their collections in the plan's order. */
  async function writeUnit(unit: (typeof units)[number], list: readonly CollectionChanges[]): Promise<StoreOutcome> {
    // Whether every store that must commit before this one did, and every change was decided.
    const decided = () =>
      (options.decided ?? Promise.resolve()).then(
        () => true,
        () => false,
      );
    const cleared = () =>
      Promise.all([
        Promise.all(unit.after.map((j) => committed[j]!)).then((all) => all.every(Boolean)),
        decided(),
      ]).then((all) => all.every(Boolean));
    let current: CollectionChanges | undefined;
    try {
      const connector = await stores.get(unit.datasets[0]!);
      if (!connector.capabilities.supportsTransactions) {
        // Every call is final at once.
        if (!(await cleared())) return { kind: "rolled_back" };
      } else {
        await Promise.all(
          unit.after.map(async (j) => {
            if (!(await transactional[j])) await committed[j];
          }),
        );
        // One connection for every call (SQLite): deciding may still read this store, and would wait for the
        // transaction, which waits for the decisions — so it opens only once they are made.
        if (!connector.capabilities.readsBesideWrites && !(await decided())) return { kind: "rolled_back" };
      }
      const shares = sharesOf(await byOwnKeys(connector, list, stores), connector.capabilities);
      if (shares.length > 1) {
        const split = await writeShares(connector, shares, cleared);
        // A share failed and none committed: the same changes in one transaction, as any store.
        if (split !== "whole") return split;
      }
      return await connector.transaction(async (tx) => {
        const local = new Map<string, WriteCounts>();
        // Tables (`dataset.table`) an ON DELETE CASCADE of this transaction may already have taken rows of.
        const cascaded = new Set<string>();
        const counted = connector.capabilities.supportsTransactions;
        for (const c of list) {
          // A store this one waits for failed: this one is rolled back anyway, so stop writing.
          if (unit.after.some((j) => settled[j] === false)) throw new RolledBack();
          current = c;
          local.set(c.collection, await writeCollection(tx, c, counted ? cascaded : undefined));
        }
        if (!(await cleared())) throw new RolledBack();
        return { kind: "committed", counts: local } as const;
      });
    } catch (thrown) {
      if (thrown instanceof RolledBack) return { kind: "rolled_back" };
      const error = thrown instanceof ShareFailed ? thrown.error : thrown;
      if (thrown instanceof ShareFailed) current = thrown.collection;
      const dataset = current?.dataset ?? unit.datasets[0]!;
      const keys = list.flatMap((c) => [
        ...c.rows.flatMap((r) => Object.values(r)),
        ...[...(c.byLookup?.values() ?? [])].flat(),
      ]);
      const coded = isStewardError(error)
        ? error
        : stewardError("STW_ENGINE_WRITE_FAILED", {
            dataset,
            collection: current?.collection ?? "",
            detail: scrub(error instanceof Error ? error.message : String(error), keys),
          });
      const partial = thrown instanceof ShareFailed && thrown.counts.size > 0 ? { counts: thrown.counts } : {};
      return { kind: "failed", dataset, why: `${coded.code}: ${coded.message}`, ...partial };
    }
  }
}

type StoreOutcome =
  /** `empty`: nothing to write, nothing reported. `transactions`: how many it was split over (when more than one). */
  | {
      readonly kind: "committed";
      readonly counts: Map<string, WriteCounts>;
      readonly empty?: boolean;
      readonly transactions?: number;
    }
  /** `counts`: what shares of a split store that did commit wrote before another share's commit failed. */
  | {
      readonly kind: "failed";
      readonly dataset: string;
      readonly why: string;
      readonly counts?: Map<string, WriteCounts>;
    }
  | { readonly kind: "rolled_back" };

/**
 * Keys a transaction of a split store takes at the least: below 2× this, a store is written in one transaction (a
 * single person's erasure never splits).
 */
export const SHARE_KEYS = 1_000;

/**
 * A store written by key only (every collection `direct`: the analytics warehouse) is written in several transactions
 * at once when it has many keys and its connector holds several connections: a database runs one transaction's
 * statements one after the other, and deleting a large batch's rows by key is mostly waiting on pages read from disk,
 * which several transactions overlap (measured: 10,000 learners' clickstream rows on MariaDB, 6.1 s in one
 * transaction, 3.5–3.8 s in four). Each share takes a contiguous run of every collection's sorted keys (no two share
 * a row, and on InnoDB their locks stay apart), and writes the collections in the plan's order.
 * Returns the shares, or one share (the whole list) when the store is not split.
 */
export function sharesOf(
  list: readonly CollectionChanges[],
  capabilities: Pick<ConnectorCapabilities, "supportsTransactions" | "readsBesideWrites" | "concurrentTransactions">,
): CollectionChanges[][] {
  const n = sharesFor(list, capabilities);
  // A row two lookups match (a click found by its account and by its device) could fall in two shares, and one would
  // wait for the other's lock while both wait for all to finish: only collections found by one field are split.
  if (n < 2 || !list.every((c) => c.byLookup?.size === 1)) return [[...list]];
  const split = list.map((c) => {
    const fields = [...c.byLookup!].map(([field, values]) => {
      const sorted = [...values].sort(compareKeys);
      return [
        field,
        Array.from({ length: n }, (_, k) =>
          sorted.slice(Math.floor((k * sorted.length) / n), Math.floor(((k + 1) * sorted.length) / n)),
        ),
      ] as const;
    });
    return Array.from(
      { length: n },
      (_, k): CollectionChanges => ({
        ...c,
        byLookup: new Map(
          fields.map(([field, parts]) => [field, parts[k]!] as const).filter(([, part]) => part.length > 0),
        ),
      }),
    );
  });
  return Array.from({ length: n }, (_, k) => split.map((shares) => shares[k]!));
}

/** How many shares a store's changes would be split into (1: not split), before looking at their fields. */
function sharesFor(
  list: readonly CollectionChanges[],
  capabilities: Pick<ConnectorCapabilities, "supportsTransactions" | "readsBesideWrites" | "concurrentTransactions">,
): number {
  if (!capabilities.supportsTransactions || !capabilities.readsBesideWrites) return 1;
  if (!list.every((c) => c.direct && c.byLookup)) return 1;
  const keys = list.reduce((n, c) => n + [...c.byLookup!.values()].reduce((m, v) => m + v.length, 0), 0);
  // One connection is left to reads from outside: deciding may still read this store while its shares wait for the
  // decisions (whether other people's rows name a row), and with every connection held by a share it would wait
  // for them as they wait for it.
  return Math.max(1, Math.min(capabilities.concurrentTransactions - 1, Math.floor(keys / SHARE_KEYS)));
}

/**
 * Before a store is split: a collection found by several fields (clicks by account and by device) is addressed by
 * its own primary key instead — the keys of the rows its lookups match now, read outside the transactions (an index
 * read: 0.4 s for the 45,000 clicks of 10,000 learners at 1,000,000) — so that no row is in two shares. A row
 * written after that read and before the deletes is not among them: the proof searches again and reports it, and
 * the same request run again takes it. A collection without a one-column primary key keeps its lookups (and the
 * store is then not split).
 */
async function byOwnKeys(
  connector: Connector,
  list: readonly CollectionChanges[],
  stores: Stores,
): Promise<readonly CollectionChanges[]> {
  if (sharesFor(list, connector.capabilities) < 2 || list.every((c) => c.byLookup!.size <= 1)) return list;
  const tables = await stores.tablesOf(list[0]!.dataset).catch(() => undefined);
  return Promise.all(
    list.map(async (c) => {
      const key = tables?.get(c.table)?.primaryKey;
      if (c.byLookup!.size <= 1 || key?.length !== 1) return c;
      const column = key[0]!;
      const seen = new Set<string>();
      const ids: unknown[] = [];
      for (const [field, values] of c.byLookup!)
        for await (const batch of connector.readByKeys(c.table, field, values, [column]))
          for (const row of batch) {
            const id = row[column];
            if (id === null || id === undefined || seen.has(String(id))) continue;
            seen.add(String(id));
            ids.push(id);
          }
      return { ...c, byLookup: new Map([[column, ids]]) };
    }),
  );
}

/** Keys in order: whole numbers by value (ids read back as text), anything else as text. */
export function compareKeys(a: unknown, b: unknown): number {
  const x = String(a);
  const y = String(b);
  if (WHOLE.test(x) && WHOLE.test(y)) return compareWhole(x, y);
  return x < y ? -1 : x > y ? 1 : 0;
}

const WHOLE = /^-?\d+$/;

/**
 * Two whole numbers written in decimal, by value, without converting them (a sort of a large batch's keys compares
 * millions of pairs): by sign, then by the number of digits after leading zeros, then digit by digit.
 */
function compareWhole(x: string, y: string): number {
  const mx = magnitude(x);
  const my = magnitude(y);
  const sx = mx === x.length ? 0 : x.charCodeAt(0) === 45 ? -1 : 1;
  const sy = my === y.length ? 0 : y.charCodeAt(0) === 45 ? -1 : 1;
  if (sx !== sy) return sx < sy ? -1 : 1;
  if (sx === 0) return 0;
  const dx = x.length - mx;
  const dy = y.length - my;
  let order = dx < dy ? -1 : dx > dy ? 1 : 0;
  for (let i = 0; order === 0 && i < dx; i++) order = x.charCodeAt(mx + i) - y.charCodeAt(my + i);
  const sign = order < 0 ? -1 : order > 0 ? 1 : 0;
  return sx < 0 ? -sign : sign;
}

/** Where a whole number's significant digits start: after its sign and leading zeros (its length for zero). */
function magnitude(text: string): number {
  let i = text.charCodeAt(0) === 45 ? 1 : 0;
  while (i < text.length && text.charCodeAt(i) === 48) i++;
  return i;
}

/**
 * How long a share waits for a row lock before it gives up. Shares never hold rows another share needs when the
 * database finds the rows by an index on the key; without one (a table scan, which on InnoDB locks the rows it
 * passes) they would wait on each other while each waits for all to finish — so they fail fast instead, and the
 * store is written in one transaction.
 */
const SHARE_LOCK_WAIT_SECONDS = 2;

/**
 * Writes the shares of a split store, each in its own transaction, at the same time. None commits before every share
 * has written and the store is cleared to commit (`cleared`): a share that fails rolls them all back, and the caller
 * writes the store in one transaction instead (`"whole"`: a lock the shares could not share, or a real failure,
 * which that transaction then reports). Only a commit that fails after another share's succeeded leaves part written —
 * reported as the store's failure with what did commit counted; the rows left are found again by the same request run
 * again (the store commits before the stores its keys come from).
 */
async function writeShares(
  connector: Connector,
  shares: readonly CollectionChanges[][],
  cleared: () => Promise<boolean>,
): Promise<StoreOutcome | "whole"> {
  const written = shares.map(() => deferred<void>());
  const all = Promise.all(written.map((w) => w.promise));
  all.catch(() => {});
  // The collection the first share to fail was writing.
  let failedAt: CollectionChanges | undefined;
  const results = await Promise.allSettled(
    shares.map((share, k) =>
      connector
        .transaction(
          async (tx) => {
            const local = new Map<string, WriteCounts>();
            for (const c of share) {
              try {
                local.set(c.collection, await writeCollection(tx, c));
              } catch (error) {
                failedAt ??= c;
                throw error;
              }
            }
            written[k]!.resolve();
            // Every share has written, or one failed and they all roll back.
            if (!(await all.then(cleared, () => false))) throw new RolledBack();
            return local;
          },
          { lockWaitSeconds: SHARE_LOCK_WAIT_SECONDS },
        )
        .catch((error: unknown) => {
          // Failed to write, to begin, or to commit: the shares still waiting roll back (no effect once they pass).
          written[k]!.reject(error);
          throw error;
        }),
    ),
  );
  const counts = new Map<string, WriteCounts>();
  for (const r of results)
    if (r.status === "fulfilled")
      for (const [collection, n] of r.value) {
        const sum = counts.get(collection);
        if (!sum) counts.set(collection, n);
        else sum.deleted += n.deleted;
      }
  const failure = results.find(
    (r): r is PromiseRejectedResult => r.status === "rejected" && !(r.reason instanceof RolledBack),
  );
  if (failure && counts.size === 0) return "whole";
  if (failure) throw new ShareFailed(failure.reason, failedAt, counts);
  if (results.some((r) => r.status === "rejected")) return { kind: "rolled_back" };
  return { kind: "committed", counts, transactions: shares.length };
}

/** A share of a split store failed: the error, the collection it was writing, and what committed shares wrote. */
class ShareFailed extends Error {
  constructor(
    readonly error: unknown,
    readonly collection: CollectionChanges | undefined,
    readonly counts: Map<string, WriteCounts>,
  ) {
    super("a share of a split store failed");
  }
}

/** A promise settled from outside. */
export function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (error: unknown) => void } {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Thrown inside a store's transaction to roll it back because a store it waits for did not commit. */
class RolledBack extends Error {}

/**
 * Writes one collection's changes. With `cascaded` (a store with transactions), a delete or update by key that matches
 * fewer rows than it addressed fails the store's transaction (STW_ENGINE_WRITE_SHORT) instead of leaving those rows
 * unseen — unless the table is in `cascaded`: an ON DELETE CASCADE written before in the same transaction may have
 * taken them already (what it takes is counted, `countCascades`). The tables this collection's deletes cascade into
 * are added to it. A processor's API (no transactions) is not held to the count: every call is final, and a record
 * it no longer has is gone.
 */
async function writeCollection(tx: Connector, c: CollectionChanges, cascaded?: Set<string>): Promise<WriteCounts> {
  const counts: WriteCounts = { deleted: 0, masked: 0, keptChanged: 0, cascaded: new Map(), uncounted: new Set() };
  const table = `${c.dataset}.${c.table}`;
  const check = (action: "delete" | "update", keys: readonly unknown[], matched: number) => {
    // Only rows addressed by their values (no single key column) are held to the count: a row addressed by its own
    // key that is gone was removed by someone else meanwhile (another person's erasure of a review both name, the
    // application) — there is nothing left to erase, and the proof searches again.
    if (!cascaded || cascaded.has(table) || c.key === undefined || typeof c.key === "string") return;
    const expected = new Set(keys.map((k) => JSON.stringify(k, keyText))).size;
    if (matched < expected)
      throw stewardError("STW_ENGINE_WRITE_SHORT", {
        dataset: c.dataset,
        collection: c.collection,
        action,
        expected,
        matched,
        columns: typeof c.key === "string" ? c.key : `(${c.key.join(", ")})`,
      });
  };
  if (c.direct) {
    for (const [field, values] of c.byLookup ?? []) counts.deleted += await tx.deleteByKeys(c.table, field, values);
    return counts;
  }
  const deletes: unknown[] = [];
  const groups = new Map<string, RowUpdate[]>();
  const key = c.key;
  const keyOf = (row: Row): unknown => (typeof key === "string" ? row[key] : key!.map((column) => row[column]));
  c.changes.forEach((change, i) => {
    if (!change) return;
    const row = c.rows[i]!;
    if (change.kind === "delete") {
      if (key !== undefined) deletes.push(keyOf(row));
      return;
    }
    if (Object.keys(change.set).length === 0 || key === undefined) return;
    const columns = `${change.kept ? "kept" : "set"}\u0000${Object.keys(change.set).sort().join("\u0000")}`;
    const list = groups.get(columns) ?? [];
    list.push({ key: keyOf(row), set: change.set });
    groups.set(columns, list);
  });
  for (const [columns, updates] of groups) {
    // The same values on every row (a reference cleared to NULL, a fixed mask): one plain UPDATE by key, which a
    // database runs as index lookups; per-row values travel as a joined list.
    const first = updates[0]!.set;
    const n = updates.every((u) => sameValues(u.set, first))
      ? await tx.updateByKeys(
          c.table,
          c.key!,
          updates.map((u) => u.key),
          first,
        )
      : await tx.updateEach(c.table, c.key!, updates);
    check(
      "update",
      updates.map((u) => u.key),
      n,
    );
    if (columns.startsWith("kept")) counts.keptChanged += n;
    else counts.masked += n;
  }
  await countCascades(tx, c, counts);
  // From here on, rows of these tables may go with this collection's (its own rows too, by a key to itself).
  for (const k of c.cascades ?? []) cascaded?.add(`${k.dataset}.${k.table}`);
  if (c.key !== undefined) {
    const n = await tx.deleteByKeys(c.table, c.key, deletes);
    check("delete", deletes, n);
    counts.deleted += n;
  } else if (c.changes.some((x) => x?.kind === "delete"))
    for (const [field, values] of c.byLookup ?? []) counts.deleted += await tx.deleteByKeys(c.table, field, values);
  return counts;
}

/**
 * Counts, inside the transaction and just before the delete, the rows an ON DELETE CASCADE key will take with the
 * rows to delete: rows of the child table holding their values. Rows of planned children were already erased before
 * (children go first), so what is counted is what the database removes on its own.
 */
async function countCascades(tx: Connector, c: CollectionChanges, counts: WriteCounts): Promise<void> {
  const deleted = c.rows.filter((_, i) => c.changes[i]?.kind === "delete");
  for (const cascade of c.cascades ?? []) {
    if (deleted.length === 0) break;
    if (!cascade.parentColumns.every((column) => column in deleted[0]!)) {
      counts.uncounted.add(`${cascade.dataset}.${cascade.table}`);
      continue;
    }
    const single = cascade.columns.length === 1;
    const keys = deleted.map((r) => (single ? r[cascade.parentColumns[0]!] : cascade.parentColumns.map((p) => r[p])));
    let n = 0;
    for await (const batch of tx.readByKeys(cascade.table, single ? cascade.columns[0]! : cascade.columns, keys, [
      ...cascade.columns,
    ]))
      n += batch.length;
    const name = `${cascade.dataset}.${cascade.table}`;
    if (n > 0) counts.cascaded.set(name, (counts.cascaded.get(name) ?? 0) + n);
  }
}

/** JSON.stringify replacer for key values: bigints as text (a key is compared by value). */
const keyText = (_key: string, value: unknown) => (typeof value === "bigint" ? `${value}n` : value);

/** Whether two sets of new values are the same: same columns, each the same primitive (masks and rectified values are). */
function sameValues(a: Readonly<Record<string, unknown>>, b: Readonly<Record<string, unknown>>): boolean {
  const names = Object.keys(a);
  return names.length === Object.keys(b).length && names.every((n) => a[n] === b[n]);
}

/** Datasets written in one transaction, and the units that must commit before them. */
export interface WriteUnit {
  readonly datasets: readonly string[];
  /** Indexes (in `storeOrder`'s list, all before this one) of the units found through this unit's rows. */
  readonly after: readonly number[];
}

/**
 * Stores in write order, as units of datasets that share one connection (`unitOf` names a dataset's connection;
 * default: its own): a unit found through another unit's rows comes before it, and names it in `after`. Where units
 * depend on each other both ways (a cycle), the edge that closes the cycle is dropped: those units then commit in
 * the order of the plan's collections, and a crash between their commits may leave rows a second run cannot find.
 */
export function storeOrder(
  plan: Plan,
  changes: readonly CollectionChanges[],
  unitOf: (dataset: string) => string = (dataset) => dataset,
): WriteUnit[] {
  const datasets = [...new Set([...plan.steps.map((s) => s.dataset), ...changes.map((c) => c.dataset)])];
  const members = new Map<string, string[]>();
  for (const d of datasets) members.set(unitOf(d), [...(members.get(unitOf(d)) ?? []), d]);
  const unitOfCollection = new Map(plan.steps.map((s) => [s.collection, unitOf(s.dataset)]));
  // source unit → the units found through its rows (they commit first).
  const dependants = new Map<string, Set<string>>([...members.keys()].map((u) => [u, new Set<string>()]));
  for (const s of plan.steps)
    for (const l of s.lookups) {
      if (l.source.kind === "identity") continue;
      const from = unitOfCollection.get(l.source.collection);
      const to = unitOf(s.dataset);
      if (from && from !== to) dependants.get(from)!.add(to);
    }
  const out: string[] = [];
  const visiting = new Set<string>();
  const visit = (u: string) => {
    if (out.includes(u) || visiting.has(u)) return;
    visiting.add(u);
    for (const dependant of dependants.get(u) ?? []) visit(dependant);
    visiting.delete(u);
    out.push(u);
  };
  for (const u of members.keys()) visit(u);
  // `visit` appends a unit after every unit found through its rows.
  return out.map((u, i) => ({
    datasets: members.get(u)!,
    after: [...dependants.get(u)!].map((d) => out.indexOf(d)).filter((j) => j < i),
  }));
}
