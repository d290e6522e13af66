/**
 * The notice as CommonMark/GitHub Markdown. Anchors are the slugs GitHub derives from the headings, so the table of
 * contents and in-page links work where the file is shown (a repository, a docs site). Text from the manifest is
 * escaped so that it cannot open HTML tags or change the document's structure.
 */
import type { Block, Inline, ListItem, NoticeDocument, Text } from "./notice-document.ts";
import { dateInWords } from "./plain-words.ts";

/** GitHub's heading slugs: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
export function createSlugger(): (heading: string) => string {
  const seen = new Map<string, number>();
  return (heading) => {
    const base = heading
      .toLowerCase()
      .replaceAll(/[^\p{L}\p{N}\s_-]/gu, "")
      .replaceAll(/\s/g, "-");
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    return n === 0 ? base : `${base}-${n}`;
  };
}

/** Escapes what would start an HTML tag or a link; keeps the text readable otherwise. */
const escapeText = (s: string): string =>
  s
    .replaceAll(/\s*\n\s*/g, " ")
    .replaceAll(/<(?=[A-Za-z/!?])/g, "&lt;")
    .replaceAll(/[[\]]/g, (c) => `\\${c}`);

/** A paragraph must not start like a heading, list, quote or code fence. */
const escapeStart = (s: string): string => s.replace(/^(#|>|[-+*]\s|\d+[.)]\s|```|~~~)/, "\\$1");

const escapeHref = (href: string): string => href.replaceAll(" ", "%20").replaceAll("(", "%28").replaceAll(")", "%29");

/** Document ids → heading slugs, so that in-page links follow the Markdown's own anchors. */
type Anchors = ReadonlyMap<string, string>;

/** Gives every heading its slug in document order (the order GitHub numbers repeated slugs in). */
function collectAnchors(doc: NoticeDocument): Anchors {
  const slug = createSlugger();
  slug(doc.title);
  slug("Contents");
  const map = new Map<string, string>();
  const visit = (blocks: readonly Block[]) => {
    for (const b of blocks)
      if (b.kind === "subsection") {
        map.set(b.id, slug(b.title));
        visit(b.blocks);
      }
  };
  for (const s of doc.sections) {
    map.set(s.id, slug(s.title));
    visit(s.blocks);
  }
  return map;
}

function inline(i: Inline, anchors: Anchors): string {
  if (typeof i === "string") return escapeText(i);
  if (i.kind === "strong") return `**${escapeText(i.text)}**`;
  const href = i.href.startsWith("#") ? `#${anchors.get(i.href.slice(1)) ?? i.href.slice(1)}` : i.href;
  return `[${escapeText(i.text)}](${escapeHref(href)})`;
}

const text = (t: Text, a: Anchors): string => t.map((i) => inline(i, a)).join("");

function listMd(items: readonly ListItem[], a: Anchors, indent = ""): string[] {
  return items.flatMap((it) => [
    `${indent}- ${text(it.text, a)}`,
    ...(it.items ? listMd(it.items, a, `${indent}  `) : []),
  ]);
}

function block(b: Block, level: number, a: Anchors): string {
  switch (b.kind) {
    case "paragraph":
      return escapeStart(text(b.text, a));
    case "list":
      return listMd(b.items, a).join("\n");
    case "facts":
      return b.facts.map((f) => `- **${escapeText(f.term)}:** ${text(f.text, a)}`).join("\n");
    case "table":
      return [
        `*${escapeText(b.caption)}*`,
        "",
        `| ${b.head.map(escapeText).join(" | ")} |`,
        `| ${b.head.map(() => "---").join(" | ")} |`,
        ...b.rows.map((r) => `| ${r.map((c) => text(c, a).replaceAll("|", "\\|")).join(" | ")} |`),
      ].join("\n");
    case "subsection":
      return [
        `${"#".repeat(Math.min(level + 1, 6))} ${escapeText(b.title)}`,
        ...b.blocks.map((x) => block(x, level + 1, a)),
      ].join("\n\n");
  }
}

/** @example formatNoticeMarkdown(buildNotice(manifest)) // "# Privacy notice\n\n…" */
export function formatNoticeMarkdown(doc: NoticeDocument): string {
  const a = collectAnchors(doc);
  const toc = doc.sections.map((s, i) => `${i + 1}. [${escapeText(s.title)}](#${a.get(s.id)})`);
  const body = doc.sections.flatMap((s) => [`## ${escapeText(s.title)}`, ...s.blocks.map((b) => block(b, 2, a))]);
  return `${[
    `# ${escapeText(doc.title)}`,
    `**${escapeText(doc.organization)}** · Version ${escapeText(doc.version)} · In force from ${dateInWords(doc.effective_date)}`,
    "## Contents",
    toc.join("\n"),
    ...body,
    "---",
    `${escapeText(doc.attribution)} ([source](https://github.com/ethyca/fideslang), ` +
      "[licence](https://creativecommons.org/licenses/by/4.0/)); the names of the data categories come from it.",
  ].join("\n\n")}\n`;
}
