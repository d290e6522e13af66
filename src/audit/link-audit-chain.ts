/**
 * Links written audit events into the chain. A change writes its events with no lock and no hashes
 * (src/audit/append-audit-event.ts); linking takes the chain's lock, reads the chain's head, gives every waiting event
 * its place (`seq`) and its hashes in the order they were written, and commits — one short transaction for however
 * many events are waiting. Changes never wait on the chain, and the chain costs one commit per batch, not per event.
 *
 * An event committed after a link read the waiting ones is linked by the next, so the chain's order can differ from
 * the order of the events' ids by what was in flight at the same moment; `seq` is the order that counts.
 *
 * Every open store runs an `AuditLinker` (src/store/open-store.ts): it links after each audited transaction of this
 * process, looks for waiting events every half second (another process may have stopped before linking its own), and
 * links what is left when the store closes. `steward audit verify` links before it checks.
 */
import { type Kysely, sql } from "kysely";
import { OneAtATime } from "../jobs/one-at-a-time.ts";
import type { StoreSchema } from "../store/store-schema.ts";
import { chainHash } from "./audit-hash.ts";

/** A fixed key for the chain's advisory lock: "steward audit" in ASCII, folded into a bigint. */
const CHAIN_LOCK = 0x5374657761726441n;

/** Takes the chain's lock for the rest of the transaction `trx`: linking, and the removal of payloads, wait for it. */
export async function lockAuditChain(trx: Kysely<StoreSchema>): Promise<void> {
  await sql`select pg_advisory_xact_lock(${CHAIN_LOCK.toString()}::bigint)`.execute(trx);
}

/** Events linked in one statement at most. */
const BATCH = 5_000;

/**
 * Inside `trx`, which must hold the chain's lock (`lockAuditChain`): links up to `limit` waiting events visible to it.
 * Returns how many it linked.
 */
export async function linkWaiting(trx: Kysely<StoreSchema>, limit = BATCH): Promise<number> {
  const waiting = await trx
    .selectFrom("audit_events")
    .select(["id", "at", "actor", "kind", "request_id", "payload"])
    .where("seq", "is", null)
    .orderBy("id")
    .limit(limit)
    .execute();
  if (waiting.length === 0) return 0;
  const head = await trx
    .selectFrom("audit_events")
    .select(["seq", "hash"])
    .where("seq", "is not", null)
    .orderBy("seq", "desc")
    .limit(1)
    .executeTakeFirst();
  let previous = head?.hash ?? "";
  let seq = head?.seq ?? 0;
  const ids: number[] = [];
  const seqs: number[] = [];
  const prevs: string[] = [];
  const hashes: string[] = [];
  for (const e of waiting) {
    // The content as the store gives it back, exactly what `verifyAuditChain` recomputes.
    const hash = chainHash(previous, {
      at: e.at.toISOString(),
      actor: e.actor,
      kind: e.kind,
      request_id: e.request_id,
      payload: e.payload,
    });
    seq += 1;
    ids.push(e.id);
    seqs.push(seq);
    prevs.push(previous);
    hashes.push(hash);
    previous = hash;
  }
  await sql`
    update audit_events set seq = u.seq, prev_hash = u.prev_hash, hash = u.hash
    from unnest(${ids}::bigint[], ${seqs}::bigint[], ${prevs}::text[], ${hashes}::text[]) as u(id, seq, prev_hash, hash)
    where audit_events.id = u.id`.execute(trx);
  return waiting.length;
}

/**
 * Links every waiting event, in transactions of up to 5,000. With `wait: false` it gives up at once when another
 * link holds the lock and returns `undefined` (that link, or the next, takes what is waiting).
 */
export async function linkAuditChain(
  db: Kysely<StoreSchema>,
  options: { wait?: boolean } = {},
): Promise<number | undefined> {
  let total = 0;
  for (;;) {
    const linked = await db.transaction().execute(async (trx) => {
      if (options.wait === false) {
        const got = await sql<{ ok: boolean }>`select pg_try_advisory_xact_lock(${CHAIN_LOCK.toString()}::bigint) as ok`
          .execute(trx)
          .then((r) => r.rows[0]?.ok === true);
        if (!got) return undefined;
      } else await lockAuditChain(trx);
      return linkWaiting(trx);
    });
    if (linked === undefined) return total > 0 ? total : undefined;
    total += linked;
    if (linked < BATCH) return total;
  }
}

/** Are any events waiting to be linked? One index probe. */
export async function waitingEvents(db: Kysely<StoreSchema>): Promise<boolean> {
  const row = await db.selectFrom("audit_events").select("id").where("seq", "is", null).limit(1).executeTakeFirst();
  return row !== undefined;
}

const LINKERS = new WeakMap<Kysely<StoreSchema>, AuditLinker>();

/** Asks the linker of the store whose Kysely instance is `db` to link now; a transaction's instance has none. */
export function kickAuditLinker(db: Kysely<StoreSchema>): void {
  LINKERS.get(db)?.kick();
}

/**
 * The background linker of one open store: links after each audited transaction of this process (`kick`), every
 * `pollMs` when events are waiting, and once more when stopped. A link that finds the lock taken tries again shortly:
 * the link holding it may have read the waiting events before this process's last commit. Failures (the database
 * gone for a moment) leave the events waiting for the next pass; they are never lost, only linked later.
 */
export class AuditLinker {
  readonly #db: Kysely<StoreSchema>;
  readonly #pollMs: number;
  readonly #passes = new OneAtATime(() => this.#link());
  #timer: NodeJS.Timeout | undefined;
  #soon: NodeJS.Timeout | undefined;

  constructor(db: Kysely<StoreSchema>, pollMs = 500) {
    this.#db = db;
    this.#pollMs = pollMs;
  }

  start(): this {
    LINKERS.set(this.#db, this);
    this.#timer = setInterval(() => {
      if (!this.#passes.busy)
        waitingEvents(this.#db)
          .then((any) => any && this.kick())
          .catch(() => {});
    }, this.#pollMs);
    this.#timer.unref();
    this.#passes.kick();
    return this;
  }

  /**
   * Links shortly: within `LINK_DELAY_MS`, so that the events of the commits in between are linked by one pass. Under
   * load every process commits many times a second; a pass per commit would be a transaction per commit again.
   */
  kick(): void {
    if (this.#soon || this.#passes.stopped) return;
    this.#soon = setTimeout(() => {
      this.#soon = undefined;
      this.#passes.kick();
    }, LINK_DELAY_MS);
    this.#soon.unref();
  }

  async #link(): Promise<void> {
    // The lock taken: the pass holding it may have read the waiting events before this process's last commit.
    if ((await linkAuditChain(this.#db, { wait: false })) === undefined) this.kick();
  }

  /** Stops the loop and links what is waiting, waiting for the lock; a failure here leaves them for the next process. */
  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    if (this.#soon) clearTimeout(this.#soon);
    await this.#passes.stop();
    await linkAuditChain(this.#db).catch(() => {});
    LINKERS.delete(this.#db);
  }
}

/** How long a kicked linker waits before its pass. */
const LINK_DELAY_MS = 50;
