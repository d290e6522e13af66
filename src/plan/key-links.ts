/**
 * The parent–child links of a manifest: a field that holds a reference to another collection's field makes its rows
 * children of the rows it names (a submission of its enrolment, a view of its lecture, a session of its device by a
 * UNIQUE token that is not the primary key). Erasure keeps a parent while a kept child still names it, and erases
 * children first (`eraseOrder` orders by these links and nothing else); retention makes children follow their parent.
 * A reference declared on a collection's only primary-key field to a field that is not the other collection's only
 * primary-key field (Fides lets either side carry it: `users.id → marks.user_id`) names its child the other way round.
 * A field that is one part of a composite key holds a reference like any other field: its collection is the child.
 * A collection's reference to itself (`customer.manager_id → customer.id`) is a link too, its child and parent the
 * same collection: erasure asks who else still names a row through it (another customer's manager).
 */
import type { Manifest } from "../manifest/types.ts";

export interface KeyLink {
  readonly child: string;
  readonly childName: string;
  readonly childDataset: string;
  readonly field: string;
  readonly parent: string;
  /** The parent's field the child's field names: its primary key, or another (unique) column. */
  readonly parentKey: string;
}

export function keyLinks(manifest: Manifest): KeyLink[] {
  // Each collection's only primary-key field; a collection with a composite key (or none) has none here.
  const keys = new Map<string, string>();
  for (const d of manifest.datasets)
    for (const c of d.collections) {
      const primary = c.fields.filter((f) => f.primary_key);
      if (primary.length === 1) keys.set(`${d.fides_key}.${c.name}`, primary[0]!.name);
    }
  const links: KeyLink[] = [];
  const seen = new Set<string>();
  const push = (link: KeyLink) => {
    const id = `${link.child}.${link.field}>${link.parent}.${link.parentKey}`;
    if (seen.has(id)) return;
    seen.add(id);
    links.push(link);
  };
  for (const d of manifest.datasets)
    for (const c of d.collections)
      for (const f of c.fields)
        for (const r of f.references) {
          const [name = "", ...rest] = r.field.split(".");
          const target = `${r.dataset}.${name}`;
          const targetField = rest.join(".");
          const here = `${d.fides_key}.${c.name}`;
          if (targetField.includes(".")) continue;
          const reversed = keys.get(here) === f.name && keys.get(target) !== targetField;
          if (reversed)
            push({
              child: target,
              childName: name,
              childDataset: r.dataset,
              field: targetField,
              parent: here,
              parentKey: f.name,
            });
          else
            push({
              child: here,
              childName: c.name,
              childDataset: d.fides_key,
              field: f.name,
              parent: target,
              parentKey: targetField,
            });
        }
  return links;
}
