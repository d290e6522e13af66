/** Human-readable and Graphviz renderings of a Plan (pure). */
import type { CollectionStep, KeySource, Plan } from "./plan.ts";

const source = (s: KeySource) =>
  s.kind === "identity"
    ? `identity ${s.identity}`
    : s.kind === "expansion"
      ? `${s.collection}.${s.field} (same person's ${s.identity})`
      : `${s.collection}.${s.field}`;

function treatment(step: CollectionStep): string[] {
  const t = step.treatment;
  if (!t) return [];
  switch (t.kind) {
    case "delete_rows":
      return [`    erase: delete the rows — ${t.why}`];
    case "keep_rows":
      return [`    erase: keep the rows — ${t.why}`];
    case "no_personal_data":
      return [`    erase: nothing — ${t.why}`];
    case "mask_fields":
      return [
        `    erase: mask fields — ${t.why}`,
        ...t.fields.map((f) =>
          f.kind === "mask"
            ? `      ${f.field}: mask (${f.strategy}${f.value ? ` "${f.value}"` : ""}) — ${f.why}`
            : `      ${f.field}: keep — ${f.why}`,
        ),
      ];
  }
}

/** `steward plan --explain`: every step with its keys, the fields read, and for erasure what happens and why. */
export function explainPlan(plan: Plan): string {
  const lines = [
    `${plan.action} plan for identities: ${plan.identities.join(", ") || "(none)"}${plan.categories.length > 0 ? `; categories: ${plan.categories.join(", ")}` : ""}`,
    `${plan.steps.length} collection(s) in ${plan.action === "erasure" ? "erasure order (children before parents)" : "read order"}:`,
  ];
  plan.steps.forEach((s, i) => {
    lines.push(`${String(i + 1).padStart(3)}. ${s.collection}`);
    lines.push(`    found by: ${s.lookups.map((l) => `${l.field} ← ${source(l.source)}`).join("; ")}`);
    if (plan.action !== "erasure") lines.push(`    reads: ${s.read.join(", ") || "(no personal field)"}`);
    lines.push(...treatment(s));
    for (const l of s.lookups)
      if (l.only) lines.push(`    rows found only by ${l.field}: mask ${l.field} (${l.only.strategy}) — ${l.only.why}`);
    if (plan.action === "erasure" && s.treatment?.kind !== "no_personal_data") {
      const shared = s.lookups.filter((l) => l.toReferenced).map((l) => `${l.field} ← ${source(l.source)}`);
      if (shared.length > 0 && shared.length === s.lookups.length)
        lines.push(`    rows named by other people's rows too are kept whole (found through ${shared.join("; ")})`);
      else if (shared.length > 0)
        lines.push(
          `    rows found only through ${shared.join("; ")} are kept whole while other people's rows name them`,
        );
    }
    for (const x of s.exemptions)
      lines.push(
        `    exemption ${x.exemption}${
          x.where
            ? ` where ${Object.entries(x.where)
                .map(([k, v]) => `${k} = ${v}`)
                .join(" and ")}`
            : ""
        }: ${x.reason}`,
      );
  });
  if (plan.unreached.length > 0)
    lines.push(
      `unreached (personal data these identities cannot reach; the request goes on without them): ${plan.unreached.join(", ")}`,
    );
  for (const c of plan.cycles) lines.push(`cycle (not looped; kept in traversal order): ${c.join(" → ")}`);
  return `${lines.join("\n")}\n`;
}

/** Graphviz DOT: collections as nodes, lookups as edges labelled with the field they match. */
export function planToDot(plan: Plan): string {
  // Backslashes first: a name ending in one must not end the quoted string (and add attributes such as URL=).
  const q = (s: string) => `"${s.replaceAll("\\", "\\\\").replaceAll('"', '\\"')}"`;
  // Helvetica, not "sans-serif": Graphviz sizes boxes from the metrics of the PostScript fonts it knows and measures
  // an unknown name as Times, so sans text drawn by a browser overflowed its box.
  const lines = [
    `digraph plan {`,
    `  rankdir=LR;`,
    `  node [shape=box, fontname="Helvetica"];`,
    `  edge [fontname="Helvetica", fontsize=10];`,
  ];
  for (const id of plan.identities) lines.push(`  ${q(`identity:${id}`)} [shape=ellipse, label=${q(id)}];`);
  for (const s of plan.steps) {
    const fill =
      s.treatment?.kind === "delete_rows" ? "#f8d7da" : s.treatment?.kind === "keep_rows" ? "#d1e7dd" : "#ffffff";
    lines.push(`  ${q(s.collection)} [style=filled, fillcolor=${q(fill)}];`);
    for (const l of s.lookups)
      lines.push(
        `  ${q(l.source.kind === "identity" ? `identity:${l.source.identity}` : l.source.collection)} -> ${q(s.collection)} [label=${q(l.field)}];`,
      );
  }
  for (const u of plan.unreached) lines.push(`  ${q(u)} [style=dashed, label=${q(`${u}\n(unreached)`)}];`);
  lines.push("}");
  return `${lines.join("\n")}\n`;
}
