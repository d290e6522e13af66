/** A notice diff as Markdown (a headline, then one line per change with its materiality and reason) or JSON. */
import { ENGLISH, type Translator } from "../i18n/translate.ts";
import { type NoticeDiff, sayChange } from "./diff-notice.ts";

export const DIFF_FORMATS = ["md", "json"] as const;
export type DiffFormat = (typeof DIFF_FORMATS)[number];

export function formatNoticeDiff(diff: NoticeDiff, format: DiffFormat, t: Translator = ENGLISH): string {
  if (format === "json")
    return `${JSON.stringify({ ...diff, changes: diff.changes.map((c) => ({ ...c, summary: sayChange(t, c) })) }, null, 2)}\n`;
  const material = diff.changes.filter((c) => c.material).length;
  const lines = [
    `# Notice changes${diff.from || diff.to ? `: ${diff.from ?? "?"} → ${diff.to ?? "?"}` : ""}`,
    "",
    diff.changes.length ? t.plural("diff.headline", diff.changes.length, { material }) : t.t("diff.none"),
    "",
  ];
  for (const c of [...diff.changes].sort((a, b) => Number(b.material) - Number(a.material)))
    lines.push(`- **${t.t(c.material ? "diff.material" : "diff.not_material")}** — ${sayChange(t, c)} _(${c.reason})_`);
  return `${lines.join("\n")}\n`;
}
