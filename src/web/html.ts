/**
 * HTML by tagged template: every interpolated value is escaped unless it is already `Html` (made by `html` itself or,
 * for markup produced by a trusted renderer such as the notice or Graphviz, by `trusted`). Arrays are joined; `false`,
 * `null` and `undefined` render nothing, so `${cond && html`…`}` reads naturally.
 *
 * @example
 *   html`<p>${name}</p>`            // name "<b>" → <p>&lt;b&gt;</p>
 *   html`<ul>${items.map((i) => html`<li>${i}</li>`)}</ul>`
 */
import { escapeHtml } from "../notice/html-escape.ts";

export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

type Part = Html | string | number | boolean | null | undefined | readonly Part[];

const render = (part: Part): string => {
  if (part === null || part === undefined || part === false || part === true) return "";
  if (part instanceof Html) return part.value;
  if (Array.isArray(part)) return part.map(render).join("");
  return escapeHtml(String(part));
};

export function html(strings: TemplateStringsArray, ...parts: Part[]): Html {
  let out = strings[0] ?? "";
  for (let i = 0; i < parts.length; i++) out += render(parts[i]) + (strings[i + 1] ?? "");
  return new Html(out);
}

/** Markup from a renderer we trust (the notice, Graphviz's SVG); never a value a visitor sent. */
export const trusted = (markup: string): Html => new Html(markup);
