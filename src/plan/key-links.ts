/**
 * The parent–child links of a manifest: a field that holds another collection's primary key makes its rows children
 * of the rows it names (a submission of its enrolment, a view of its lecture). Erasure keeps a parent while a kept
 * child still names it; retention makes children follow their parent.
 */
import type { Manifest } from "../manifest/types.ts";

export interface KeyLink {
  readonly child: string;
  readonly childName: string;
  readonly childDataset: string;
  readonly field: string;
  readonly parent: string;
  readonly parentKey: string;
}

export function keyLinks(manifest: Manifest): KeyLink[] {
  const keys = new Map<string, string>();
  for (const d of manifest.datasets)
    for (const c of d.collections)
      for (const f of c.fields) if (f.primary_key) keys.set(`${d.fides_key}.${c.name}`, f.name);
  const links: KeyLink[] = [];
  for (const d of manifest.datasets)
    for (const c of d.collections)
      for (const f of c.fields)
        for (const r of f.references) {
          const [name = "", ...rest] = r.field.split(".");
          const parent = `${r.dataset}.${name}`;
          if (keys.get(parent) !== rest.join(".") || parent === `${d.fides_key}.${c.name}`) continue;
          links.push({
            child: `${d.fides_key}.${c.name}`,
            childName: c.name,
            childDataset: d.fides_key,
            field: f.name,
            parent,
            parentKey: rest.join("."),
          });
        }
  return links;
}
