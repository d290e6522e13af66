/**
 * The key values one lookup has asked, as text, each once, in the order asked: what the search reads by, what a
 * collection deleted straight by key is deleted by, and what the proof asks again.
 *
 * A list, with a set beside it only where something asks whether a value is in it. Most of a large batch's lookups
 * take the values of a key column (every collection that names an account asks the accounts' ids), and those are
 * distinct without a set: each new row has a new key. At 100,000 people a set per lookup was the largest thing the
 * search kept and regrew (about 24 bytes a value against 8 in a list, and each growth a copy).
 *
 * @example
 *   const asked = new AskedKeys();
 *   asked.add("1"); // true
 *   asked.add("1"); // false: asked before
 *   asked.values(); // ["1"]
 */
export class AskedKeys {
  private readonly list: string[] = [];
  private set: Set<string> | undefined;

  /** Records `text` unless it was asked before; returns whether it is new. */
  add(text: string): boolean {
    const set = this.index();
    if (set.has(text)) return false;
    set.add(text);
    this.list.push(text);
    return true;
  }

  /** Records `text`, which the caller knows was not asked before (a new row's key, a list of distinct values). */
  push(text: string): void {
    this.list.push(text);
    this.set?.add(text);
  }

  has(text: string): boolean {
    return this.index().has(text);
  }

  get size(): number {
    return this.list.length;
  }

  /** The values asked, in order: the list itself, not a copy (do not change it). */
  values(): readonly string[] {
    return this.list;
  }

  /** Drops the set beside the list, if one was made (rebuilt if asked again). */
  release(): void {
    this.set = undefined;
  }

  private index(): Set<string> {
    this.set ??= new Set(this.list);
    return this.set;
  }
}
