/**
 * JSON pointers (RFC 6901), the way a processor spec says where a value sits in a vendor's response: `""` is the whole
 * document, `/address/city` steps into keys, `~1` stands for "/" and `~0` for "~". The spec validates the syntax; these
 * helpers only walk it.
 *
 * @example
 *   valueAt({ data: [{ id: "cus_1" }] }, "/data/0/id"); // "cus_1"
 *   pointerTokens("/address/line1"); // ["address", "line1"]
 */

/** The keys a pointer steps through, unescaped. */
export function pointerTokens(pointer: string): string[] {
  if (pointer === "") return [];
  return pointer
    .slice(1)
    .split("/")
    .map((t) => t.replaceAll("~1", "/").replaceAll("~0", "~"));
}

/** The value at `pointer`, or undefined when a step does not exist. */
export function valueAt(document: unknown, pointer: string): unknown {
  let current = document;
  for (const token of pointerTokens(pointer)) {
    if (current === null || typeof current !== "object" || !Object.hasOwn(current, token)) return undefined;
    current = (current as Record<string, unknown>)[token];
  }
  return current;
}

/** True when every pointer of `expected` holds its value in `document` (an empty condition always holds). */
export function matchesAll(document: unknown, expected: Readonly<Record<string, unknown>>): boolean {
  return Object.entries(expected).every(([pointer, value]) => valueAt(document, pointer) === value);
}
