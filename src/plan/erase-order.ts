/**
 * Erasure order from the references: a row that references another (child → parent, by the parent's key or by any
 * other column it names) is erased first, so that no database refuses the parent's delete. `erase_after` in the manifest adds constraints by hand; it is an override, not
 * the mechanism. Cycles are reported and their members keep the traversal order, never looped over.
 */
import type { Collection, Field } from "../manifest/types.ts";
import type { CollectionAddress } from "./reference-graph.ts";

interface Located {
  readonly collection: Collection;
  readonly fields: Map<string, Field>;
}

export function eraseOrder(
  reached: readonly CollectionAddress[],
  byAddress: ReadonlyMap<CollectionAddress, Located>,
  extra: readonly { readonly first: CollectionAddress; readonly next: CollectionAddress }[] = [],
): { order: CollectionAddress[]; cycles: CollectionAddress[][] } {
  const inPlan = new Set(reached);
  const before = new Map<CollectionAddress, Set<CollectionAddress>>(reached.map((a) => [a, new Set()]));
  const constrain = (first: CollectionAddress, then: CollectionAddress) => {
    if (first !== then && inPlan.has(first) && inPlan.has(then)) before.get(first)!.add(then);
  };
  for (const address of reached) {
    const { collection, fields } = byAddress.get(address)!;
    for (const field of fields.values()) {
      for (const r of field.references) {
        const [name = "", ...rest] = r.field.split(".");
        const target = `${r.dataset}.${name}`;
        const targetField = byAddress.get(target)?.fields.get(rest.join("."));
        if (!targetField) continue;
        // The side holding the reference is the child, whatever column it names (a primary key, a UNIQUE token):
        // its rows go first. Only a reference declared on a primary key to a field that is not one points the other
        // way (Fides lets either side carry a reference).
        if (field.primary_key && !targetField.primary_key) constrain(target, address);
        else constrain(address, target);
      }
    }
    for (const other of collection.erase_after) constrain(other, address);
  }
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
