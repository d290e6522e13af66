/**
 * The data map as a Graphviz graph: the datasets (cylinders) in the systems that hold them, every system with its
 * role (ours, processor, third party, other controller) and the countries data goes to outside the EEA, with the
 * transfer mechanism on the edge. Pure: the console draws it with `dotToSvg`.
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
  ];
  const org = manifest.organization?.name ?? "us";
  lines.push(`  org [label=${q(org)}, shape=box, style="filled", fillcolor="#1f2937", fontcolor="white"];`);
  for (const s of manifest.systems) {
    lines.push(
      `  ${q(`system:${s.key}`)} [label=${q(`${s.name}\n(${words.kinds[s.kind] ?? s.kind})`)}, ${STYLE[s.kind] ?? "shape=box"}];`,
    );
    lines.push(`  org -> ${q(`system:${s.key}`)} [arrowhead=none, color="#b1b4b6"];`);
    const mechanisms = s.transfer_mechanisms.join(", ");
    for (const c of s.countries.filter((c) => c !== "EEA" && isThirdCountry(c))) {
      lines.push(`  ${q(`country:${c}`)} [label=${q(c)}, shape=ellipse, style=dashed];`);
      lines.push(`  ${q(`system:${s.key}`)} -> ${q(`country:${c}`)} [label=${q(mechanisms)}, style=dashed];`);
    }
  }
  for (const d of manifest.datasets) {
    lines.push(
      `  ${q(`dataset:${d.fides_key}`)} [label=${q(`${d.fides_key}\n${d.collections.length} collections`)}, shape=cylinder];`,
    );
    if (d.system) lines.push(`  ${q(`dataset:${d.fides_key}`)} -> ${q(`system:${d.system}`)} [arrowhead=none];`);
    else lines.push(`  ${q(`dataset:${d.fides_key}`)} -> org [arrowhead=none];`);
  }
  lines.push("}");
  return lines.join("\n");
}
