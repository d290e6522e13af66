/**
 * The data map as a Graphviz graph: the datasets (cylinders) joined to the systems that hold them, every system with
 * its role (ours, processor, third party, other controller), and the countries outside the EEA data goes to, each
 * with the transfer mechanisms that cover it. Pure: the console draws it with `dotToSvg`.
 */
import { isThirdCountry } from "../manifest/third-country.ts";
import type { Manifest } from "../manifest/types.ts";

const q = (s: string) => `"${s.replaceAll("\\", "\\\\").replaceAll('"', '\\"')}"`;

const STYLE: Readonly<Record<string, string>> = {
  internal: 'shape=box, style="rounded,filled", fillcolor="#dbeafe"',
  processor: 'shape=box, style="rounded,filled", fillcolor="#f3f2f1"',
  third_party: 'shape=box, style="rounded,filled", fillcolor="#fff4e0"',
  controller: 'shape=box, style="rounded,filled", fillcolor="#fdecea"',
};

export function dataMapDot(manifest: Manifest, words: { readonly kinds: Readonly<Record<string, string>> }): string {
  const lines = [
    "digraph datamap {",
    '  graph [rankdir=LR, fontname="Helvetica", fontsize=12, nodesep=0.25, ranksep=0.6];',
    '  node [fontname="Helvetica", fontsize=11];',
    '  edge [fontname="Helvetica", fontsize=10, color="#484949"];',
    `  label=${q(manifest.organization?.name ?? "")}; labelloc=t;`,
  ];
  // One node per destination country and set of mechanisms: the edges into it carry no label, the node says how.
  for (const s of manifest.systems) {
    lines.push(
      `  ${q(`system:${s.key}`)} [label=${q(`${s.name}\n(${words.kinds[s.kind] ?? s.kind})`)}, ${STYLE[s.kind] ?? "shape=box"}];`,
    );
    for (const c of s.countries.filter((c) => c !== "EEA" && isThirdCountry(c))) {
      const how = [...s.transfer_mechanisms].sort();
      const node = `country:${c}:${how.join("+")}`;
      lines.push(`  ${q(node)} [label=${q([c, ...how].join("\n"))}, shape=note, style=dashed];`);
      lines.push(`  ${q(`system:${s.key}`)} -> ${q(node)} [style=dashed];`);
    }
  }
  for (const d of manifest.datasets) {
    lines.push(
      `  ${q(`dataset:${d.fides_key}`)} [label=${q(`${d.fides_key}\n${d.collections.length} collections`)}, shape=cylinder];`,
    );
    if (d.system) lines.push(`  ${q(`dataset:${d.fides_key}`)} -> ${q(`system:${d.system}`)} [arrowhead=none];`);
  }
  lines.push("}");
  return lines.join("\n");
}
