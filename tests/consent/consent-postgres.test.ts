import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConsentLedger } from "../../src/consent/consent-ledger.ts";
import { verifyConsentChain } from "../../src/consent/verify-consent-chain.ts";
import { loadManifestDir } from "../../src/fs/load-manifest-dir.ts";
import { KeyedHash } from "../../src/secrets/keyed-hash.ts";
import { Sealer } from "../../src/secrets/seal.ts";
import { openStore } from "../../src/store/open-store.ts";
import type { Store } from "../../src/store/store.ts";
import { type FreshStore, POSTGRES_ADMIN_URL, postgresBackend } from "../store/backends.ts";
import { EXAMPLE, SECRET } from "./consent-fixture.ts";

let fresh: FreshStore;
let stores: Store[] = [];
let ledgers: ConsentLedger[] = [];

beforeAll(async () => {
  fresh = await postgresBackend.fresh();
  const manifest = await loadManifestDir(EXAMPLE);
  const hash = new KeyedHash(SECRET);
  const sealer = new Sealer(SECRET);
  // Two processes' worth: each its own store (pool and listening connection) on one PostgreSQL database.
  stores = [await openStore(fresh.options), await openStore(fresh.options)];
  ledgers = await Promise.all(stores.map((store) => ConsentLedger.open({ store, manifest, hash, sealer })));
}, 60_000);

afterAll(async () => {
  for (const l of ledgers) await l.close();
  for (const s of stores) await s.close();
  await fresh?.dispose();
});

async function eventually<T>(read: () => T | Promise<T>, ok: (v: T) => boolean, ms = 5_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (ok(v) || Date.now() > end) return v;
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe("the decision cache across processes on one PostgreSQL", () => {
  it("drops a cached decision when another process records a change (LISTEN/NOTIFY)", async () => {
    const [a, b] = ledgers as [ConsentLedger, ConsentLedger];
    const subject = "email:hana@example.com";
    expect(await a.decide(subject, "marketing_email", "eea")).toMatchObject({ allowed: false });
    expect(a.decideCached(subject, "marketing_email", "eea")).toMatchObject({ allowed: false });

    await b.record({
      subject,
      purpose: "marketing_email",
      status: "granted",
      method: "preferences",
      jurisdiction: "eea",
      actor: "host",
    });
    // The notice arrives after B's commit: A's entry is gone, and the next decision reads the ledger.
    const cached = await eventually(
      () => a.decideCached(subject, "marketing_email", "eea"),
      (d) => d === undefined,
    );
    expect(cached).toBeUndefined();
    expect(await a.decide(subject, "marketing_email")).toMatchObject({ allowed: true, code: "consent_given" });
  });

  it("serves nothing stale while its listening connection is lost, and listens again", async () => {
    const [a, b] = ledgers as [ConsentLedger, ConsentLedger];
    const subject = "email:ines@example.com";
    expect(await a.decide(subject, "marketing_email", "eea")).toMatchObject({ allowed: false });
    // Cut every LISTEN connection of this database, as a restart of PostgreSQL or a network cut would.
    const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
    await admin.connect();
    const cut = await admin.query<{ n: number }>(
      "select count(*)::int as n from pg_stat_activity where datname = $1 and query ilike 'listen %' and pg_terminate_backend(pid)",
      [new URL(String(fresh.options.databaseUrl)).pathname.slice(1)],
    );
    await admin.end();
    expect(cut.rows[0]?.n).toBe(2);
    await b.record({
      subject,
      purpose: "marketing_email",
      status: "granted",
      method: "api",
      jurisdiction: "eea",
      actor: "host",
    });
    // Whether or not A heard it: it decides from the ledger, not from a cache it cannot keep fresh.
    expect(await a.decide(subject, "marketing_email")).toMatchObject({ allowed: true, code: "consent_given" });
    // Once it listens again, B's next change reaches its cache too.
    await eventually(
      async () => {
        await a.decide(subject, "marketing_email");
        return a.decideCached(subject, "marketing_email") !== undefined;
      },
      (cached) => cached,
    );
    await b.record({ subject, purpose: "marketing_email", status: "withdrawn", method: "api", actor: "host" });
    const after = await eventually(
      () => a.decideCached(subject, "marketing_email"),
      (d) => d === undefined,
    );
    expect(after).toBeUndefined();
    expect(await a.decide(subject, "marketing_email")).toMatchObject({ allowed: false, code: "withdrawn" });
  });

  it("links a device to one person only", async () => {
    const [a] = ledgers as [ConsentLedger];
    await a.link("device:dev_shared_0000000000001", "email:joe@example.com");
    await a.link("device:dev_shared_0000000000001", "email:joe@example.com");
    await expect(a.link("device:dev_shared_0000000000001", "email:kai@example.com")).rejects.toMatchObject({
      code: "STW_CONSENT_LINKED_ELSEWHERE",
    });
  });

  it("chains appends from both processes, racing, into one ledger", async () => {
    const [a, b] = ledgers as [ConsentLedger, ConsentLedger];
    const write = (l: ConsentLedger, i: number) =>
      l.record({
        subject: `device:dev_race_${String(i).padStart(12, "0")}`,
        purpose: "session_replay",
        status: i % 2 ? "withdrawn" : "granted",
        method: "banner",
        actor: "subject",
      });
    await Promise.all(Array.from({ length: 60 }, (_, i) => write(i % 2 ? a : b, i)));
    const verdict = await verifyConsentChain(stores[0]!.db);
    expect(verdict).toMatchObject({ ok: true, events: 63 });
  });
});
