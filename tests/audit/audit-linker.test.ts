/**
 * Audit events are written without the chain's lock and linked afterwards (migration 13,
 * src/audit/link-audit-chain.ts): a change never waits on another's hold of the chain, events that commit out of the
 * order they were written in are still chained once each, a link can be made once and never changed, and events left
 * unlinked by a process that stopped are linked by the next store that opens.
 */
import { sql } from "kysely";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { appendAuditEvent, auditedTransaction } from "../../src/audit/append-audit-event.ts";
import { linkAuditChain, lockAuditChain } from "../../src/audit/link-audit-chain.ts";
import { verifyAuditChain } from "../../src/audit/verify-audit-chain.ts";
import { openStore } from "../../src/store/open-store.ts";
import type { Store } from "../../src/store/store.ts";
import { pgliteBackend, postgresBackend, type StoreBackend } from "../store/backends.ts";

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function fresh(backend: StoreBackend) {
  const location = await backend.fresh();
  cleanup.push(location.dispose);
  return location.options;
}

async function open(options: Awaited<ReturnType<typeof fresh>>): Promise<Store> {
  const store = await openStore(options);
  cleanup.push(() => store.close());
  return store;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(what: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await what())) {
    if (Date.now() > end) throw new Error("timed out");
    await sleep(20);
  }
}

const unlinked = async (store: Store) =>
  Number(
    (
      await store.db
        .selectFrom("audit_events")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where("seq", "is", null)
        .executeTakeFirst()
    )?.n,
  );

describe("audit events linked after they are written, on PostgreSQL", () => {
  it("a change commits while another transaction holds the chain's lock, and is linked once the lock is free", async () => {
    const store = await open(await fresh(postgresBackend));
    let release!: () => void;
    const released = new Promise<void>((r) => {
      release = r;
    });
    let locked!: () => void;
    const lockTaken = new Promise<void>((r) => {
      locked = r;
    });
    const holder = store.db.transaction().execute(async (trx) => {
      await lockAuditChain(trx);
      locked();
      await released;
    });
    await lockTaken;
    // Before migration 13 this waited for the holder: the append took the same lock.
    const committed = await Promise.race([
      auditedTransaction(store.db, async (trx) => {
        await appendAuditEvent(trx, { actor: "system", kind: "test.during_hold" });
        return "committed";
      }),
      sleep(3_000).then(() => "waited"),
    ]);
    expect(committed).toBe("committed");
    const during = await store.db.selectFrom("audit_events").select(["seq", "hash"]).executeTakeFirstOrThrow();
    expect(during).toEqual({ seq: null, hash: null });
    expect(await verifyAuditChain(store.db, { link: false })).toMatchObject({ ok: true, events: 0, waiting: 1 });
    release();
    await holder;
    // The linker found the lock taken and tries again on its own.
    await until(async () => (await unlinked(store)) === 0);
    expect(await verifyAuditChain(store.db, { link: false })).toMatchObject({ ok: true, events: 1, waiting: 0 });
  });

  it("events that commit in another order than they were written are each chained once", async () => {
    const store = await open(await fresh(postgresBackend));
    let commitFirst!: () => void;
    const firstMayCommit = new Promise<void>((r) => {
      commitFirst = r;
    });
    // The first written (lowest id) commits last. Waiting for its insert itself, not for a session idle in a
    // transaction: the transaction is idle between its BEGIN and the insert too, and the second event could take
    // the lower id then.
    let written!: () => void;
    const firstWritten = new Promise<void>((r) => {
      written = r;
    });
    const slow = store.db.transaction().execute(async (trx) => {
      await appendAuditEvent(trx, { actor: "system", kind: "test.written_first" });
      written();
      await firstMayCommit;
    });
    await firstWritten;
    try {
      await appendAuditEvent(store.db, { actor: "system", kind: "test.written_second" });
      // Linked (by this call or the store's own linker, whichever is first) while the first is still uncommitted.
      await linkAuditChain(store.db);
      const linked = await store.db.selectFrom("audit_events").select(["kind", "seq"]).execute();
      expect(linked).toEqual([{ kind: "test.written_second", seq: 1 }]);
    } finally {
      commitFirst();
      await slow;
    }
    await linkAuditChain(store.db);
    const rows = await store.db.selectFrom("audit_events").select(["id", "seq", "kind"]).orderBy("seq").execute();
    expect(rows.map((r) => r.kind)).toEqual(["test.written_second", "test.written_first"]);
    expect(rows[0]!.id).toBeGreaterThan(rows[1]!.id);
    expect(await verifyAuditChain(store.db)).toMatchObject({ ok: true, events: 2, waiting: 0 });
  });

  it("many writers on many connections at once make one chain", async () => {
    const store = await open(await fresh(postgresBackend));
    const other = await open({ databaseUrl: (await postgresUrlOf(store)) as string });
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        auditedTransaction(i % 2 === 0 ? store.db : other.db, async (trx) => {
          await appendAuditEvent(trx, { actor: "system", kind: "test.concurrent", payload: { i } });
          await appendAuditEvent(trx, { actor: "system", kind: "test.concurrent.second", payload: { i } });
        }),
      ),
    );
    const verdict = await verifyAuditChain(store.db);
    expect(verdict).toMatchObject({ ok: true, events: 80, waiting: 0 });
    const seqs = await store.db.selectFrom("audit_events").select("seq").orderBy("seq").execute();
    expect(seqs.map((s) => s.seq)).toEqual(Array.from({ length: 80 }, (_, i) => i + 1));
  });
});

for (const backend of [pgliteBackend, postgresBackend]) {
  describe(`audit linking on ${backend.name}`, () => {
    it("a link is made once: changing an event, before or after it is linked, or linking it again, is refused", async () => {
      const store = await open(await fresh(backend));
      await store.db.transaction().execute(async (trx) => {
        const id = await appendAuditEvent(trx, { actor: "system", kind: "test.one", payload: { v: 1 } });
        // Not committed yet, so certainly not linked: its payload cannot change either.
        await sql`savepoint before_change`.execute(trx);
        const error = await sql`update audit_events set payload = '{"v": 2}'::jsonb where id = ${id}`.execute(trx).then(
          () => undefined,
          (e: unknown) => e,
        );
        await sql`rollback to savepoint before_change`.execute(trx);
        expect(String(error)).toMatch(/audit_events is append-only/);
      });
      await linkAuditChain(store.db);
      for (const statement of [
        sql`update audit_events set seq = 7, prev_hash = 'x', hash = 'y'`,
        sql`update audit_events set payload = '{"v": 2}'::jsonb`,
        sql`update audit_events set seq = null, prev_hash = null, hash = null`,
        sql`update audit_events set seq = 2, prev_hash = 'x', hash = null`,
      ]) {
        const error = await statement.execute(store.db).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(String(error)).toMatch(/audit_events is append-only/);
      }
      const rows = await store.db.selectFrom("audit_events").select(["seq", "payload", "prev_hash"]).execute();
      expect(rows).toEqual([{ seq: 1, payload: { v: 1 }, prev_hash: "" }]);
    });

    it("an event written without a word to the linker is found by its own look, within a second", async () => {
      const store = await open(await fresh(backend));
      await sql`insert into audit_events (actor, kind) values ('system', 'test.quiet')`.execute(store.db);
      const written = Date.now();
      await until(async () => (await unlinked(store)) === 0, 5_000);
      expect(Date.now() - written).toBeLessThan(3_000);
      expect(await verifyAuditChain(store.db, { link: false })).toMatchObject({ ok: true, events: 1, waiting: 0 });
    });

    it("closing the store links what this process wrote", async () => {
      const options = await fresh(backend);
      const first = await openStore(options);
      await first.db.transaction().execute(async (trx) => {
        for (let i = 0; i < 30; i += 1) await appendAuditEvent(trx, { actor: "system", kind: "test.closing" });
      });
      await first.close();
      const second = await open(options);
      const rows = await second.db.selectFrom("audit_events").select("seq").where("seq", "is", null).execute();
      expect(rows).toEqual([]);
      expect(await verifyAuditChain(second.db, { link: false })).toMatchObject({ ok: true, events: 30, waiting: 0 });
    });
  });
}

describe("events a process left unlinked", () => {
  it("are linked by the next store that opens", async () => {
    const options = await fresh(postgresBackend);
    await (await openStore(options)).close();
    // Written as a process that was killed before linking leaves them: committed, unlinked, and no linker told.
    const client = new pg.Client({ connectionString: options.databaseUrl as string });
    await client.connect();
    await client.query(
      "insert into audit_events (actor, kind) values ('system', 'test.left.1'), ('system', 'test.left.2')",
    );
    await client.end();
    const store = await open(options);
    await until(async () => (await unlinked(store)) === 0, 5_000);
    expect(await verifyAuditChain(store.db, { link: false })).toMatchObject({ ok: true, events: 2, waiting: 0 });
  });
});

async function postgresUrlOf(store: Store): Promise<string> {
  const row = await sql<{ db: string }>`select current_database() as db`.execute(store.db);
  const url = new URL(process.env["STEWARD_TEST_POSTGRES_URL"] ?? "postgres://postgres@127.0.0.1:5432/test");
  url.pathname = `/${row.rows[0]?.db}`;
  return url.toString();
}
