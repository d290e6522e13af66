/**
 * Look-ups over a Manifest that the notice and the Art. 30 records share: names for keys, which retention rules
 * cover which categories, for which controllers we act as processor. Pure functions, no I/O.
 */
import type { Collection, Field, Manifest, Purpose, RetentionRule, System } from "../manifest/types.ts";

/** True when `key` is `ancestor` or lies below it ("user.contact.email" is within "user.contact"). */
export const isWithin = (key: string, ancestor: string): boolean => key === ancestor || key.startsWith(`${ancestor}.`);

/** Taxonomy name of a data category, or the key itself when the taxonomy does not know it. */
export const categoryName = (m: Manifest, key: string): string => m.taxonomy.data_categories.get(key)?.name ?? key;
export const subjectName = (m: Manifest, key: string): string => m.taxonomy.data_subjects.get(key)?.name ?? key;
export const useName = (m: Manifest, key: string): string => m.taxonomy.data_uses.get(key)?.name ?? key;

export const systemOf = (m: Manifest, key: string): System | undefined => m.systems.find((s) => s.key === key);
export const systemName = (m: Manifest, key: string): string => systemOf(m, key)?.name ?? key;

/** Distinct values in first-seen order. */
export const distinct = <T>(values: Iterable<T>): T[] => [...new Set(values)];

/**
 * Retention rules that say how long some of these categories are kept: a rule covers a category when one of its
 * categories equals it, contains it (a parent covers its children) or lies below it (the purpose names a parent,
 * the rule one of its children).
 */
export function rulesCovering(m: Manifest, categories: readonly string[]): RetentionRule[] {
  return m.retention.filter((r) =>
    r.data_categories.some((rc) => categories.some((c) => isWithin(c, rc) || isWithin(rc, c))),
  );
}

function fieldCategories(fields: readonly Field[], out: string[]): void {
  for (const f of fields) {
    out.push(...f.data_categories);
    fieldCategories(f.fields, out);
  }
}

/** Every category a collection holds: its own plus its fields' (nested fields included). */
export function collectionCategories(c: Collection): string[] {
  const out = [...c.data_categories];
  fieldCategories(c.fields, out);
  return distinct(out);
}

/** Every data category the manifest mentions about people (purposes, sources, systems, stored fields), sorted. */
export function personalCategories(m: Manifest): string[] {
  const all: string[] = [];
  for (const p of m.purposes) all.push(...p.data_categories);
  for (const s of m.sources) all.push(...s.data_categories);
  for (const s of m.systems) all.push(...s.data_categories);
  for (const d of m.datasets) {
    all.push(...d.data_categories);
    for (const c of d.collections) all.push(...collectionCategories(c));
  }
  return distinct(all)
    .filter((k) => isWithin(k, "user"))
    .sort();
}

/** Where the organization acts as processor: the controller system keys, in first-seen order. */
export function controllersWeServe(m: Manifest): string[] {
  const keys: string[] = [];
  for (const p of m.purposes) if (p.processor_for) keys.push(p.processor_for);
  for (const d of m.datasets) {
    if (d.processor_for) keys.push(d.processor_for);
    for (const c of d.collections) if (c.processor_for) keys.push(c.processor_for);
  }
  return distinct(keys);
}

/** Collections held as processor for `controller`, as "dataset.collection" (a whole dataset lists all of its own). */
export function holdingsFor(m: Manifest, controller: string): { name: string; collection: Collection }[] {
  const out: { name: string; collection: Collection }[] = [];
  for (const d of m.datasets)
    for (const c of d.collections)
      if ((c.processor_for ?? d.processor_for) === controller)
        out.push({ name: `${d.fides_key}.${c.name}`, collection: c });
  return out;
}

/** Purposes in a notice section ("how_we_use" unless the purpose says otherwise). */
export const purposesIn = (m: Manifest, section: Purpose["notice_section"]): Purpose[] =>
  m.purposes.filter((p) => p.notice_section === section);
