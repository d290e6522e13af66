/**
 * Builds an update's request body from the values to set, each written where its field's pointer says: a nested JSON
 * object, or a form body with bracketed keys (`address[city]=…`), the encoding Stripe's API takes. In a form body an
 * empty value clears a field, so `null` (the "null" mask strategy) is sent as "".
 *
 * @example
 *   buildBody("form", [["/address/city", "Lyon"], ["/name", null]]); // "address%5Bcity%5D=Lyon&name="
 */
import { pointerTokens } from "./json-pointer.ts";

export interface RequestBody {
  readonly contentType: string;
  readonly text: string;
}

export function buildBody(encoding: "json" | "form", values: readonly (readonly [string, unknown])[]): RequestBody {
  if (encoding === "json") {
    const root: Record<string, unknown> = {};
    for (const [pointer, value] of values) {
      const tokens = pointerTokens(pointer);
      let node = root;
      for (const token of tokens.slice(0, -1)) {
        if (typeof node[token] !== "object" || node[token] === null) node[token] = {};
        node = node[token] as Record<string, unknown>;
      }
      node[tokens.at(-1) ?? ""] = value;
    }
    return { contentType: "application/json", text: JSON.stringify(root) };
  }
  const form = new URLSearchParams();
  for (const [pointer, value] of values) {
    const [first = "", ...rest] = pointerTokens(pointer);
    appendForm(form, first + rest.map((t) => `[${t}]`).join(""), value);
  }
  return { contentType: "application/x-www-form-urlencoded", text: form.toString() };
}

function appendForm(form: URLSearchParams, key: string, value: unknown): void {
  if (value !== null && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) appendForm(form, `${key}[${k}]`, v);
  } else form.append(key, value === null || value === undefined ? "" : String(value));
}
