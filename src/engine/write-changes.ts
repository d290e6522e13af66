/**
 * Writes decided changes to the data stores: one transaction per store, collections in the plan's order (children
 * before parents), one set-based statement per collection and chunk — deletes by key, masks by `updateEach` grouped
 * by the columns they set.
 *
 * Stores are written in an order that keeps a crash resumable: a store whose rows are found through another store's
 * rows (the analytics warehouse, found through the accounts' ids) is written first, so that re-running the request
 * after a failure can still find everything that is left. The first store that fails stops the run (its transaction
 * is rolled back); the stores after it are reported as not written, and the same request, run again, finishes them.
 */
import type { Connector, Row, RowUpdate } from "../connectors/connector.ts";
import { isStewardError, stewardError } from "../errors.ts";
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
  /** Key column; without one, rows are addressed by the lookup values that found them (deletes only). */
  readonly key?: string;
  readonly rows: readonly Row[];
  readonly changes: readonly (RowChange | undefined)[];
  /** Fallback addressing when there is no key: lookup field → values. */
  readonly byLookup?: ReadonlyMap<string, readonly unknown[]>;
  /** Delete every row the lookups' values match, without rows read first (`byLookup` says which). */
  readonly direct?: boolean;
}

export interface WriteCounts {
  deleted: number;
  /** Rows whose fields were set (masked, or rectified). */
  masked: number;
  /** Rows kept on purpose that still lost a field. */
  keptChanged: number;
}

export interface WriteOutcome {
  readonly counts: Map<string, WriteCounts>;
  readonly failed?: { readonly dataset: string; readonly why: string };
  /** Datasets left unwritten because an earlier store failed. */
  readonly skipped: readonly string[];
}

export async function writeChanges(
  plan: Plan,
  changes: readonly CollectionChanges[],
  stores: Stores,
  events?: EngineEvents,
): Promise<WriteOutcome> {
  const counts = new Map<string, WriteCounts>();
  const order = storeOrder(plan, changes);
  for (const [i, dataset] of order.entries()) {
    const mine = changes.filter((c) => c.dataset === dataset && (c.direct || c.changes.some((x) => x)));
    if (mine.length === 0) continue;
    let current = "";
    try {
      const connector = await stores.get(dataset);
      const written = await connector.transaction(async (tx) => {
        const local = new Map<string, WriteCounts>();
        for (const c of mine) {
          current = c.collection;
          local.set(c.collection, await writeCollection(tx, c));
        }
        return local;
      });
      for (const [collection, n] of written) {
        counts.set(collection, n);
        events?.emit({ kind: "collection_written", collection, deleted: n.deleted, masked: n.masked, updated: 0 });
      }
      events?.emit({ kind: "store_committed", dataset });
    } catch (error) {
      const keys = mine.flatMap((c) => [
        ...c.rows.flatMap((r) => Object.values(r)),
        ...[...(c.byLookup?.values() ?? [])].flat(),
      ]);
      const why = isStewardError(error)
        ? `${error.code}: ${error.message}`
        : `${
            stewardError("STW_ENGINE_WRITE_FAILED", {
              dataset,
              collection: current,
              detail: scrub(error instanceof Error ? error.message : String(error), keys),
            }).message
          }`;
      events?.emit({ kind: "store_failed", dataset, why });
      return { counts, failed: { dataset, why }, skipped: order.slice(i + 1) };
    }
  }
  return { counts, skipped: [] };
}

async function writeCollection(tx: Connector, c: CollectionChanges): Promise<WriteCounts> {
  const counts: WriteCounts = { deleted: 0, masked: 0, keptChanged: 0 };
  if (c.direct) {
    for (const [field, values] of c.byLookup ?? []) counts.deleted += await tx.deleteByKeys(c.table, field, values);
    return counts;
  }
  const deletes: unknown[] = [];
  const groups = new Map<string, RowUpdate[]>();
  c.changes.forEach((change, i) => {
    if (!change) return;
    const row = c.rows[i]!;
    if (change.kind === "delete") {
      if (c.key !== undefined) deletes.push(row[c.key]);
      return;
    }
    if (Object.keys(change.set).length === 0 || c.key === undefined) return;
    const columns = `${change.kept ? "kept" : "set"}\u0000${Object.keys(change.set).sort().join("\u0000")}`;
    const list = groups.get(columns) ?? [];
    list.push({ key: row[c.key], set: change.set });
    groups.set(columns, list);
  });
  for (const [columns, updates] of groups) {
    const n = await tx.updateEach(c.table, c.key!, updates);
    if (columns.startsWith("kept")) counts.keptChanged += n;
    else counts.masked += n;
  }
  if (c.key !== undefined) counts.deleted += await tx.deleteByKeys(c.table, c.key, deletes);
  else if (c.changes.some((x) => x?.kind === "delete"))
    for (const [field, values] of c.byLookup ?? []) counts.deleted += await tx.deleteByKeys(c.table, field, values);
  return counts;
}

/**
 * Datasets in write order: a store whose lookups take keys from another store's rows comes before that store.
 * Cycles between stores fall back to the plan's order.
 */
export function storeOrder(plan: Plan, changes: readonly CollectionChanges[]): string[] {
  const datasets = [...new Set([...plan.steps.map((s) => s.dataset), ...changes.map((c) => c.dataset)])];
  const datasetOf = new Map(plan.steps.map((s) => [s.collection, s.dataset]));
  const before = new Map<string, Set<string>>(datasets.map((d) => [d, new Set<string>()]));
  // "a before b" when a's rows are found through b's rows.
  for (const s of plan.steps)
    for (const l of s.lookups) {
      if (l.source.kind === "identity") continue;
      const from = datasetOf.get(l.source.collection);
      if (from && from !== s.dataset) before.get(from)!.add(s.dataset);
    }
  const out: string[] = [];
  const visiting = new Set<string>();
  const visit = (d: string) => {
    if (out.includes(d) || visiting.has(d)) return;
    visiting.add(d);
    for (const dependant of before.get(d) ?? []) visit(dependant);
    visiting.delete(d);
    out.push(d);
  };
  for (const d of datasets) visit(d);
  // `visit` appends a dataset after everything that must be written before it.
  return out;
}
