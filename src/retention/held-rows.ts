/**
 * The rows under a legal hold, resolved for a sweep: a hold names a person (by keyed hashes of their identities, and
 * their identities sealed), and a sweep must leave every row of that person alone. The held people's identities are
 * looked up once per sweep with the access plan (the same search an access request makes), and each collection's
 * keys of their rows are excluded from every statement of the sweep.
 */
import type { FoundRows, IdentityValues } from "../engine/find-rows.ts";
import { findRows } from "../engine/find-rows.ts";
import type { Stores } from "../engine/stores.ts";
import type { Manifest } from "../manifest/types.ts";
import { buildPlan } from "../plan/build-plan.ts";

export interface HeldRows {
  /** Per collection, the keys of held rows (as the store returned them). */
  readonly rows: ReadonlyMap<string, ReadonlySet<unknown>>;
  /** Whether a person (by any identity value) is under a hold. */
  isHeld(identity: IdentityValues): boolean;
}

export const NO_HOLDS: HeldRows = { rows: new Map(), isHeld: () => false };

/** Finds the rows of the held people. `people` are their identities (opened from the holds by the caller). */
export async function resolveHeldRows(
  manifest: Manifest,
  stores: Stores,
  people: readonly IdentityValues[],
): Promise<HeldRows> {
  if (people.length === 0) return NO_HOLDS;
  const identities = new Map<string, unknown[]>();
  for (const p of people)
    for (const [type, values] of p) identities.set(type, [...(identities.get(type) ?? []), ...values]);
  const plan = buildPlan(manifest, { action: "access", identities: [...identities.keys()].sort() });
  const found: FoundRows = await findRows(plan, identities, stores, manifest.datasets, { personalFields: false });
  const rows = new Map<string, Set<unknown>>();
  for (const [collection, c] of found.collections) {
    if (c.key === undefined || c.rows.length === 0) continue;
    rows.set(collection, new Set(c.rows.map((r) => r[c.key!])));
  }
  // A person is held when any of their identity values, or a value found for them, is a held one.
  const values = new Set<string>();
  for (const [type, list] of identities) for (const v of list) values.add(`${type}\u0000${v}`);
  for (const [collection, c] of found.collections)
    for (const seed of plan.steps.find((s) => s.collection === collection)?.lookups ?? [])
      if (seed.source.kind === "identity")
        for (const r of c.rows) values.add(`${seed.source.identity}\u0000${String(r[seed.field])}`);
  return {
    rows,
    isHeld: (identity) => [...identity].some(([type, list]) => list.some((v) => values.has(`${type}\u0000${v}`))),
  };
}
