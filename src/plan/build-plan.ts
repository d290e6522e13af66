/**
 * Plans a request from the manifest alone (pure, no I/O): seed the reference graph with the request's identity types,
 * walk it to every collection the identities reach, and — for erasure — decide each collection's and field's fate and
 * order the steps so that children are erased before their parents.
 */
import { isWithin } from "../manifest/taxonomy/build-taxonomy.ts";
import type { Collection, Dataset, Field, Manifest } from "../manifest/types.ts";
import { flattenFields } from "../manifest/validate-references.ts";
import { eraseOrder } from "./erase-order.ts";
import { keyLinks } from "./key-links.ts";
import type {
  CollectionStep,
  CollectionTreatment,
  FieldTreatment,
  Lookup,
  MaskTreatment,
  Plan,
  PlanAction,
} from "./plan.ts";
import { buildReferenceGraph, type CollectionAddress, type IdentitySeed, isPersonalField } from "./reference-graph.ts";

export interface PlanRequest {
  readonly action: PlanAction;
  /** Identity types the request carries (email, user_id, …). */
  readonly identities: readonly string[];
  /** Restrict access to these data categories (a parent covers its children); empty = all personal data. */
  readonly categories?: readonly string[];
  /**
   * Further starting points besides the identity fields: a retention sweep seeds a collection's own key with the
   * keys of its due rows (identity type `row:dataset.collection`), so erasure starts from those rows.
   */
  readonly seeds?: readonly IdentitySeed[];
  /**
   * Erasure order the live schema adds (its undeclared foreign keys, `compareLiveSchema`): `first` is erased before
   * `next`.
   */
  readonly order?: readonly { readonly first: CollectionAddress; readonly next: CollectionAddress }[];
}

interface Located {
  readonly dataset: Dataset;
  readonly collection: Collection;
  readonly fields: Map<string, Field>;
}

/**
 * Per manifest: the plans made, by request (a worker plans the same few requests thousands of times: an access by
 * e-mail, an erasure with the live schema's order). A plan is read-only data, so one object serves every caller.
 */
const PLANS = new WeakMap<Manifest, Map<string, Plan>>();

export function buildPlan(manifest: Manifest, request: PlanRequest): Plan {
  const key = JSON.stringify(request);
  const known = PLANS.get(manifest) ?? new Map<string, Plan>();
  PLANS.set(manifest, known);
  let plan = known.get(key);
  if (!plan) {
    plan = planOf(manifest, request);
    if (known.size < 256) known.set(key, plan);
  }
  return plan;
}

function planOf(manifest: Manifest, request: PlanRequest): Plan {
  const graph = buildReferenceGraph(manifest.datasets);
  const byAddress = new Map<CollectionAddress, Located>();
  for (const d of manifest.datasets)
    for (const c of d.collections)
      byAddress.set(`${d.fides_key}.${c.name}`, { dataset: d, collection: c, fields: flattenFields(c.fields) });

  // Breadth-first from the identity seeds: the order in which key values become known.
  const lookups = new Map<CollectionAddress, Lookup[]>();
  const order: CollectionAddress[] = [];
  const add = (address: CollectionAddress, lookup: Lookup) => {
    const located = byAddress.get(address);
    if (!located || located.collection.skip_processing) return;
    if (!lookups.has(address)) {
      lookups.set(address, []);
      order.push(address);
    }
    const list = lookups.get(address)!;
    if (!list.some((l) => JSON.stringify(l) === JSON.stringify(lookup))) list.push(lookup);
  };
  for (const seed of [...graph.seeds, ...(request.seeds ?? [])])
    if (request.identities.includes(seed.identity))
      add(seed.collection, {
        kind: "lookup",
        field: seed.field,
        source: { kind: "identity", identity: seed.identity },
      });
  for (let i = 0; i < order.length; i++) {
    const from = order[i]!;
    for (const e of graph.edges)
      if (e.from.collection === from)
        add(e.to.collection, {
          kind: "lookup",
          field: e.to.field,
          source: { kind: "field", ...e.from },
          ...(e.toReferenced ? { toReferenced: true as const } : {}),
        });
    // Identity expansion: a further identity of the same person on this row seeds every field of that identity type.
    for (const [name, f] of byAddress.get(from)!.fields)
      if (f.expands_identity && f.identity)
        for (const seed of graph.seeds)
          if (seed.identity === f.identity && !(seed.collection === from && seed.field === name))
            add(seed.collection, {
              kind: "lookup",
              field: seed.field,
              source: { kind: "expansion", identity: f.identity, collection: from, field: name },
            });
  }

  const categories = request.categories ?? [];
  const wanted = (f: Field) =>
    isPersonalField(f) &&
    (categories.length === 0 || f.data_categories.some((c) => categories.some((w) => isWithin(c, w))));
  const exemptionsByKey = new Map(manifest.exemptions.map((e) => [e.key, e]));

  const step = (address: CollectionAddress): CollectionStep => {
    const { dataset, collection, fields } = byAddress.get(address)!;
    const exemptions = collection.exemptions
      .filter((x) => exemptionsByKey.get(x.exemption)?.applies_to.includes(request.action) ?? true)
      .map((x) => ({
        kind: "exemption" as const,
        exemption: x.exemption,
        reason: exemptionsByKey.get(x.exemption)?.reason ?? x.exemption,
        ...(x.where ? { where: x.where } : {}),
      }));
    return {
      kind: "collection",
      collection: address,
      dataset: dataset.fides_key,
      name: collection.name,
      lookups:
        request.action === "erasure"
          ? partialLookups(lookups.get(address)!, collection, fields)
          : lookups.get(address)!,
      read: [...fields].filter(([, f]) => f.fields.length === 0 && wanted(f)).map(([n]) => n),
      ...(request.action === "erasure" ? { treatment: treatmentOf(collection, fields) } : {}),
      exemptions,
    };
  };

  const { order: stepOrder, cycles } =
    request.action === "erasure"
      ? eraseOrder(order, byAddress, keyLinks(manifest), request.order)
      : { order, cycles: [] as CollectionAddress[][] };
  const steps = stepOrder.map(step);

  const reached = new Set(order);
  const unreached = [...byAddress]
    .filter(
      ([a, l]) => !reached.has(a) && !l.collection.skip_processing && [...l.fields.values()].some(isPersonalField),
    )
    .map(([a]) => a);

  return {
    kind: "plan",
    version: 1,
    action: request.action,
    identities: [...request.identities],
    categories: [...categories],
    steps,
    unreached,
    cycles,
  };
}

/**
 * On a collection whose rows are deleted, a lookup through a field with its own mask setting finds rows that name
 * someone else too (the reviewer of another learner's review): those rows keep living, only that field is masked.
 */
function partialLookups(list: readonly Lookup[], collection: Collection, fields: Map<string, Field>): Lookup[] {
  if (collection.erasure?.action !== "delete" || list.length < 2) return [...list];
  return list.map((l) => {
    const e = fields.get(l.field)?.erasure;
    if (e?.action !== "mask") return l;
    const only: MaskTreatment = {
      kind: "mask",
      field: l.field,
      strategy: e.strategy,
      ...(e.value ? { value: e.value } : {}),
      why: `rows found only through ${l.field} belong to someone else too: only ${l.field} is masked`,
    };
    return { ...l, only };
  });
}

/**
 * The manifest's erasure setting for a collection, or the sensible default where it says nothing: mask the personal
 * fields (the row, and the references other rows hold to it, stay valid).
 */
function treatmentOf(collection: Collection, fields: Map<string, Field>): CollectionTreatment {
  const personal = [...fields].filter(([, f]) => f.fields.length === 0 && isPersonalField(f));
  if (personal.length === 0)
    return { kind: "no_personal_data", why: "no personal field: read only to follow references" };
  const setting = collection.erasure;
  if (setting?.action === "delete") return { kind: "delete_rows", why: "the manifest deletes this collection's rows" };
  if (setting?.action === "keep") return { kind: "keep_rows", why: setting.reason };
  const treated = fieldTreatments(collection, fields);
  return {
    kind: "mask_fields",
    fields: treated,
    why: setting ? "the manifest masks this collection's personal fields" : "no erasure setting: masking by default",
  };
}

/**
 * What masking does to each personal field of a collection: the field's own setting, else the collection's mask
 * strategy, else null; primary keys and fields marked `keep` are retained. (Used for collections erasure masks, and
 * for retention rules that mask some fields of rows that otherwise stay.)
 */
export function fieldTreatments(collection: Collection, fields: ReadonlyMap<string, Field>): FieldTreatment[] {
  const personal = [...fields].filter(([, f]) => f.fields.length === 0 && isPersonalField(f));
  const setting = collection.erasure;
  const collectionStrategy = setting?.action === "mask" ? setting : undefined;
  return personal.map(([name, f]) => {
    const e = f.erasure;
    if (e?.action === "keep") return { kind: "retain", field: name, why: e.reason };
    if (e?.action === "mask")
      return {
        kind: "mask",
        field: name,
        strategy: e.strategy,
        ...(e.value ? { value: e.value } : {}),
        why: "the field's own setting",
      };
    if (f.primary_key)
      return { kind: "retain", field: name, why: "primary key: identifies the row, masked rows keep it" };
    if (collectionStrategy)
      return {
        kind: "mask",
        field: name,
        strategy: collectionStrategy.strategy,
        ...(collectionStrategy.value ? { value: collectionStrategy.value } : {}),
        why: "the collection's mask strategy",
      };
    return { kind: "mask", field: name, strategy: "null", why: "default: personal fields are masked" };
  });
}
