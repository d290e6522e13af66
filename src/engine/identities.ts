/**
 * Identity values of a request, from `--identity TYPE=VALUE` pairs or an `--identities` file (one person per line,
 * several identities of the same person separated by spaces; empty lines and `#` comments skipped). Pure: the CLI
 * reads the file. Types are checked against the identity types the manifest declares.
 */
import { stewardError } from "../errors.ts";
import type { Manifest } from "../manifest/types.ts";
import { buildReferenceGraph } from "../plan/reference-graph.ts";

/** One person's identities: type → values. */
export type Person = Map<string, string[]>;

export function knownIdentityTypes(manifest: Manifest): string[] {
  return [...new Set(buildReferenceGraph(manifest.datasets).seeds.map((s) => s.identity))].sort();
}

/** Parses `TYPE=VALUE` pairs into one person; an unknown type is STW_ENGINE_UNKNOWN_IDENTITY. */
export function parseIdentityPairs(pairs: readonly string[], known: readonly string[]): Person {
  const person: Person = new Map();
  for (const pair of pairs) {
    const at = pair.indexOf("=");
    const type = at > 0 ? pair.slice(0, at) : "";
    const value = at > 0 ? pair.slice(at + 1) : "";
    if (!type || !value)
      throw stewardError("STW_CLI_BAD_OPTION", {
        option: "--identity",
        value: type ? `${type}=` : "(no TYPE=)",
        allowed: known.map((k) => `${k}=VALUE`),
      });
    if (!known.includes(type)) throw stewardError("STW_ENGINE_UNKNOWN_IDENTITY", { value: type, allowed: known });
    person.set(type, [...(person.get(type) ?? []), value]);
  }
  return person;
}

/** Parses an identities file: one person per line. Never echoes a value back in an error. */
export function parseIdentityLines(text: string, file: string, known: readonly string[]): Person[] {
  const people: Person[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) return;
    const pairs = line.split(/\s+/);
    if (pairs.some((p) => !/^[^=\s]+=\S+$/.test(p)))
      throw stewardError("STW_ENGINE_BAD_IDENTITY_LINE", { file, line: i + 1, allowed: known });
    people.push(parseIdentityPairs(pairs, known));
  });
  return people;
}

/** Many people's identities as one set per type: what a batch erasure looks up in one pass. */
export function unite(people: readonly Person[]): Map<string, string[]> {
  const all = new Map<string, Set<string>>();
  for (const person of people)
    for (const [type, values] of person) {
      const set = all.get(type) ?? new Set<string>();
      for (const v of values) set.add(v);
      all.set(type, set);
    }
  return new Map([...all].map(([t, s]) => [t, [...s]]));
}
