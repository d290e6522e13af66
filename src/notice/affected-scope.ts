/**
 * Whom a material notice change concerns, from the diff and what the newer version states. Rules, each with its
 * reason:
 * - A purpose on consent: the people who consent to it now. Nobody else's data is used for it, and everyone else
 *   is asked by the banner before it is (a new purpose on consent therefore concerns nobody yet by mail).
 * - A purpose on another basis: the holders of the data it uses — for more (or more sensitive) data, the data it
 *   adds; for any other change of the purpose, all its data.
 * - A recipient (a new country outside the EEA, a safeguard dropped, a new kind): per purpose it serves, the
 *   purpose's people as above, narrowed to the data the recipient receives.
 * - A retention rule kept longer, counted differently or dropped: the holders of the rows it governs (its
 *   `collections` where the manifest names them, else its data categories — a dropped rule's, from the version
 *   before).
 * - A new source, or more data from one: the holders of that data.
 * - Rights, jurisdictions, deadlines, the age limit, the transfer safeguards for everyone: every account holder.
 * Pure; the notification job (src/notify/) turns the scope into people.
 *
 * @example
 *   affectedScope(diff, noticeFacts(manifest), manifest);
 *   // { everyone: false, purposes: ["targeted_advertising"], categories: ["user.financial", …], collections: […] }
 */
import type { Manifest } from "../manifest/types.ts";
import type { NoticeChange, NoticeDiff } from "./diff-notice.ts";
import type { NoticeFacts } from "./notice-facts.ts";

export interface AffectedScope {
  /** Every account holder is concerned. */
  readonly everyone: boolean;
  /** Purposes on consent whose current consent holders are concerned. */
  readonly purposes: readonly string[];
  /** Data categories whose holders are concerned. */
  readonly categories: readonly string[];
  /** Collections (`dataset.collection`) whose people are concerned, whatever data they hold. */
  readonly collections: readonly string[];
  /** The material changes the scope comes from. */
  readonly changes: readonly NoticeChange[];
}

/** Areas whose material changes concern everyone the notice addresses, not the holders of some data. */
const EVERYONE: ReadonlySet<NoticeChange["area"]> = new Set(["rights", "transfers", "age", "controller"]);

/** Whether two categories overlap: one is the other or contains it (`user.contact` ⊃ `user.contact.email`). */
export function categoriesOverlap(a: string, b: string): boolean {
  return a === b || a.startsWith(`${b}.`) || b.startsWith(`${a}.`);
}

/** The finer of each overlapping pair: what of `a` is also in `b`. */
function intersect(a: readonly string[], b: readonly string[]): string[] {
  const out = new Set<string>();
  for (const x of a) for (const y of b) if (categoriesOverlap(x, y)) out.add(x.length >= y.length ? x : y);
  return [...out];
}

export function affectedScope(
  diff: NoticeDiff,
  after: NoticeFacts,
  manifest?: Manifest,
  before?: NoticeFacts,
): AffectedScope {
  const purposes = new Set<string>();
  const categories = new Set<string>();
  const collections = new Set<string>();
  let everyone = false;
  const changes = diff.changes.filter((c) => c.material);
  /** A purpose's people: its consent holders when it rests on consent, else the holders of `data`. */
  const ofPurpose = (key: string, data?: readonly string[]) => {
    const p = after.purposes[key];
    if (!p) return;
    if (p.legal_basis === "consent") purposes.add(key);
    else for (const c of data ?? p.data_categories) categories.add(c);
  };
  for (const c of changes) {
    if (EVERYONE.has(c.area)) everyone = true;
    else if (c.area === "purpose")
      ofPurpose(c.key, c.field === "data_categories" || c.field === "sensitive" ? (c.values ?? []) : undefined);
    else if (c.area === "recipient") {
      const receives = after.recipients[c.key]?.data_categories ?? [];
      for (const [key, p] of Object.entries(after.purposes))
        if (p.recipients.includes(c.key)) ofPurpose(key, intersect(p.data_categories, receives));
    } else if (c.area === "retention") {
      const named = manifest?.retention.find((r) => r.key === c.key)?.collections ?? [];
      // A rule that is gone is only in the version before: its data is what lost its limit.
      const stated = after.retention[c.key] ?? before?.retention[c.key];
      if (named.length > 0) for (const n of named) collections.add(n);
      else for (const cat of stated?.data_categories ?? []) categories.add(cat);
    } else if (c.area === "source") for (const cat of after.sources[c.key]?.data_categories ?? []) categories.add(cat);
  }
  return {
    everyone,
    purposes: [...purposes].sort(),
    categories: [...categories].sort(),
    collections: [...collections].sort(),
    changes,
  };
}
