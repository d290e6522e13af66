/**
 * The parent–child links of a manifest: a field that holds a reference to another collection's field makes its rows
 * children of the rows it names (a submission of its enrolment, a view of its lecture, a session of its device by a
 * UNIQUE token that is not the primary key). Erasure keeps a parent while a kept child still names it, and erases
 * children first; retention makes children follow their parent. A reference declared on a primary key to a field
 * that is not one (Fides lets either side carry it) names its child the other way round.
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
  const keys = new Map<string, string>();
  for (const d of manifest.datasets)
    for (const c of d.collections)
      for (const f of c.fields) if (f.primary_key) keys.set(`${d.fides_key}.${c.name}`, f.name);
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
          if (target === here || targetField.includes(".")) continue;
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
