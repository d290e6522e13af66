/**
 * The graph of a manifest's datasets: one node per collection, one edge per field reference (cross-database ones
 * included), oriented the way a lookup can follow it. `steward check` uses it to find personal data no identity
 * reaches; the request planner walks the same graph.
 */

import type { Dataset, Field } from "../manifest/types.ts";
import { flattenFields } from "../manifest/validate-references.ts";

/** "dataset.collection" */
export type CollectionAddress = string;

/**
 * A lookup: values of `from.field` find rows of `to.collection` whose `to.field` holds them. `toReferenced` marks a
 * lookup from the field that holds a reference to the field it names (a customer's `address_id` finds the address):
 * the row found may be shared with other people's rows that name it too.
 */
export interface ReferenceEdge {
  readonly kind: "reference";
  readonly from: { readonly collection: CollectionAddress; readonly field: string };
  readonly to: { readonly collection: CollectionAddress; readonly field: string };
  readonly toReferenced?: true;
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

/**
 * Fides semantics, exactly: a reference on field F of C to D.G with `direction: from` is followed D.G → C.F (the
 * values of D.G find C's rows), `direction: to` is followed C.F → D.G (the values of C.F find D's rows: a customer's
 * address), and no direction is followed both ways. A reference marked `steward: {follow: false}` is not followed at
 * all: it names someone else's row (it still orders erasure, see erase-order.ts).
 */
export function buildReferenceGraph(datasets: readonly Dataset[]): ReferenceGraph {
  const collections: CollectionAddress[] = [];
  const edges: ReferenceEdge[] = [];
  const seeds: IdentitySeed[] = [];
  for (const d of datasets) {
    for (const c of d.collections) {
      const here = `${d.fides_key}.${c.name}`;
      collections.push(here);
      for (const [name, field] of flattenFields(c.fields)) {
        if (field.identity) seeds.push({ collection: here, field: name, identity: field.identity });
        for (const r of field.references) {
          if (r.steward?.follow === false) continue;
          const [collection = "", ...rest] = r.field.split(".");
          const there = { collection: `${r.dataset}.${collection}`, field: rest.join(".") };
          const mine = { collection: here, field: name };
          if (r.direction !== "to") edges.push({ kind: "reference", from: there, to: mine });
          if (r.direction !== "from") edges.push({ kind: "reference", from: mine, to: there, toReferenced: true });
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
