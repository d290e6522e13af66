/**
 * The rendered notice as plain data: sections of blocks of inline text. The builders decide *what* the notice says
 * from the manifest's facts; the formatters (Markdown, HTML) only decide how it looks. Keeping the two apart lets the
 * same document feed the CLI, `GET /notice` and, later, the diff between two notice versions.
 */
import type { NoticeSection } from "../manifest/types.ts";

/** A run of text: plain, a link (http(s) or mailto only), or emphasised. */
export type Inline =
  | string
  | { readonly kind: "link"; readonly text: string; readonly href: string }
  | { readonly kind: "strong"; readonly text: string };

export type Text = readonly Inline[];

export interface ListItem {
  readonly text: Text;
  readonly items?: readonly ListItem[];
}

/** A term and its description, e.g. "Legal basis" → "Contract …". */
export interface Fact {
  readonly term: string;
  readonly text: Text;
}

export type Block =
  | { readonly kind: "paragraph"; readonly text: Text }
  | { readonly kind: "list"; readonly items: readonly ListItem[] }
  | { readonly kind: "facts"; readonly facts: readonly Fact[] }
  | {
      readonly kind: "table";
      readonly caption: string;
      readonly head: readonly string[];
      readonly rows: readonly (readonly Text[])[];
    }
  | { readonly kind: "subsection"; readonly id: string; readonly title: string; readonly blocks: readonly Block[] };

export interface NoticeSectionDoc {
  readonly key: NoticeSection;
  /** Anchor id, unique in the document (also used by the table of contents). */
  readonly id: string;
  readonly title: string;
  readonly blocks: readonly Block[];
}

export interface NoticeDocument {
  readonly title: string;
  /** Trading name of the controller. */
  readonly organization: string;
  readonly version: string;
  /** YYYY-MM-DD. */
  readonly effective_date: string;
  readonly sections: readonly NoticeSectionDoc[];
  /** Credit for the taxonomy the category names come from. */
  readonly attribution: string;
}

export const link = (text: string, href: string): Inline => ({ kind: "link", text, href });
export const strong = (text: string): Inline => ({ kind: "strong", text });
export const paragraph = (...text: Inline[]): Block => ({ kind: "paragraph", text });
export const list = (items: readonly ListItem[]): Block => ({ kind: "list", items });
export const item = (text: Text, items?: readonly ListItem[]): ListItem =>
  items && items.length > 0 ? { text, items } : { text };

/** Joins runs with a separator, e.g. a list of links separated by ", ". */
export function joinText(parts: readonly Text[], separator = ", "): Text {
  const out: Inline[] = [];
  parts.forEach((p, i) => {
    if (i > 0) out.push(separator);
    out.push(...p);
  });
  return out;
}

/** Turns "privacy@example.com" into a mailto link and "https://…" into a link; anything else stays text. */
export function autoLink(value: string): Inline {
  if (/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value)) return link(value, `mailto:${value}`);
  if (/^https?:\/\/\S+$/.test(value)) return link(value, value);
  return value;
}
