/**
 * Large batches go into the ledger and the outbox by COPY (src/store/copy-rows.ts), small ones by insert: both on
 * PGlite and on PostgreSQL, into one chain, with the rows the caller gets back being the rows stored.
 */
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appendConsentEvents, COPY_FROM, type ConsentEventInput } from "../../src/consent/append-consent-events.ts";
import { ConsentLedger, type RecordInput } from "../../src/consent/consent-ledger.ts";
import { deliveryBinding } from "../../src/consent/plan-deliveries.ts";
import { verifyConsentChain } from "../../src/consent/verify-consent-chain.ts";
import { loadManifestDir } from "../../src/fs/load-manifest-dir.ts";
import { KeyedHash } from "../../src/secrets/keyed-hash.ts";
import { Sealer } from "../../src/secrets/seal.ts";
import { copyLine, copyRows } from "../../src/store/copy-rows.ts";
import { openStore } from "../../src/store/open-store.ts";
import type { Store } from "../../src/store/store.ts";
import { type FreshStore, pgliteBackend, postgresBackend } from "../store/backends.ts";
import { EXAMPLE, SECRET } from "./consent-fixture.ts";

const device = (tag: string, i: number) => `device:dev_${tag}_${String(i).padStart(12, "0")}`;
const sealer = new Sealer(SECRET);

const batch = (tag: string, n: number, purpose: string, actor = "subject"): RecordInput[] =>
  Array.from({ length: n }, (_, i) => ({
    subject: device(tag, i),
    purpose,
    status: i % 3 ? ("withdrawn" as const) : ("granted" as const),
    method: "banner" as const,
    jurisdiction: "us_ca",
    actor,
  }));

describe.each([pgliteBackend, postgresBackend])("the ledger's COPY path on $name", (backend) => {
  let fresh: FreshStore;
  let stores: Store[] = [];
  let ledgers: ConsentLedger[] = [];

  beforeAll(async () => {
    fresh = await backend.fresh();
    const manifest = await loadManifestDir(EXAMPLE);
    const hash = new KeyedHash(SECRET);
    // PGlite is one process's store; on PostgreSQL two processes write one ledger.
    stores = [await openStore(fresh.options)];
    if (backend.name === "postgres") stores.push(await openStore(fresh.options));
    ledgers = await Promise.all(stores.map((store) => ConsentLedger.open({ store, manifest, hash, sealer })));
  }, 60_000);

  afterAll(async () => {
    for (const l of ledgers) await l.close();
    for (const s of stores) await s.close();
    await fresh?.dispose();
  });

  it("returns the rows it stored, numbered in chain order, with one sealed delivery each", async () => {
    const [ledger] = ledgers as [ConsentLedger];
    const db = stores[0]!.db;
    const n = COPY_FROM * 4 + 3;
    const written = await ledger.record(batch("copy", n, "session_replay"));
    expect(written).toHaveLength(n);
    const stored = await db
      .selectFrom("consent_events")
      .selectAll()
      .where(
        "record_id",
        "in",
        written.map((w) => w.record_id),
      )
      .orderBy("seq")
      .execute();
    // The store reads a bigint back as a number; the ledger hands it out as text, as it always has.
    expect(stored.map((r) => ({ ...r, seq: String(r.seq) }))).toEqual(written);
    for (let i = 1; i < stored.length; i++) {
      expect(BigInt(stored[i]!.seq)).toBe(BigInt(stored[i - 1]!.seq) + 1n);
      expect(stored[i]!.prev_hash).toBe(stored[i - 1]!.hash);
    }
    const deliveries = await db
      .selectFrom("consent_deliveries")
      .selectAll()
      .where(
        "record_id",
        "in",
        written.map((w) => w.record_id),
      )
      .execute();
    expect(deliveries).toHaveLength(n);
    const bySeq = new Map(written.map((w) => [w.record_id, w]));
    for (const d of deliveries) {
      const event = bySeq.get(d.record_id);
      expect(String(d.event_seq)).toBe(event?.seq);
      expect(d).toMatchObject({ system: "fullstory", state: "pending", status: event?.status });
      const subject = sealer.openJson<{ type: string; value: string }>(
        d.subject_enc,
        deliveryBinding(d.record_id, d.system),
      );
      expect(subject).toEqual({ type: "device", value: expect.stringMatching(/^dev_copy_\d{12}$/) });
    }
    expect(await verifyConsentChain(db)).toMatchObject({ ok: true, events: n });
  });

  it("keeps tabs, newlines and backslashes as given", async () => {
    const [ledger] = ledgers as [ConsentLedger];
    const actor = "cli:o'brien\t\\N\\\\ \r\nnext";
    const written = await ledger.record(batch("text", COPY_FROM, "surveys", actor));
    const back = await stores[0]!.db
      .selectFrom("consent_events")
      .select(["actor", "hash"])
      .where("record_id", "=", written[COPY_FROM - 1]!.record_id)
      .executeTakeFirstOrThrow();
    expect(back).toEqual({ actor, hash: written[COPY_FROM - 1]!.hash });
    expect(await verifyConsentChain(stores[0]!.db)).toMatchObject({ ok: true });
  });

  it("writes nothing of a batch the database refuses, and goes on after it", async () => {
    const db = stores[0]!.db;
    const before = await db.selectFrom("consent_events").select(sql<number>`count(*)::int`.as("n")).executeTakeFirst();
    const rows: ConsentEventInput[] = Array.from({ length: COPY_FROM * 2 }, (_, i) => ({
      subject_hash: `h${i}`,
      subject_type: "device",
      purpose: "surveys",
      // The table's check refuses this one status, halfway through the stream.
      status: (i === COPY_FROM ? "maybe" : "withdrawn") as ConsentEventInput["status"],
      method: "banner",
      notice_version: null,
      jurisdiction: null,
      actor: "subject",
      at: new Date(),
    }));
    await expect(appendConsentEvents(db, rows)).rejects.toThrow(/check constraint/);
    const after = await db.selectFrom("consent_events").select(sql<number>`count(*)::int`.as("n")).executeTakeFirst();
    expect(after).toEqual(before);
    const next = await ledgers[0]!.record(batch("after", COPY_FROM, "surveys"));
    expect(next).toHaveLength(COPY_FROM);
    expect(await verifyConsentChain(db)).toMatchObject({ ok: true, events: (before?.n ?? 0) + COPY_FROM });
  });

  it("checks a large batch as it streams: one event without that choice, late in the batch, writes nothing", async () => {
    const db = stores[0]!.db;
    const before = (await verifyConsentChain(db)).events;
    const events = batch("checked", COPY_FROM * 3, "surveys");
    // A contract purpose offers no choice: the ledger refuses it, after two thirds of the batch were sent.
    events[COPY_FROM * 2] = { ...events[COPY_FROM * 2]!, purpose: "provide_platform", status: "withdrawn" };
    await expect(ledgers[0]!.record(events)).rejects.toMatchObject({ code: "STW_CONSENT_NO_CHOICE" });
    expect((await verifyConsentChain(db)).events).toBe(before);
    const outbox = await db
      .selectFrom("consent_deliveries")
      .select(sql<number>`count(*)::int`.as("n"))
      .where("subject_hash", "=", ledgers[0]!.subject(device("checked", 0)).hash)
      .executeTakeFirst();
    expect(outbox?.n).toBe(0);
    // The person's decision did not move either, and the ledger goes on.
    expect(await ledgers[0]!.decide(device("checked", 1), "surveys", "us_ca")).toMatchObject({
      code: expect.stringMatching(/^default_/),
    });
    expect(await ledgers[0]!.record(events.filter((_, i) => i !== COPY_FROM * 2))).toHaveLength(COPY_FROM * 3 - 1);
  });

  it("extends one chain from large and small batches written at once", async () => {
    const db = stores[0]!.db;
    const before = (await verifyConsentChain(db)).events;
    const writes = Array.from({ length: 12 }, (_, i) => {
      const ledger = ledgers[i % ledgers.length] as ConsentLedger;
      // Every third write is large (COPY), the others a single event (insert).
      return ledger.record(i % 3 === 0 ? batch(`race${i}`, COPY_FROM + i, "surveys") : batch(`race${i}`, 1, "surveys"));
    });
    const written = (await Promise.all(writes)).flat();
    const expected = Array.from({ length: 12 }, (_, i) => (i % 3 === 0 ? COPY_FROM + i : 1)).reduce((a, b) => a + b);
    expect(written).toHaveLength(expected);
    expect(await verifyConsentChain(db)).toMatchObject({ ok: true, events: before + expected });
  });

  // PGlite has no connection but the store's own.
  it.skipIf(backend.name !== "postgres")(
    "refuses a COPY job through a connection that is not the store's",
    async () => {
      const { Kysely, PostgresDialect } = await import("kysely");
      const pg = (await import("pg")).default;
      // A plain pg pool answers the sentinel as the select it also is: the rows must not be taken as written.
      const pool = new pg.Pool({ connectionString: String(fresh.options.databaseUrl), max: 1 });
      const plain = new Kysely<unknown>({ dialect: new PostgresDialect({ pool }) });
      try {
        await expect(copyRows(plain, "consent_events", ["actor"], [copyLine(["x"])])).rejects.toThrow(
          /does not take COPY jobs/,
        );
      } finally {
        await plain.destroy();
      }
    },
  );
});
