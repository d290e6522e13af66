/**
 * Erasure order from the references: a row that references another (child → parent, by the parent's key or by any
 * other column it names) is erased first, so that no database refuses the parent's delete. Which side is the child
 * is decided once, by `keyLinks`; this orders by its links. `erase_after` in the manifest adds constraints by hand; it
 * is an override, not the mechanism. Cycles are reported and their members keep the traversal order, never looped
 * over.
 */
import type { Collection } from "../manifest/types.ts";
import type { KeyLink } from "./key-links.ts";
import type { CollectionAddress } from "./reference-graph.ts";

interface Located {
  readonly collection: Collection;
}

export function eraseOrder(
  reached: readonly CollectionAddress[],
  byAddress: ReadonlyMap<CollectionAddress, Located>,
  links: readonly KeyLink[],
  extra: readonly { readonly first: CollectionAddress; readonly next: CollectionAddress }[] = [],
): { order: CollectionAddress[]; cycles: CollectionAddress[][] } {
  const inPlan = new Set(reached);
  const before = new Map<CollectionAddress, Set<CollectionAddress>>(reached.map((a) => [a, new Set()]));
  const constrain = (first: CollectionAddress, then: CollectionAddress) => {
    if (first !== then && inPlan.has(first) && inPlan.has(then)) before.get(first)!.add(then);
  };
  // The child's rows go first, whatever column of the parent its reference names (a primary key, a UNIQUE token).
  for (const link of links) constrain(link.child, link.parent);
  for (const address of reached)
    for (const other of byAddress.get(address)!.collection.erase_after) constrain(other, address);
  for (const { first, next } of extra) constrain(first, next);

  // Kahn's algorithm, ties broken by traversal order so the plan is stable.
  const incoming = new Map<CollectionAddress, number>(reached.map((a) => [a, 0]));
  for (const targets of before.values()) for (const t of targets) incoming.set(t, incoming.get(t)! + 1);
  const order: CollectionAddress[] = [];
  const done = new Set<CollectionAddress>();
  let progress = true;
  while (progress) {
    progress = false;
    for (const a of reached) {
      if (done.has(a) || incoming.get(a)! > 0) continue;
      done.add(a);
      order.push(a);
      for (const t of before.get(a)!) incoming.set(t, incoming.get(t)! - 1);
      progress = true;
      break;
    }
  }
  const left = reached.filter((a) => !done.has(a));
  return { order: [...order, ...left], cycles: stronglyConnected(left, before) };
}

/** Tarjan's strongly connected components of the nodes a cycle kept out of the order (each one a reported cycle). */
function stronglyConnected(
  nodes: readonly CollectionAddress[],
  edges: ReadonlyMap<CollectionAddress, ReadonlySet<CollectionAddress>>,
) {
  const within = new Set(nodes);
  const index = new Map<CollectionAddress, number>();
  const low = new Map<CollectionAddress, number>();
  const stack: CollectionAddress[] = [];
  const out: CollectionAddress[][] = [];
  let counter = 0;
  const visit = (v: CollectionAddress) => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    for (const w of edges.get(v) ?? []) {
      if (!within.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (stack.includes(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: CollectionAddress[] = [];
      let w: CollectionAddress;
      do {
        w = stack.pop()!;
        component.push(w);
      } while (w !== v);
      if (component.length > 1) out.push(component.reverse());
    }
  };
  for (const v of nodes) if (!index.has(v)) visit(v);
  return out;
}
