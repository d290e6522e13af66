/**
 * The graph of a manifest's datasets: one node per collection, one edge per field reference (cross-database ones
 * included), oriented the way a lookup can follow it. `steward check` uses it to find personal data no identity
 * reaches; the request planner walks the same graph.
 */

import type { Dataset, Field } from "../manifest/types.ts";
import { flattenFields } from "../manifest/validate-references.ts";

/** "dataset.collection" */
export type CollectionAddress = string;

/** A lookup: values of `from.field` find rows of `to.collection` whose `to.field` holds them. */
export interface ReferenceEdge {
  readonly kind: "reference";
  readonly from: { readonly collection: CollectionAddress; readonly field: string };
  readonly to: { readonly collection: CollectionAddress; readonly field: string };
}

export interface IdentitySeed {
  readonly collection: CollectionAddress;
  readonly field: string;
  readonly identity: string;
}

export interface ReferenceGraph {
  readonly collections: readonly CollectionAddress[];
  readonly edges: readonly ReferenceEdge[];
  readonly seeds: readonly IdentitySeed[];
}

export function buildReferenceGraph(datasets: readonly Dataset[]): ReferenceGraph {
  const collections: CollectionAddress[] = [];
  const edges: ReferenceEdge[] = [];
  const seeds: IdentitySeed[] = [];
  const primaryKeys = new Set<string>();
  for (const d of datasets)
    for (const c of d.collections)
      for (const [name, field] of flattenFields(c.fields))
        if (field.primary_key) primaryKeys.add(`${d.fides_key}.${c.name}.${name}`);
  const isKey = (end: ReferenceEdge["from"]) => primaryKeys.has(`${end.collection}.${end.field}`);
  // A row's reference to another row's key (child → parent: a view's lecture, a review's submission) leads to that
  // row's owner, who may be someone else: it orders erasure but is never followed to find the subject's rows. Only a
  // parent's key leads to the rows that hold it.
  const follow = (from: ReferenceEdge["from"], to: ReferenceEdge["to"]) => {
    if (!isKey(from) && isKey(to)) return;
    edges.push({ kind: "reference", from, to });
  };
  for (const d of datasets) {
    for (const c of d.collections) {
      const here = `${d.fides_key}.${c.name}`;
      collections.push(here);
      for (const [name, field] of flattenFields(c.fields)) {
        if (field.identity) seeds.push({ collection: here, field: name, identity: field.identity });
        for (const r of field.references) {
          const [collection = "", ...rest] = r.field.split(".");
          const there = { collection: `${r.dataset}.${collection}`, field: rest.join(".") };
          const mine = { collection: here, field: name };
          // Fides: "from" = the referenced field's values find this collection's rows; "to" = the reverse.
          if (r.direction !== "to") follow(there, mine);
          if (r.direction !== "from") follow(mine, there);
        }
      }
    }
  }
  return { collections, edges, seeds };
}

/** Collections reachable from the graph's identity seeds (or from `start`), following edges forward. */
export function reachableCollections(
  graph: ReferenceGraph,
  start?: readonly CollectionAddress[],
): Set<CollectionAddress> {
  const reached = new Set<CollectionAddress>(start ?? graph.seeds.map((s) => s.collection));
  const queue = [...reached];
  const out = new Map<CollectionAddress, ReferenceEdge[]>();
  for (const e of graph.edges) {
    const list = out.get(e.from.collection);
    if (list) list.push(e);
    else out.set(e.from.collection, [e]);
  }
  while (queue.length > 0) {
    const next = queue.shift()!;
    for (const e of out.get(next) ?? []) {
      if (!reached.has(e.to.collection)) {
        reached.add(e.to.collection);
        queue.push(e.to.collection);
      }
    }
  }
  return reached;
}

/** True when a field holds personal data: a `user` category (or one below it), unless marked `personal: false`. */
export function isPersonalField(field: Field): boolean {
  if (field.personal === false) return false;
  return field.data_categories.some((c) => c === "user" || c.startsWith("user."));
}
