/**
 * Decides, row by row, what an erasure does to the subject's rows — before anything is written.
 *
 * 1. Each row gets the plan's treatment: delete, mask fields (values computed here, constraint-aware), keep (the
 *    manifest's reason or an exemption). A row found only through a lookup marked `only` (a review found through its
 *    reviewer) gets only that field masked.
 * 2. Rows kept under an exemption keep their children too (the submissions of a for-credit enrolment).
 * 3. A row that is still referenced after the erasure — by a kept row, by a row whose reference could not be masked,
 *    or by another person's row — is not deleted: kept when an exemption holds the referencing row, else masked.
 *    Other people's references are found with one set-based read per reference and chunk, and only where the plan's
 *    own lookups have not already read them.
 *
 * Steps 2 and 3 repeat until nothing changes (a masked lecture keeps its NOT NULL instructor reference, so the
 * instructor's account is masked too).
 */
import type { Row } from "../connectors/connector.ts";
import type { Manifest, MaskStrategy } from "../manifest/types.ts";
import { keyLinks, type KeyLink as Link } from "../plan/key-links.ts";
import type { MaskTreatment, Plan } from "../plan/plan.ts";
import { isPersonalField } from "../plan/reference-graph.ts";
import { columnShapes } from "./column-shapes.ts";
import {
  addressOf,
  type FoundCollection,
  type FoundRows,
  identityColumns,
  otherPeoplesFields,
  rowIdentity,
} from "./find-rows.ts";
import { type ColumnShape, maskValue } from "./mask.ts";
import type { Stores } from "./stores.ts";

export type RowFate =
  | { readonly action: "delete" }
  | {
      readonly action: "mask";
      readonly set: Readonly<Record<string, unknown>>;
      readonly why: string;
      /** Masked because other rows still refer to it, though the manifest deletes it. */
      readonly downgraded?: true;
    }
  | {
      readonly action: "keep";
      readonly why: string;
      /** Set when an exemption keeps the row (or the row it belongs to): its children are kept with it. */
      readonly exemption?: string;
      /** Set when the row stays because rows kept under an exemption still refer to it (its children may go). */
      readonly held?: true;
      /** Fields the manifest masks even on kept rows (their own setting). */
      readonly set: Readonly<Record<string, unknown>>;
    }
  | { readonly action: "none" };

export interface CollectionDecision {
  readonly found: FoundCollection;
  /** Deleted straight by its lookups' keys, without reading its rows (see `directDeletes`). */
  readonly direct: boolean;
  readonly fates: RowFate[];
  readonly shapes: ReadonlyMap<string, ColumnShape>;
  /** Why fields could not be masked, once per field. */
  readonly retained: Map<string, string>;
  /** Columns a real foreign key of the store points at (a UNIQUE token, a key): masking one would break it. */
  readonly named: ReadonlySet<string>;
  /** Fields the manifest's references name (a key, a UNIQUE handle): what other rows find this row by. */
  readonly referencedBy: ReadonlySet<string>;
}

export interface ErasureDecisions {
  readonly collections: Map<string, CollectionDecision>;
  /** Why rows were kept or masked instead of deleted, per collection, for the report. */
  readonly notes: Map<string, Set<string>>;
}

/** A collection's rows to delete or mask by one field's text, as of a version of its fates (see decideErasure). */
interface Going {
  readonly version: number;
  readonly rows: Map<string, number>;
  deleted?: string[];
}

interface MaskSpec {
  readonly field: string;
  readonly strategy: MaskStrategy;
  readonly value?: string;
}

export async function decideErasure(
  manifest: Manifest,
  found: FoundRows,
  stores: Stores,
  secret: Uint8Array,
  direct: ReadonlySet<string> = new Set(),
): Promise<ErasureDecisions> {
  const links = keyLinks(manifest);
  const collections = new Map<string, CollectionDecision>();
  const notes = new Map<string, Set<string>>();
  const note = (collection: string, text: string) => {
    const set = notes.get(collection) ?? new Set<string>();
    set.add(text);
    notes.set(collection, set);
  };
  const referencing = new Set(links.map((l) => `${l.child}|${l.field}`));

  for (const [address, c] of found.collections) {
    if (found.unreached.has(address)) continue;
    const tables = await stores.tablesOf(c.step.dataset).catch(() => undefined);
    const table = tables?.get(c.step.name);
    // Columns of this table a real foreign key points at (a UNIQUE token): a mask would break those rows' keys.
    const named = new Set(
      [...(tables?.values() ?? [])].flatMap((t) =>
        t.foreignKeys.filter((k) => k.referencedTable === c.step.name).flatMap((k) => k.referencedColumns),
      ),
    );
    const decision: CollectionDecision = {
      found: c,
      direct: direct.has(address),
      fates: [],
      shapes: columnShapes(c.fields, table, (name) => referencing.has(`${address}|${name}`)),
      retained: new Map(),
      named,
      referencedBy: new Set(links.filter((l) => l.parent === address).map((l) => l.parentKey)),
    };
    collections.set(address, decision);
    for (let i = 0; i < c.rows.length; i++) decision.fates.push(initialFate(decision, c.rows[i]!, i, secret));
  }

  const masksOf = (d: CollectionDecision, row: Row, specs: readonly MaskSpec[]) => computeMasks(d, row, specs, secret);
  // A column of a collection's rows as strings, made once: the loops below compare keys over and over.
  const textColumns = new Map<string, string[]>();
  const textOf = (d: CollectionDecision, field: string): string[] => {
    const id = `${d.found.step.collection}\u0000${field}`;
    let column = textColumns.get(id);
    if (!column) {
      column = d.found.rows.map((r) => String(r[field]));
      textColumns.set(id, column);
    }
    return column;
  };
  const checked = new Map<Link, Map<string, boolean>>();
  // A collection's fates change rarely after the first pass, and many links share a parent key (every collection
  // that names an account): its rows to delete or mask, by that key, are listed once per change, not once per link
  // and pass (at 100,000 people each list is a Map of 100,000 keys).
  const version = new Map<CollectionDecision, number>();
  const setFate = (d: CollectionDecision, i: number, fate: RowFate) => {
    d.fates[i] = fate;
    version.set(d, (version.get(d) ?? 0) + 1);
  };
  const going = new Map<string, Going>();
  const goingOf = (d: CollectionDecision, field: string): Going => {
    const id = `${d.found.step.collection}\u0000${field}`;
    const now = version.get(d) ?? 0;
    const cached = going.get(id);
    if (cached?.version === now) return cached;
    // Rows to delete or mask, by the field's text (the last such row where several hold the same value).
    const rows = new Map<string, number>();
    const keys = textOf(d, field);
    for (let i = 0; i < d.fates.length; i++) {
      const action = d.fates[i]!.action;
      if (action === "delete" || action === "mask") rows.set(keys[i]!, i);
    }
    const entry: Going = { version: now, rows };
    going.set(id, entry);
    return entry;
  };
  /** The keys of `goingOf`'s rows that are to be deleted (made once per entry). */
  const deletedOf = (d: CollectionDecision, entry: Going): readonly string[] => {
    if (!entry.deleted) {
      const out: string[] = [];
      for (const [key, i] of entry.rows) if (d.fates[i]!.action === "delete") out.push(key);
      entry.deleted = out;
    }
    return entry.deleted;
  };

  await keepShared(collections, links, found, stores, checked, note);

  for (let changed = true; changed; ) {
    changed = false;
    // Children of rows kept under an exemption are kept with them. (Not along a collection's reference to itself: a
    // customer whose manager is held is not held with them.)
    for (const link of links) {
      if (link.child === link.parent) continue;
      const parent = collections.get(link.parent);
      const child = collections.get(link.child);
      if (!parent || !child) continue;
      const held = new Map<string, RowFate & { action: "keep" }>();
      const parentKeys = textOf(parent, link.parentKey);
      parent.fates.forEach((fate, i) => {
        if (fate.action === "keep" && fate.exemption) held.set(parentKeys[i]!, fate);
      });
      if (held.size === 0) continue;
      const childRefs = textOf(child, link.field);
      for (let i = 0; i < child.found.rows.length; i++) {
        const fate = child.fates[i]!;
        const holder = held.get(childRefs[i]!);
        if (!holder || fate.action === "keep" || fate.action === "none") continue;
        setFate(child, i, {
          action: "keep",
          why: `belongs to a ${link.parent} row kept: ${holder.why}`,
          ...(holder.exemption ? { exemption: holder.exemption } : {}),
          set: masksOf(child, child.found.rows[i]!, ownMasks(child.found, i)),
        });
        note(link.child, `kept: belongs to ${link.parent} rows kept under an exemption`);
        changed = true;
      }
    }
    // A row still referenced after the erasure is not deleted.
    for (const link of links) {
      const parent = collections.get(link.parent);
      if (!parent) continue;
      // Rows to delete or mask. A row an exempt row refers to is kept whole, whatever link finds that first: masking
      // it would cut the exempt row off from the person (and a second erasure would no longer know it as theirs).
      // Only rows to delete can be masked instead when someone else's rows refer to them.
      const entry = goingOf(parent, link.parentKey);
      const deleting = entry.rows;
      if (deleting.size === 0) continue;
      const referencedBy = new Map<string, "exempt" | "other">();
      const child = collections.get(link.child);
      if (child) {
        const childRefs = textOf(child, link.field);
        child.fates.forEach((fate, i) => {
          const key = childRefs[i]!;
          if (!deleting.has(key)) return;
          if (fate.action === "delete") return;
          if (fate.action === "mask" && link.field in fate.set) return;
          if (fate.action === "keep" && link.field in fate.set) return;
          const exempt = fate.action === "keep" && (fate.exemption !== undefined || fate.held === true);
          referencedBy.set(key, exempt ? "exempt" : (referencedBy.get(key) ?? "other"));
        });
      }
      // A collection the request could not reach is reported as unreached (the proof stays incomplete until the
      // request is run again); it does not hold back the rest — that would fail the whole request on one outage.
      if (found.unreached.has(link.child)) continue;
      const parentShared = parent.found.step.lookups.some((l) => l.toReferenced);
      if (!coveredByPlan(link, child, parentShared))
        for (const key of await othersReferencing(link, child, deletedOf(parent, entry), stores, checked))
          if (!referencedBy.has(key)) referencedBy.set(key, "other");
      for (const [key, by] of referencedBy)
        if (by === "other" && parent.fates[deleting.get(key)!]!.action !== "delete") referencedBy.delete(key);
      if (referencedBy.size === 0) continue;
      // Rows masked instead of deleted lose every personal field: read the ones erasure did not need to read.
      const masked: number[] = [];
      for (const [key, by] of referencedBy) if (by === "other") masked.push(deleting.get(key)!);
      const loaded = await loadColumns(
        parent,
        masked,
        downgradeMasks(parent).map((m) => m.field),
        stores,
      ).then(
        () => true,
        () => false,
      );
      for (const [key, by] of referencedBy) {
        const i = deleting.get(key)!;
        const row = parent.found.rows[i]!;
        if (by === "exempt") {
          setFate(parent, i, {
            action: "keep",
            why: `rows of ${link.child} kept under an exemption still refer to it`,
            held: true,
            set: masksOf(parent, row, ownMasks(parent.found, i)),
          });
          note(link.parent, `kept: rows of ${link.child} kept under an exemption still refer to it`);
        } else if (!loaded) {
          setFate(parent, i, { action: "keep", why: "could not read its personal fields to mask them", set: {} });
          note(link.parent, "kept: still referenced, and its personal fields could not be read to mask them");
        } else {
          setFate(parent, i, {
            action: "mask",
            set: masksOf(parent, row, downgradeMasks(parent)),
            why: `other rows of ${link.child} still refer to it`,
            downgraded: true,
          });
          note(
            link.parent,
            `masked instead of deleted: rows of ${link.child} that are not the subject's still refer to it`,
          );
        }
        changed = true;
      }
    }
  }
  for (const [address, d] of collections) for (const [field, why] of d.retained) note(address, `${field} kept: ${why}`);
  return { collections, notes };
}

/**
 * A row found only through the references the subject's rows hold to it (the address a customer and their orders
 * name, the product of an order line) may be named by other people's rows too: while any row that is not the
 * subject's names it, it is kept whole — neither deleted nor masked, someone else's data lives in it. A row only the
 * subject's rows name is erased as the manifest says. A referring collection that could not be read counts as naming
 * it (kept, never guessed away).
 */
async function keepShared(
  collections: ReadonlyMap<string, CollectionDecision>,
  links: readonly Link[],
  found: FoundRows,
  stores: Stores,
  checked: Map<Link, Map<string, boolean>>,
  note: (collection: string, text: string) => void,
): Promise<void> {
  for (const [address, d] of collections) {
    const { lookups } = d.found.step;
    if (!lookups.some((l) => l.toReferenced)) continue;
    const shared = d.fates.flatMap((fate, i) => {
      const by = d.found.foundBy.of(i);
      const onlyReferenced = by.length > 0 && by.every((j) => lookups[j]!.toReferenced);
      return onlyReferenced && (fate.action === "delete" || fate.action === "mask") ? [i] : [];
    });
    if (shared.length === 0) continue;
    const named = new Map<number, string>();
    for (const link of links) {
      if (link.parent !== address) continue;
      const keys = [...new Set(shared.map((i) => d.found.rows[i]![link.parentKey]))]
        .filter((v) => v !== null && v !== undefined)
        .map(String);
      if (keys.length === 0) continue;
      const others = found.unreached.has(link.child)
        ? new Set(keys)
        : new Set(await othersReferencing(link, collections.get(link.child), keys, stores, checked));
      for (const i of shared)
        if (!named.has(i) && others.has(String(d.found.rows[i]![link.parentKey]))) named.set(i, link.child);
    }
    for (const [i, by] of named) {
      d.fates[i] = { action: "keep", why: `shared: rows of ${by} that are not the subject's refer to it too`, set: {} };
      note(address, `kept whole: rows of ${by} that are not the subject's refer to it too`);
    }
  }
}

/** One object for every row that goes (a large batch has millions). */
const DELETE: RowFate = Object.freeze({ action: "delete" });

function initialFate(d: CollectionDecision, row: Row, index: number, secret: Uint8Array): RowFate {
  const { step } = d.found;
  const t = step.treatment;
  if (!t || t.kind === "no_personal_data") return { action: "none" };
  if (step.covers && !matches(row, step.covers))
    return { action: "keep", why: "outside the retention rule (its `where` does not match the row)", set: {} };
  let exemption: (typeof step.exemptions)[number] | undefined;
  for (const x of step.exemptions)
    if (matches(row, x.where)) {
      exemption = x;
      break;
    }
  if (exemption)
    return {
      action: "keep",
      why: exemption.reason,
      exemption: exemption.exemption,
      set: computeMasks(d, row, ownMasks(d.found, index), secret),
    };
  if (t.kind === "keep_rows") return { action: "keep", why: t.why, set: {} };
  // (The lookups that found the row are listed only where every one of them masks a single field.)
  if (step.lookups.some((l) => l.only) && d.found.foundBy.every(index, (j) => step.lookups[j]!.only !== undefined)) {
    const only = d.found.foundBy.of(index).map((i) => step.lookups[i]!.only as MaskTreatment);
    if (only.length > 0) return { action: "mask", set: computeMasks(d, row, only, secret), why: only[0]!.why };
  }
  if (t.kind === "delete_rows") return DELETE;
  const specs = t.fields.filter((f): f is MaskTreatment => f.kind === "mask");
  return { action: "mask", set: computeMasks(d, row, specs, secret), why: t.why };
}

function computeMasks(
  d: CollectionDecision,
  row: Row,
  specs: readonly MaskSpec[],
  secret: Uint8Array,
): Record<string, unknown> {
  const set: Record<string, unknown> = {};
  const rowKey = rowIdentity(d.found, row);
  for (const spec of specs) {
    const shape = d.shapes.get(spec.field);
    if (!shape || !(spec.field in row)) continue;
    if (d.named.has(spec.field)) {
      d.retained.set(spec.field, "a foreign key of other rows points at it: masking it would break their reference");
      continue;
    }
    const outcome = maskValue(
      row[spec.field],
      shape,
      { strategy: spec.strategy, ...(spec.value !== undefined ? { value: spec.value } : {}), secret },
      `${d.found.step.collection}|${spec.field}|${rowKey}`,
    );
    if (outcome.kind === "set") set[spec.field] = outcome.value;
    else if (outcome.kind === "retain") d.retained.set(spec.field, outcome.why);
  }
  return set;
}

/**
 * Fields the manifest masks on their own, which kept rows still lose (a forum post keeps its text, not its author) —
 * except a field through which the request did not find the row: that one names someone else (the reviewer of a
 * review the subject received).
 */
function ownMasks(found: FoundCollection, row: number): MaskSpec[] {
  const others = otherPeoplesFields(found, row);
  const out: MaskSpec[] = [];
  for (const [name, f] of found.fields) {
    const e = f.erasure;
    if (f.fields.length === 0 && e?.action === "mask" && !others.has(name))
      out.push({ field: name, strategy: e.strategy, ...(e.value !== undefined ? { value: e.value } : {}) });
  }
  return out;
}

/**
 * Masks for a row that was to be deleted but must stay: every personal field but the key, the fields other rows refer
 * to it by (it stays for them: masking those would cut them off), and those kept on purpose.
 */
function downgradeMasks(d: CollectionDecision): MaskSpec[] {
  const out: MaskSpec[] = [];
  for (const [name, f] of d.found.fields) {
    if (f.fields.length > 0 || !isPersonalField(f) || name === d.found.key || f.primary_key) continue;
    if (d.referencedBy.has(name)) {
      d.retained.set(name, "other rows refer to this row by it, and the row stays for them");
      continue;
    }
    const e = f.erasure;
    if (e?.action === "keep") continue;
    if (e?.action === "mask")
      out.push({ field: name, strategy: e.strategy, ...(e.value !== undefined ? { value: e.value } : {}) });
    else out.push({ field: name, strategy: "null" });
  }
  return out;
}

/** Exemption `where`: every column equals its value (booleans match 1/0 and "t"/"f" as stores return them). */
export function matches(row: Row, where: Readonly<Record<string, string | number | boolean>> | undefined): boolean {
  if (!where) return true;
  // (A loop, not Object.entries: this runs per row and exemption.)
  for (const column in where) {
    const expected = where[column]!;
    const actual = row[column];
    if (typeof expected === "boolean") {
      const truthy = actual === true || actual === 1 || actual === "1" || actual === "t" || actual === "true";
      const falsy = actual === false || actual === 0 || actual === "0" || actual === "f" || actual === "false";
      if (!(expected ? truthy : falsy)) return false;
    } else if (String(actual) !== String(expected)) return false;
  }
  return true;
}

/**
 * Collections an erasure can delete straight by their lookups' key values, without reading a row first: every row
 * found is deleted (no exemption, no lookup that only masks, no exemption on a collection above them whose kept rows
 * would keep theirs), no other lookup takes keys from them, and no row anywhere refers to their key.
 */
export function directDeletes(manifest: Manifest, plan: Plan): Set<string> {
  const links = keyLinks(manifest);
  const held = new Set(plan.steps.filter((s) => s.exemptions.length > 0).map((s) => s.collection));
  for (let grew = true; grew; ) {
    grew = false;
    for (const l of links)
      if (held.has(l.parent) && !held.has(l.child)) {
        held.add(l.child);
        grew = true;
      }
  }
  const sources = new Set(
    plan.steps.flatMap((s) => s.lookups.flatMap((l) => (l.source.kind === "identity" ? [] : [l.source.collection]))),
  );
  const parents = new Set(links.map((l) => l.parent));
  return new Set(
    plan.steps
      .filter(
        (s) =>
          s.treatment?.kind === "delete_rows" &&
          s.covers === undefined &&
          !held.has(s.collection) &&
          !sources.has(s.collection) &&
          !parents.has(s.collection) &&
          s.lookups.every((l) => !l.only),
      )
      .map((s) => s.collection),
  );
}

/** Reads `columns` for the rows at `indices` (by the collection's key) where they were not read before. */
async function loadColumns(
  d: CollectionDecision,
  indices: readonly number[],
  columns: readonly string[],
  stores: Stores,
): Promise<void> {
  const key = addressOf(d.found);
  const missing = columns.filter((c) => indices.some((i) => !(c in d.found.rows[i]!)));
  if (key === undefined || missing.length === 0 || indices.length === 0) return;
  const keyOf = (row: Row) => (typeof key === "string" ? row[key] : key.map((c) => row[c]));
  const at = new Map(indices.map((i) => [rowIdentity(d.found, d.found.rows[i]!), i]));
  const keys = indices.map((i) => keyOf(d.found.rows[i]!));
  const connector = await stores.get(d.found.step.dataset);
  const read = [...new Set([...identityColumns(d.found), ...missing])];
  for await (const batch of connector.readByKeys(d.found.step.name, key, keys, read))
    for (const row of batch) {
      const i = at.get(rowIdentity(d.found, row));
      if (i !== undefined) Object.assign(d.found.rows[i]!, row);
    }
}

/**
 * Whether the plan already read every row outside the subject's that could hold a parent's key in `link.field`: a
 * lookup on that very field from the parent's key (not where the parent has rows found only through references to
 * them, `parentShared`: those rows gave no keys downwards).
 */
function coveredByPlan(link: Link, child: CollectionDecision | undefined, parentShared: boolean): boolean {
  return (
    !parentShared &&
    child?.found.step.lookups.some(
      (l) =>
        l.field === link.field &&
        l.source.kind === "field" &&
        l.source.collection === link.parent &&
        l.source.field === link.parentKey,
    ) === true
  );
}

/** Keys among `keys` that rows outside the subject's found rows still hold in `link.field`. */
async function othersReferencing(
  link: Link,
  child: CollectionDecision | undefined,
  keys: readonly string[],
  stores: Stores,
  checked: Map<Link, Map<string, boolean>>,
): Promise<string[]> {
  const known = checked.get(link) ?? new Map<string, boolean>();
  checked.set(link, known);
  const fresh: string[] = [];
  for (const k of keys)
    if (!known.has(k)) {
      known.set(k, false);
      fresh.push(k);
    }
  if (fresh.length > 0) {
    const childKey = child ? addressOf(child.found) : undefined;
    // Rows found only through references to them (kept as shared) are not the subject's: they count as others'.
    const mine = new Set<string>();
    if (child && childKey !== undefined) {
      const { found } = child;
      const referenced = (j: number) => found.step.lookups[j]!.toReferenced === true;
      for (let i = 0; i < found.rows.length; i++)
        if (!found.foundBy.every(i, referenced)) mine.add(rowIdentity(found, found.rows[i]!));
    }
    // A collection deleted straight by its lookups was not read: its rows are those a lookup's keys match.
    const direct = child?.direct
      ? child.found.step.lookups.map((l, i) => [l.field, child.found.asked[i]!] as const)
      : [];
    const isMine = (row: Row) =>
      direct.length > 0
        ? direct.some(([field, keys]) => keys.has(String(row[field])))
        : childKey !== undefined && mine.has(rowIdentity(child!.found, row));
    try {
      const connector = await stores.get(link.childDataset);
      const keyColumns = childKey === undefined ? [] : identityColumns(child!.found);
      const columns = [...new Set([...keyColumns, link.field, ...direct.map(([f]) => f)])];
      for await (const batch of connector.readByKeys(link.childName, link.field, fresh, columns, { distinct: true }))
        for (const row of batch) if (!isMine(row)) known.set(String(row[link.field]), true);
    } catch {
      for (const k of fresh) known.set(k, true); // cannot tell: assume referenced, mask instead of delete
    }
  }
  const out: string[] = [];
  for (const k of keys) if (known.get(k)) out.push(k);
  return out;
}
