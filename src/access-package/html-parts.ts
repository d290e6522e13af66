/** Small HTML builders the report's sections share. Every argument named `text` is escaped here; `html` is not. */
import { escapeHtml as esc, isSafeHref } from "../notice/html-escape.ts";

/** A stable, valid id from keys ("learning_app.users" → "learning_app-users"). */
export const anchorId = (prefix: string, key: string): string =>
  `${prefix}--${key.replaceAll(/[^A-Za-z0-9_-]+/g, "-")}`;

export function section(id: string, level: 2 | 3, title: string, html: string, className = ""): string {
  const cls = className ? ` class="${className}"` : "";
  return (
    `<section id="${esc(id)}"${cls} aria-labelledby="${esc(id)}-title">\n` +
    `<h${level} id="${esc(id)}-title">${esc(title)}</h${level}>\n${html}\n</section>`
  );
}

export const paragraph = (html: string, className = ""): string =>
  `<p${className ? ` class="${className}"` : ""}>${html}</p>`;

export const list = (items: readonly string[], className = ""): string =>
  `<ul${className ? ` class="${className}"` : ""}>${items.map((i) => `<li>${i}</li>`).join("")}</ul>`;

/** A definition list of [term (text), description (html)]. */
export const facts = (pairs: readonly (readonly [string, string])[]): string =>
  `<dl>${pairs.map(([t, d]) => `<div><dt>${esc(t)}</dt><dd>${d}</dd></div>`).join("")}</dl>`;

/** A link when the address is a web or mail link, else the text alone (never javascript: or data:). */
export const link = (text: string, href: string): string =>
  isSafeHref(href) ? `<a href="${esc(href)}">${esc(text)}</a>` : esc(text);

export const mailLink = (email: string): string => link(email, `mailto:${email}`);

export interface Column {
  readonly text: string;
  /** What the column means, shown on hover. */
  readonly help?: string;
}

const th = (c: Column): string => `<th scope="col"${c.help ? ` title="${esc(c.help)}"` : ""}>${esc(c.text)}</th>`;

/** A horizontally scrollable table with a caption; `rows` are whole `<tr>` elements. */
export function table(caption: string, head: readonly Column[], rows: readonly string[], className: string): string {
  return (
    `<div class="table-wrap" role="region" aria-label="${esc(caption)}" tabindex="0"><table class="${className}">` +
    `<caption>${esc(caption)}</caption><thead><tr>${head.map(th).join("")}</tr></thead>` +
    `<tbody>\n${rows.join("\n")}\n</tbody></table></div>`
  );
}
