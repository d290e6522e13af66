/**
 * A stored value as a person reads it in the report: text as written, yes/no for flags, dates in words, lists and
 * nested objects as small lists (never raw JSON). Everything is HTML-escaped: the values come from users.
 */
import { escapeHtml as esc } from "../notice/html-escape.ts";
import { dateInWords, humanize } from "../notice/plain-words.ts";

/** Abbreviations common in column names that `humanize` leaves in lower case. */
const ABBREVIATIONS: Readonly<Record<string, string>> = {
  ip: "IP",
  url: "URL",
  uri: "URI",
  utc: "UTC",
  os: "OS",
  sms: "SMS",
};

/** A field or key name as a label: "ip_address" → "IP address", "profile_payload.name" → "Profile payload name". */
export const label = (name: string): string =>
  humanize(
    name
      .split(/([_.-]+)/)
      .map((w) => ABBREVIATIONS[w] ?? w)
      .join(""),
  );

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const UTC_TIME = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})(:\d{2}(\.\d+)?)?(Z|[+-]00:?00)$/;

/** "2025-03-12" → "12 March 2025"; "2025-03-12T14:03:09Z" → "12 March 2025, 14:03 UTC"; other text as it is. */
export function textInWords(text: string): string {
  if (DATE.test(text)) return dateInWords(text);
  const t = UTC_TIME.exec(text);
  return t ? `${dateInWords(t[1]!)}, ${t[2]} UTC` : text;
}

const EMPTY = `<span class="none" title="no value">—</span>`;

/** The HTML for one value; `title` keeps the stored text of a date shown in words. */
export function valueHtml(value: unknown): string {
  if (value === null || value === undefined || value === "") return EMPTY;
  if (typeof value === "boolean") return value ? "Yes" : "No";
  if (typeof value === "string") {
    const words = textInWords(value);
    if (words !== value) return `<time datetime="${esc(value)}">${esc(words)}</time>`;
    // Line breaks the person typed (an address, a bio) stay line breaks.
    return value.includes("\n") ? `<span class="lines">${esc(value)}</span>` : esc(value);
  }
  if (Array.isArray(value)) {
    if (value.length === 0) return EMPTY;
    return `<ul class="value-list">${value.map((v) => `<li>${valueHtml(v)}</li>`).join("")}</ul>`;
  }
  if (typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0) return EMPTY;
    const items = entries.map(([k, v]) => `<div><dt>${esc(label(k))}</dt><dd>${valueHtml(v)}</dd></div>`);
    return `<dl class="value-object">${items.join("")}</dl>`;
  }
  return esc(String(value));
}
