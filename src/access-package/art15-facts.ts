/**
 * What GDPR Art. 15(1) and 15(2) say a person must be told about each kind of their data that we hold: why we use it
 * and on which legal basis, who receives it (and where, with which safeguard), how long it is kept, where it came
 * from, and any automated decision made with it. Derived from the manifest alone (pure, no I/O), so that the access
 * package, its tests and any other caller agree.
 *
 * A manifest fact covers a category when the two keys overlap in the taxonomy: a purpose for "user.contact" covers
 * the "user.contact.email" found in the data, and a purpose for "user.contact.email" says something about data
 * classified only as "user.contact" — the same rule `rulesCovering` applies for the notice and the Art. 30 records.
 */
import { isWithin } from "../manifest/taxonomy/build-taxonomy.ts";
import { thirdCountries } from "../manifest/third-country.ts";
import type {
  AutomatedDecision,
  LegalBasis,
  Manifest,
  Purpose,
  RetentionRule,
  SourceKind,
  SystemKind,
  TransferMechanism,
} from "../manifest/types.ts";
import { categoryName, distinct, rulesCovering, systemName, systemOf } from "../notice/manifest-facts.ts";
import { retentionInWords } from "../notice/retention-in-words.ts";

export interface PurposeFact {
  readonly key: string;
  readonly name: string;
  readonly description: string;
  /** Absent when the manifest declares none, or when we act as processor and the controller decides it. */
  readonly legal_basis?: LegalBasis;
  /** The controller we act for, when this processing is done as its processor (Art. 28). */
  readonly processor_for?: { readonly key: string; readonly name: string };
  readonly automated_decision?: AutomatedDecision;
  /** Keys of the outside systems the purpose discloses data to (our own systems left out). */
  readonly recipients: readonly string[];
}

export interface RecipientFact {
  readonly key: string;
  readonly name: string;
  readonly kind: SystemKind;
  /** ISO 3166-1 alpha-2 codes, or "EEA". */
  readonly countries: readonly string[];
  /** Countries outside the EEA: each is a transfer that needs a safeguard (Art. 15(2)). */
  readonly third_countries: readonly string[];
  readonly transfer_mechanisms: readonly TransferMechanism[];
  readonly privacy_policy?: string;
}

export interface RetentionFact {
  readonly key: string;
  readonly description: string;
  readonly reason: string;
  /** The period and what happens at its end, in words ("while the account exists …, then deleted"). */
  readonly how_long: string;
  /** "dataset.collection" the rule is limited to; empty = wherever the category lives. */
  readonly collections: readonly string[];
}

export interface SourceFact {
  readonly key: string;
  readonly name: string;
  readonly description: string;
  readonly kind: SourceKind;
  /** The system the data comes from, when it comes from outside. */
  readonly system?: { readonly key: string; readonly name: string };
}

export interface CategoryFacts {
  readonly category: string;
  /** Taxonomy name, or the key when the taxonomy does not know it. */
  readonly name: string;
  readonly description: string;
  /** "dataset.collection" where the category was found (empty when the caller did not say). */
  readonly found_in: readonly string[];
  readonly purposes: readonly PurposeFact[];
  readonly recipients: readonly RecipientFact[];
  readonly retention: readonly RetentionFact[];
  readonly sources: readonly SourceFact[];
}

const overlaps = (a: string, b: string): boolean => isWithin(a, b) || isWithin(b, a);
const covers = (declared: readonly string[], category: string): boolean => declared.some((d) => overlaps(d, category));

function purposeFact(m: Manifest, p: Purpose): PurposeFact {
  return {
    key: p.key,
    name: p.name,
    description: p.description,
    ...(p.legal_basis && !p.processor_for ? { legal_basis: p.legal_basis } : {}),
    ...(p.processor_for ? { processor_for: { key: p.processor_for, name: systemName(m, p.processor_for) } } : {}),
    ...(p.automated_decision ? { automated_decision: p.automated_decision } : {}),
    recipients: p.recipients.filter((k) => systemOf(m, k)?.kind !== "internal"),
  };
}

/**
 * The systems the purposes disclose the category to. Our own systems are where the data lives, not recipients; a
 * system that lists the categories it receives gets this one only when the lists overlap.
 */
function recipients(m: Manifest, purposes: readonly Purpose[], category: string): RecipientFact[] {
  const out: RecipientFact[] = [];
  for (const key of distinct(purposes.flatMap((p) => p.recipients))) {
    const s = systemOf(m, key);
    if (s?.kind === "internal") continue;
    if (s && s.data_categories.length > 0 && !covers(s.data_categories, category)) continue;
    const countries = s?.countries ?? [];
    out.push({
      key,
      name: s?.name ?? key,
      kind: s?.kind ?? "third_party",
      countries,
      third_countries: thirdCountries(countries),
      transfer_mechanisms: s?.transfer_mechanisms ?? [],
      ...(s?.privacy_policy ? { privacy_policy: s.privacy_policy } : {}),
    });
  }
  return out;
}

/** A rule limited to some collections applies when the category was found in one of them (or we do not know where). */
function applies(rule: RetentionRule, foundIn: readonly string[]): boolean {
  return rule.collections.length === 0 || foundIn.length === 0 || rule.collections.some((c) => foundIn.includes(c));
}

/**
 * The Art. 15 facts of each category, in the order given.
 *
 * @param categories taxonomy keys (duplicates are dropped).
 * @param foundIn where each category was found ("dataset.collection"); narrows retention rules that name collections.
 * @example
 *   const [email] = art15Facts(manifest, ["user.contact.email"], new Map([["user.contact.email", ["app.users"]]]));
 *   email.purposes.map((p) => p.legal_basis); // ["contract", "legitimate_interests", …]
 */
export function art15Facts(
  manifest: Manifest,
  categories: readonly string[],
  foundIn: ReadonlyMap<string, readonly string[]> = new Map(),
): CategoryFacts[] {
  const known = KNOWN.get(manifest) ?? new Map<string, CategoryFacts>();
  KNOWN.set(manifest, known);
  return distinct(categories).map((category) => {
    const where = foundIn.get(category) ?? [];
    // The facts are the manifest's alone: a worker answering thousands of requests works each out once.
    const key = `${category}\n${where.join("\n")}`;
    let facts = known.get(key);
    if (!facts) {
      facts = Object.freeze(factsOf(manifest, category, where));
      if (known.size < 10_000) known.set(key, facts);
    }
    return facts;
  });
}

/** Per manifest: the facts of a category found in some collections, by category and collections. */
const KNOWN = new WeakMap<Manifest, Map<string, CategoryFacts>>();

function factsOf(manifest: Manifest, category: string, where: readonly string[]): CategoryFacts {
  const purposes = manifest.purposes.filter((p) => covers(p.data_categories, category));
  return {
    category,
    name: categoryName(manifest, category),
    description: manifest.taxonomy.data_categories.get(category)?.description ?? "",
    found_in: [...where],
    purposes: purposes.map((p) => purposeFact(manifest, p)),
    recipients: recipients(manifest, purposes, category),
    retention: rulesCovering(manifest, [category])
      .filter((r) => applies(r, where))
      .map((r) => ({
        key: r.key,
        description: r.description,
        reason: r.reason,
        how_long: retentionInWords(r),
        collections: r.collections,
      })),
    sources: manifest.sources
      .filter((s) => covers(s.data_categories, category))
      .map((s) => ({
        key: s.key,
        name: s.name,
        description: s.description,
        kind: s.kind,
        ...(s.system ? { system: { key: s.system, name: systemName(manifest, s.system) } } : {}),
      })),
  };
}
