/**
 * The consent ledger: records choices, signals and restrictions, and answers `decide(subject, purpose)` from them.
 * The HTTP routes, the CLI's `consent` commands and the request service are shells over it.
 *
 * Decisions are served from a cache of derived states (one entry per subject, bounded), dropped for a subject when
 * anything is recorded about them — by this process at once, and by any process that shares the PostgreSQL store
 * through `LISTEN steward_consent` (src/consent/append-consent-events.ts sends the notice in the writing transaction,
 * so it arrives after the commit). If the listening connection is lost the whole cache is dropped and rebuilt from
 * the ledger on demand.
 *
 * @example
 *   const ledger = await ConsentLedger.open({ store, manifest, hash });
 *   await ledger.record({ subject: "email:ada@example.com", purpose: "marketing_email", status: "granted",
 *                         method: "preferences", actor: "host" });
 *   ledger.decide("email:ada@example.com", "marketing_email")   // → {allowed: true, code: "consent_given", …}
 */
import { type Kysely, sql } from "kysely";
import { stewardError } from "../errors.ts";
import { didYouMean } from "../manifest/did-you-mean.ts";
import type { JurisdictionRights, Manifest, Purpose } from "../manifest/types.ts";
import { type NoticeDiff, type PublishedNotice, upcomingMaterialChange } from "../notice/diff-notice.ts";
import { resolveJurisdiction } from "../requests/jurisdiction.ts";
import type { KeyedHash } from "../secrets/keyed-hash.ts";
import type { Sealer } from "../secrets/seal.ts";
import type { Store } from "../store/store.ts";
import type { ConsentMethod, ConsentStatus, StoreSchema } from "../store/store-schema.ts";
import {
  appendConsentEvents,
  CONSENT_CHANNEL,
  COPY_FROM,
  type ConsentEventInput,
  type ConsentEventRow,
} from "./append-consent-events.ts";
import { choicesOffered, whyNoChoice } from "./choices.ts";
import { deriveState, type LedgerEntry, type SubjectState } from "./consent-state.ts";
import { type ConsentSubject, SubjectParser } from "./consent-subject.ts";
import { type Decision, decide } from "./decide.ts";
import { encodeGpp, type GppAnswer } from "./gpp.ts";
import { queueDeliveries } from "./plan-deliveries.ts";
import { staleConsents } from "./reconsent.ts";

export interface RecordInput {
  /** `TYPE:VALUE`, or a subject already parsed. */
  readonly subject: string | ConsentSubject;
  /** A purpose key; `*` only for the facts that cover every purpose (restricted, unrestricted, under_age). */
  readonly purpose: string;
  readonly status: ConsentStatus;
  readonly method: ConsentMethod;
  readonly jurisdiction?: string | undefined;
  /** `KeyedHash.proof(ip, userAgent)` of the client that sent it. */
  readonly proof?: string | undefined;
  readonly request_id?: string | undefined;
  readonly actor: string;
  readonly at?: Date | undefined;
  /**
   * The person's e-mail address, when the caller vouched for it together with a subject of another type (the host's
   * token for `user_id:42` that also names the user's e-mail): the e-mail vendors (Mailchimp, Meta) are told under it.
   * It is not written to the ledger, only sealed in the outbox rows of this event.
   */
  readonly email?: string | undefined;
}

export interface LedgerOptions {
  readonly store: Store;
  readonly manifest: Manifest;
  readonly hash: KeyedHash;
  /** Seals the person's identity in the consent outbox (the vendors need the e-mail address). */
  readonly sealer: Sealer;
  readonly now?: () => Date;
  /** Subjects whose state is kept in memory at most. Default 100,000. */
  readonly cacheSize?: number;
  /** Listen for other processes' writes (PostgreSQL). Default true. */
  readonly listen?: boolean;
}

/**
 * The same text as one flat, interned string. A host's subject is often built by concatenation (a rope inside the
 * engine); kept as the map's key it would be compared piece by piece on every lookup. A property name is interned.
 */
const flat = (text: string): string => Object.keys({ [text]: 0 })[0] ?? text;

const FACTS: readonly ConsentStatus[] = ["restricted", "unrestricted", "under_age"];
const ALL_STATUSES: readonly ConsentStatus[] = ["granted", "withdrawn", "objected", ...FACTS];
const OPERATOR_METHODS: readonly ConsentMethod[] = ["admin", "import"];

interface CachedSubject {
  readonly state: SubjectState;
  readonly hashes: readonly string[];
  /** Decisions already made from this state, by `purpose|jurisdiction`: they change only when the state does. */
  readonly decisions: Map<string, Decision>;
  /** The subject texts whose fast-path entry points at `decisions`. */
  readonly texts: Set<string>;
}

export class ConsentLedger {
  readonly subjects: SubjectParser;
  readonly #purposes: ReadonlyMap<string, Purpose>;
  /**
   * Subject text (`email:ada@…`) → its parsed form (parsing and the keyed hash cost more than a decision), and the
   * decisions cached for it: the fast path reads two maps and nothing else.
   */
  readonly #parsed = new Map<string, { subject: ConsentSubject }>();
  /** Subject text → its cached decisions by purpose (default jurisdiction): the host's hot path, two map reads. */
  readonly #fast = new Map<string, Map<string, Decision>>();
  /** Subject hash → derived state. Map order is insertion order: the oldest entry goes first when full. */
  readonly #states = new Map<string, CachedSubject>();
  /** Any hash (a person's or a linked device's) → the cache keys whose state it is part of. */
  readonly #members = new Map<string, Set<string>>();
  readonly #cacheSize: number;
  /** Purpose → notice versions under which a consent to it no longer counts (src/consent/reconsent.ts). */
  #stale: ReadonlyMap<string, ReadonlySet<string>> = new Map();
  #published: readonly PublishedNotice[] = [];
  /** Counts forgets: a state read while one happened may be stale and is not cached. */
  #generation = 0;
  #unlisten: (() => Promise<void>) | undefined;
  #listening = false;
  #closed = false;
  #retry: NodeJS.Timeout | undefined;

  private constructor(
    readonly store: Store,
    readonly manifest: Manifest,
    readonly hash: KeyedHash,
    readonly sealer: Sealer,
    readonly now: () => Date,
    cacheSize: number,
  ) {
    this.subjects = new SubjectParser(manifest, hash);
    this.#purposes = new Map(manifest.purposes.map((p) => [p.key, p]));
    this.#cacheSize = cacheSize;
  }

  static async open(options: LedgerOptions): Promise<ConsentLedger> {
    const ledger = new ConsentLedger(
      options.store,
      options.manifest,
      options.hash,
      options.sealer,
      options.now ?? (() => new Date()),
      options.cacheSize ?? 100_000,
    );
    await ledger.loadNoticeChanges();
    if (options.listen !== false) await ledger.#listen();
    else ledger.#listening = true; // one process alone: its own writes are all there is to hear
    return ledger;
  }

  /**
   * Listens for other processes' writes. While the connection is down nothing is cached (a write elsewhere would go
   * unheard); it is tried again with backoff, and when it is back the whole cache starts afresh.
   */
  async #listen(delay = 500): Promise<void> {
    if (this.#closed) return;
    try {
      this.#unlisten = await this.store.listen(
        CONSENT_CHANNEL,
        (payload) => this.forget(payload),
        () => {
          this.#listening = false;
          this.forget("*");
          this.#unlisten = undefined;
          this.#retry = setTimeout(() => void this.#listen(), delay);
          this.#retry.unref();
        },
      );
      this.forget("*");
      this.#listening = true;
    } catch {
      this.#listening = false;
      this.#retry = setTimeout(() => void this.#listen(Math.min(delay * 2, 30_000)), delay);
      this.#retry.unref();
    }
  }

  /**
   * Reads the published notice versions' diffs: which consents a later, wider notice voids. Done at open (the server
   * publishes its notice first); call again after publishing a version in a running process.
   */
  async loadNoticeChanges(): Promise<void> {
    const rows = await this.store.db
      .selectFrom("notice_versions")
      .select(["version", "published_at", "diff", "effective_date", "material"])
      .orderBy("published_at", "desc")
      .orderBy("version", "desc")
      .execute();
    this.#published = rows;
    this.#stale = staleConsents(
      this.manifest,
      rows.map((r) => ({ version: r.version, published_at: r.published_at, diff: r.diff as NoticeDiff | null })),
    );
    this.forget("*");
  }

  /** The newest material change not in effect on `today` (`YYYY-MM-DD`), as of the last `loadNoticeChanges`. */
  upcomingChange(today: string) {
    return upcomingMaterialChange(this.#published, today);
  }

  /** The notice versions under which a consent to the purpose no longer counts. */
  stale(purpose: string): ReadonlySet<string> | undefined {
    return this.#stale.get(purpose);
  }

  async close(): Promise<void> {
    this.#closed = true;
    if (this.#retry) clearTimeout(this.#retry);
    await this.#unlisten?.();
    this.#unlisten = undefined;
  }

  get noticeVersion(): string | null {
    return this.manifest.notice?.version ?? null;
  }

  subject(subject: string | ConsentSubject): ConsentSubject {
    if (typeof subject !== "string") return subject;
    const known = this.#parsed.get(subject);
    if (known) return known.subject;
    const parsed = this.subjects.parse(subject);
    if (this.#parsed.size >= this.#cacheSize) this.#parsed.clear();
    this.#parsed.set(flat(subject), { subject: parsed });
    return parsed;
  }

  purpose(key: string): Purpose {
    const p = this.#purposes.get(key);
    if (!p) {
      const allowed = [...this.#purposes.keys()];
      throw stewardError("STW_CONSENT_UNKNOWN_PURPOSE", { value: key, allowed, suggestion: didYouMean(key, allowed) });
    }
    return p;
  }

  /**
   * The jurisdiction named (an unknown one is an error), else the person's latest one if the manifest still has it,
   * else the default: a jurisdiction renamed in the manifest must not lock people out of their choices.
   */
  jurisdiction(declared: string | undefined, state?: SubjectState): JurisdictionRights | undefined {
    if (this.manifest.rights.length === 0) return undefined;
    if (declared !== undefined) return resolveJurisdiction(this.manifest, declared, undefined);
    const known = this.manifest.rights.find((r) => r.jurisdiction === state?.jurisdiction);
    return known ?? resolveJurisdiction(this.manifest, undefined, undefined);
  }

  /**
   * Checks events against the manifest and turns them into ledger rows (no write). A choice is checked in the
   * jurisdiction the event names, else the person's latest one, else the default; the row keeps the jurisdiction only
   * when it was named or known, so that a fact recorded without one does not move the person.
   */
  async prepare(inputs: readonly RecordInput[], db: Kysely<StoreSchema> = this.store.db): Promise<ConsentEventInput[]> {
    const source = await this.#prepare(inputs, db);
    return Array.from(source.rows);
  }

  /**
   * The checks of `prepare`, made as the rows are read: a large batch is checked while it streams into the store (an
   * event that fails its check aborts the write, so nothing of the batch is written). What needs the store — the
   * latest jurisdiction of a person whose event names none — is read first. `subjects` fills as the rows are read.
   */
  async #prepare(
    inputs: readonly RecordInput[],
    db: Kysely<StoreSchema>,
  ): Promise<{ rows: Iterable<ConsentEventInput> & { readonly length: number }; subjects: ConsentSubject[] }> {
    // A large batch (an import) names each subject once: parsed without filling the cache of subject texts, which
    // serves the hot path of decisions.
    const parse =
      inputs.length >= COPY_FROM
        ? (s: string | ConsentSubject) =>
            typeof s !== "string" ? s : (this.#parsed.get(s)?.subject ?? this.subjects.parse(s))
        : (s: string | ConsentSubject) => this.subject(s);
    const parsed: (ConsentSubject | undefined)[] = [];
    const stored: (string | null | undefined)[] = [];
    for (const [i, input] of inputs.entries()) {
      if (input.jurisdiction !== undefined) continue;
      const subject = parse(input.subject);
      parsed[i] = subject;
      stored[i] = (await this.state(subject, db)).jurisdiction;
    }
    // A batch names few jurisdictions and purposes: each is resolved, and each choice looked up, once.
    const places = new Map<string | null | undefined, JurisdictionRights | undefined>();
    const offers = new Map<string, ConsentStatus[]>();
    const subjects: ConsentSubject[] = [];
    const check = (input: RecordInput, i: number): ConsentEventInput => {
      const subject = parsed[i] ?? parse(input.subject);
      subjects.push(subject);
      const known = input.jurisdiction ?? stored[i];
      let rights = places.get(known);
      if (!places.has(known)) {
        rights = this.jurisdiction(known ?? undefined);
        places.set(known, rights);
      }
      if (FACTS.includes(input.status)) {
        if (input.purpose !== "*")
          throw stewardError("STW_CONSENT_BAD_EVENT", {
            detail: `"${input.status}" covers every purpose: send purpose "*"`,
            allowed: ["*"],
          });
      } else {
        const purpose = this.purpose(input.purpose);
        const offer = `${purpose.key}|${rights?.jurisdiction ?? ""}`;
        let offered = offers.get(offer);
        if (!offered) {
          offered = choicesOffered(purpose, rights);
          offers.set(offer, offered);
        }
        if (!offered.includes(input.status))
          throw stewardError("STW_CONSENT_NO_CHOICE", {
            purpose: purpose.key,
            status: input.status,
            jurisdiction: rights?.jurisdiction ?? "(none)",
            why: whyNoChoice(purpose, input.status, rights),
            allowed: offered,
          });
      }
      return {
        subject_hash: subject.hash,
        subject_type: subject.type,
        purpose: input.purpose,
        status: input.status,
        method: input.method,
        notice_version: this.noticeVersion,
        jurisdiction: known ? (rights?.jurisdiction ?? null) : null,
        proof: input.proof ?? null,
        request_id: input.request_id ?? null,
        actor: input.actor,
        at: input.at ?? this.now(),
      };
    };
    // Read once: a second reading would check (and collect) every event again.
    let read = false;
    const rows = {
      length: inputs.length,
      *[Symbol.iterator]() {
        if (read) throw new Error("the prepared consent events were read twice");
        read = true;
        for (let i = 0; i < inputs.length; i++) yield check(inputs[i] as RecordInput, i);
      },
    };
    return { rows, subjects };
  }

  /**
   * Appends events (all or none). With `trx` they join the caller's transaction; the cache is dropped for their
   * subjects now and again when the commit's notice arrives.
   */
  async record(inputs: RecordInput | readonly RecordInput[], trx?: Kysely<StoreSchema>): Promise<ConsentEventRow[]> {
    const list = Array.isArray(inputs) ? (inputs as readonly RecordInput[]) : [inputs as RecordInput];
    if (!trx) {
      const written = await this.store.db.transaction().execute((t) => this.record(list, t));
      // Again after the commit: a read between the first forget and the commit may have cached the state before it.
      for (const row of written) this.forget(row.subject_hash);
      return written;
    }
    const { rows, subjects } = await this.#prepare(list, trx);
    const written = await appendConsentEvents(trx, rows);
    await queueDeliveries(
      trx,
      this.manifest,
      this.sealer,
      written.map((row, i) => {
        const subject = subjects[i] as ConsentSubject;
        const email = list[i]?.email;
        return { row, subject: email && subject.type !== "email" ? { ...subject, email } : subject };
      }),
    );
    for (const r of written) this.forget(r.subject_hash);
    return written;
  }

  /** Records for an operator from unchecked text (the CLI): the status and method are checked here. */
  recordAsOperator(
    input: { subject: string; purpose: string; status: string; method: string; jurisdiction?: string | undefined },
    actor: string,
  ): Promise<ConsentEventRow[]> {
    if (!(ALL_STATUSES as readonly string[]).includes(input.status))
      throw stewardError("STW_CONSENT_BAD_EVENT", {
        detail: `unknown status "${input.status}"`,
        allowed: ALL_STATUSES,
      });
    if (!(OPERATOR_METHODS as readonly string[]).includes(input.method))
      throw stewardError("STW_CONSENT_BAD_EVENT", {
        detail: `an operator records with method "admin" or "import", not "${input.method}"`,
        allowed: OPERATOR_METHODS,
      });
    return this.record({
      subject: input.subject,
      purpose: input.purpose,
      status: input.status as ConsentStatus,
      method: input.method as ConsentMethod,
      jurisdiction: input.jurisdiction,
      actor,
    });
  }

  /** Joins a device id to a person: from now on each one's decisions read both histories. */
  async link(
    device: string | ConsentSubject,
    person: string | ConsentSubject,
    trx?: Kysely<StoreSchema>,
  ): Promise<void> {
    const d = this.subject(device);
    const p = this.subject(person);
    if (d.type !== "device")
      throw stewardError("STW_CONSENT_BAD_SUBJECT", {
        detail: "the first subject of a link must be a device",
        allowed: ["device"],
      });
    if (p.type === "device")
      throw stewardError("STW_CONSENT_BAD_SUBJECT", {
        detail: "a device is linked to a person, not to another device",
        allowed: this.subjects.types.filter((t) => t !== "device"),
      });
    const db = trx ?? this.store.db;
    const other = await db
      .selectFrom("consent_links")
      .select("subject_hash")
      .where("device_hash", "=", d.hash)
      .where("subject_hash", "!=", p.hash)
      .executeTakeFirst();
    // A device already joined to someone else (a shared computer) is not joined to a second person: their choices
    // would mix. The host signs the device out of Steward by giving the browser a new device id.
    if (other) throw stewardError("STW_CONSENT_LINKED_ELSEWHERE", {});
    await db
      .insertInto("consent_links")
      .values({ device_hash: d.hash, subject_hash: p.hash, linked_at: this.now() })
      .onConflict((oc) => oc.doNothing())
      .execute();
    // Other processes drop their cached states of both, as for any write.
    for (const h of [d.hash, p.hash]) await sql`select pg_notify(${CONSENT_CHANNEL}, ${h})`.execute(db);
    this.forget(d.hash);
    this.forget(p.hash);
  }

  /** Drops cached states that involve `hash` (`*`: all of them). */
  forget(hash: string): void {
    this.#generation += 1;
    if (hash === "*") {
      this.#fast.clear();
      this.#states.clear();
      this.#members.clear();
      return;
    }
    const keys = this.#members.get(hash);
    if (keys) for (const key of [...keys]) this.#drop(key);
  }

  /** Every hash whose history is this subject's: itself, the devices linked to a person, the person of a device. */
  async #hashesOf(subject: ConsentSubject, db: Kysely<StoreSchema> = this.store.db): Promise<string[]> {
    if (subject.type === "device") {
      const people = await db
        .selectFrom("consent_links")
        .select("subject_hash")
        .where("device_hash", "=", subject.hash)
        .execute();
      if (people.length === 0) return [subject.hash];
      const devices = await db
        .selectFrom("consent_links")
        .select("device_hash")
        .where(
          "subject_hash",
          "in",
          people.map((p) => p.subject_hash),
        )
        .execute();
      return [...new Set([subject.hash, ...people.map((p) => p.subject_hash), ...devices.map((d) => d.device_hash)])];
    }
    const devices = await db
      .selectFrom("consent_links")
      .select("device_hash")
      .where("subject_hash", "=", subject.hash)
      .execute();
    return [subject.hash, ...devices.map((d) => d.device_hash)];
  }

  /** The ledger rows of a subject and everything linked to it, oldest first. */
  async history(subject: string | ConsentSubject): Promise<ConsentEventRow[]> {
    const s = this.subject(subject);
    const hashes = await this.#hashesOf(s);
    return this.store.db
      .selectFrom("consent_events")
      .selectAll()
      .where("subject_hash", "in", hashes)
      .orderBy("seq")
      .execute();
  }

  /**
   * The subject's derived state, from the cache or the ledger. Inside a transaction (`db` is one) it reads through it
   * — on the embedded store a read beside an open transaction would wait for it — and caches nothing, since the
   * transaction may yet roll back.
   */
  async state(subject: string | ConsentSubject, db: Kysely<StoreSchema> = this.store.db): Promise<SubjectState> {
    const s = this.subject(subject);
    const cached = this.#states.get(s.hash);
    if (cached) return cached.state;
    const generation = db.isTransaction || !this.#listening ? -1 : this.#generation;
    const hashes = await this.#hashesOf(s, db);
    const rows = await db
      .selectFrom("consent_events")
      .select(["record_id", "at", "purpose", "status", "method", "notice_version", "jurisdiction", "request_id"])
      .where("subject_hash", "in", hashes)
      .orderBy("seq")
      .execute();
    const state = deriveState(rows as LedgerEntry[]);
    if (generation === this.#generation) this.#remember(s.hash, state, hashes);
    return state;
  }

  /** Drops one cached state with everything that points at it: its fast-path entries and its members. */
  #drop(key: string): void {
    const held = this.#states.get(key);
    if (!held) return;
    for (const text of held.texts) this.#fast.delete(text);
    for (const h of held.hashes) {
      const keys = this.#members.get(h);
      keys?.delete(key);
      if (keys?.size === 0) this.#members.delete(h);
    }
    this.#states.delete(key);
  }

  #remember(key: string, state: SubjectState, hashes: readonly string[]): void {
    // A state read twice at once is remembered twice: the second replaces the first and everything that pointed at it.
    this.#drop(key);
    if (this.#states.size >= this.#cacheSize) {
      const oldest = this.#states.keys().next().value;
      if (oldest !== undefined) this.#drop(oldest);
    }
    this.#states.set(key, { state, hashes, decisions: new Map(), texts: new Set() });
    for (const h of hashes) {
      let keys = this.#members.get(h);
      if (!keys) {
        keys = new Set();
        this.#members.set(h, keys);
      }
      keys.add(key);
    }
  }

  /** The decision for one purpose. */
  async decide(subject: string | ConsentSubject, purpose: string, jurisdiction?: string): Promise<Decision> {
    const s = this.subject(subject);
    const hit = this.#fromCache(s.hash, purpose, jurisdiction);
    if (hit) return hit;
    const p = this.purpose(purpose);
    const state = await this.state(s);
    return (
      this.#fromCache(s.hash, purpose, jurisdiction) ??
      decide(p, this.jurisdiction(jurisdiction, state), state, this.noticeVersion, this.stale(p.key))
    );
  }

  /** A decision from the cached state of `hash`, made once per state, purpose and jurisdiction. */
  #fromCache(hash: string, purpose: string, jurisdiction: string | undefined): Decision | undefined {
    const cached = this.#states.get(hash);
    if (!cached) return undefined;
    const key = jurisdiction === undefined ? purpose : `${purpose}|${jurisdiction}`;
    let d = cached.decisions.get(key);
    if (!d) {
      d = decide(
        this.purpose(purpose),
        this.jurisdiction(jurisdiction, cached.state),
        cached.state,
        this.noticeVersion,
        this.stale(purpose),
      );
      cached.decisions.set(key, d);
    }
    return d;
  }

  /**
   * The decision from the cache alone, or undefined when the subject is not cached — the in-process fast path a host
   * calls per event (`decide` fills the cache).
   */
  decideCached(subject: string, purpose: string, jurisdiction?: string): Decision | undefined {
    if (jurisdiction === undefined) {
      const d = this.#fast.get(subject)?.get(purpose);
      if (d) return d;
    }
    const entry = this.#parsed.get(subject);
    const hash = entry?.subject.hash ?? this.subject(subject).hash;
    const d = this.#fromCache(hash, purpose, jurisdiction);
    const held = this.#states.get(hash);
    if (d && held && jurisdiction === undefined) {
      this.#fast.set(subject, held.decisions);
      held.texts.add(subject);
    }
    return d;
  }

  /** The GPP string of the person's U.S. opt-outs (src/consent/gpp.ts). */
  async gpp(subject: string | ConsentSubject, jurisdiction?: string): Promise<GppAnswer> {
    const state = await this.state(subject);
    const rights = this.jurisdiction(jurisdiction, state);
    const decisions = [...this.#purposes.values()].map((p) =>
      decide(p, rights, state, this.noticeVersion, this.stale(p.key)),
    );
    return encodeGpp(this.manifest, decisions, state, rights?.jurisdiction ?? null);
  }

  /** Decisions for many purposes (default: every purpose of the manifest). */
  async decideMany(
    subject: string | ConsentSubject,
    purposes?: readonly string[],
    jurisdiction?: string,
  ): Promise<Decision[]> {
    const state = await this.state(subject);
    const rights = this.jurisdiction(jurisdiction, state);
    const keys = purposes && purposes.length > 0 ? purposes : [...this.#purposes.keys()];
    return keys.map((k) => decide(this.purpose(k), rights, state, this.noticeVersion, this.stale(k)));
  }
}
