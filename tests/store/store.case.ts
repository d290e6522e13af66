/**
 * The one list of store cases, run against every backend (Hono's `common.case.test.ts` style): `pglite.test.ts` and
 * `postgres.test.ts` each call `runStoreCases`. A backend may skip a case only with a written reason.
 */
import { Migrator, sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { appendAuditEvent } from "../../src/audit/append-audit-event.ts";
import { verifyAuditChain } from "../../src/audit/verify-audit-chain.ts";
import { isStewardError, type StewardError } from "../../src/errors.ts";
import {
  MIGRATION_LOCK_TABLE,
  MIGRATION_TABLE,
  migrateStore,
  SUPPORTED_SCHEMA_VERSION,
} from "../../src/store/migrate-store.ts";
import { MIGRATIONS } from "../../src/store/migrations/index.ts";
import { openStore, withStore } from "../../src/store/open-store.ts";
import { listNoticeVersions } from "../../src/store/sql/list-notice-versions.ts";
import { type NoticeVersionInput, recordNoticeVersion } from "../../src/store/sql/record-notice-version.ts";
import type { Store } from "../../src/store/store.ts";
import type { FreshStore, StoreBackend } from "./backends.ts";

export interface StoreCaseOptions {
  readonly backend: StoreBackend;
  readonly skip?: readonly { readonly reason: string; readonly tests: readonly string[] }[];
}

const NOTICE: NoticeVersionInput = {
  version: "2025-01-01",
  effective_date: "2025-01-01",
  manifest_hash: "a".repeat(64),
  rendered_md: "# Notice\n",
  rendered_html: "<h1>Notice</h1>",
};

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the promise to reject");
}

async function coded(promise: Promise<unknown>): Promise<StewardError> {
  const error = await rejection(promise);
  if (!isStewardError(error)) throw error;
  return error;
}

export function runStoreCases({ backend, skip = [] }: StoreCaseOptions): void {
  const skipped = new Map(skip.flatMap((s) => s.tests.map((t) => [t, s.reason] as const)));
  const test = (name: string, body: () => Promise<void>) => {
    const reason = skipped.get(name);
    if (reason) it.skip(`${name} (skipped: ${reason})`, body);
    else it(name, body);
  };

  describe(`store on ${backend.name}`, () => {
    const cleanup: (() => Promise<void>)[] = [];
    afterEach(async () => {
      for (const step of cleanup.splice(0).reverse()) await step();
    });
    /** A fresh location, disposed after the case. */
    const fresh = async (): Promise<FreshStore> => {
      const location = await backend.fresh();
      cleanup.push(location.dispose);
      return location;
    };
    /** A fresh, migrated store, closed (then disposed) after the case. */
    const open = async (): Promise<Store> => {
      const store = await openStore((await fresh()).options);
      cleanup.push(() => store.close());
      return store;
    };

    test("migrations apply to an empty store", async () => {
      const { options } = await fresh();
      const store = await openStore({ ...options, migrate: false });
      cleanup.push(() => store.close());
      expect(store.schemaVersion).toBe(0);
      const report = await migrateStore(store.db);
      expect(report).toEqual({
        from: 0,
        to: SUPPORTED_SCHEMA_VERSION,
        applied: [
          "0001_initial",
          "0002_request_service",
          "0003_consent_ledger",
          "0004_consent_deliveries",
          "0005_admin_sessions",
          "0006_notice_changes",
          "0007_hold_identities",
          "0008_notice_notifications",
          "0009_retention_clocks",
          "0010_request_retries",
          "0011_request_record_retention",
          "0012_drp_agents",
          "0013_audit_linked_later",
          "0014_drp_callbacks",
        ],
      });
      const tables = await sql<{ table_name: string }>`
        select table_name from information_schema.tables where table_schema = current_schema() order by table_name`.execute(
        store.db,
      );
      expect(tables.rows.map((r) => r.table_name)).toEqual(
        expect.arrayContaining(["audit_events", "notice_versions", "requests", MIGRATION_TABLE]),
      );
    });

    test("re-running migrations is a no-op and data survives a reopen", async () => {
      const { options } = await fresh();
      await withStore(options, async (store) => {
        expect(store.schemaVersion).toBe(SUPPORTED_SCHEMA_VERSION);
        await recordNoticeVersion(store.db, NOTICE);
        expect(await migrateStore(store.db)).toEqual({
          from: SUPPORTED_SCHEMA_VERSION,
          to: SUPPORTED_SCHEMA_VERSION,
          applied: [],
        });
      });
      await withStore(options, async (store) => {
        expect(store.schemaVersion).toBe(SUPPORTED_SCHEMA_VERSION);
        expect((await listNoticeVersions(store.db)).map((v) => v.version)).toEqual([NOTICE.version]);
      });
    });

    test("a store with a newer schema is refused with STW_STORE_SCHEMA_NEWER", async () => {
      const { options } = await fresh();
      const future = SUPPORTED_SCHEMA_VERSION + 1;
      await withStore(options, async (store) => {
        await sql`insert into ${sql.table(MIGRATION_TABLE)} (name, timestamp)
                  values (${`${String(future).padStart(4, "0")}_from_the_future`}, ${new Date().toISOString()})`.execute(
          store.db,
        );
      });
      const error = await coded(openStore(options));
      expect(error.code).toBe("STW_STORE_SCHEMA_NEWER");
      expect(error.message).toContain(`version ${future}`);
      expect(error.message).toContain(`up to ${SUPPORTED_SCHEMA_VERSION}`);
      expect(error.message).toContain("Upgrade Steward");
    });

    test("an unreachable store is reported with STW_STORE_UNREACHABLE", async () => {
      const location = await backend.unreachable();
      cleanup.push(location.dispose);
      const error = await coded(openStore(location.options));
      expect(error.code).toBe("STW_STORE_UNREACHABLE");
      expect(error.status).toBe(503);
      if (location.secret) expect(error.message).not.toContain(location.secret);
    });

    test("recording a notice version is idempotent; a changed hash is a conflict", async () => {
      const store = await open();
      const first = await recordNoticeVersion(store.db, NOTICE);
      expect(first.outcome).toBe("recorded");
      const again = await recordNoticeVersion(store.db, NOTICE);
      expect(again).toEqual({ outcome: "unchanged", published_at: first.published_at });
      const changed = await recordNoticeVersion(store.db, { ...NOTICE, manifest_hash: "b".repeat(64) });
      expect(changed).toEqual({
        outcome: "conflict",
        published_at: first.published_at,
        recorded_hash: NOTICE.manifest_hash,
      });
      const rows = await store.db.selectFrom("notice_versions").selectAll().execute();
      expect(rows).toHaveLength(1);
      // Same types on both backends: `date` as the stored string, `timestamptz` as a Date.
      expect(rows[0]).toMatchObject({ ...NOTICE, effective_date: "2025-01-01" });
      expect(rows[0]?.published_at).toBeInstanceOf(Date);
    });

    test("published notice versions cannot be changed or deleted", async () => {
      const store = await open();
      await recordNoticeVersion(store.db, NOTICE);
      const update = await rejection(sql`update notice_versions set rendered_md = 'edited'`.execute(store.db));
      expect(String(update)).toMatch(/append-only/);
      const remove = await rejection(sql`delete from notice_versions`.execute(store.db));
      expect(String(remove)).toMatch(/append-only/);
      expect((await store.db.selectFrom("notice_versions").select("rendered_md").executeTakeFirst())?.rendered_md).toBe(
        NOTICE.rendered_md,
      );
    });

    test("audit events are append-only: UPDATE, DELETE and TRUNCATE are rejected by a trigger", async () => {
      const store = await open();
      const first = await appendAuditEvent(store.db, { actor: "system", kind: "notice.published", payload: { v: 1 } });
      const second = await appendAuditEvent(store.db, { actor: "system", kind: "store.opened" });
      expect(typeof first).toBe("number");
      expect(second).toBeGreaterThan(first!);
      for (const statement of [
        sql`update audit_events set kind = 'rewritten'`,
        sql`delete from audit_events where id = ${first}`,
        sql`truncate audit_events`,
      ]) {
        const error = (await rejection(statement.execute(store.db))) as { code?: string };
        expect(String(error)).toMatch(/audit_events is append-only/);
        expect(error.code).toBe("23001");
      }
      const rows = await store.db.selectFrom("audit_events").select(["id", "kind", "payload"]).orderBy("id").execute();
      expect(rows).toEqual([
        { id: first, kind: "notice.published", payload: { v: 1 } },
        { id: second, kind: "store.opened", payload: {} },
      ]);
    });

    test("audit events form one hash chain, also when appended from many connections at once", async () => {
      const store = await open();
      await Promise.all(
        Array.from({ length: 24 }, (_, i) =>
          appendAuditEvent(store.db, { actor: "system", kind: "test.concurrent", payload: { i } }),
        ),
      );
      const verdict = await verifyAuditChain(store.db);
      expect(verdict).toMatchObject({ ok: true, events: 24 });
      const rows = await store.db.selectFrom("audit_events").select(["prev_hash", "hash"]).orderBy("seq").execute();
      expect(rows).toHaveLength(24);
      expect(rows[0]?.prev_hash).toBe("");
      for (let i = 1; i < rows.length; i += 1) expect(rows[i]?.prev_hash).toBe(rows[i - 1]?.hash);
    });

    test("migration 2 chains the audit events written before it", async () => {
      const { options } = await fresh();
      const store = await openStore({ ...options, migrate: false });
      cleanup.push(() => store.close());
      const migrator = new Migrator({
        db: store.db,
        provider: { getMigrations: async () => ({ ...MIGRATIONS }) },
        migrationTableName: MIGRATION_TABLE,
        migrationLockTableName: MIGRATION_LOCK_TABLE,
      });
      expect((await migrator.migrateTo("0001_initial")).error).toBeUndefined();
      for (const kind of ["notice.published", "store.opened", "notice.published"])
        await sql`insert into audit_events (actor, kind, payload) values ('system', ${kind}, '{"v": 1}'::jsonb)`.execute(
          store.db,
        );
      await migrateStore(store.db);
      expect(await verifyAuditChain(store.db)).toMatchObject({ ok: true, events: 3 });
      await appendAuditEvent(store.db, { actor: "system", kind: "after.migration" });
      expect(await verifyAuditChain(store.db)).toMatchObject({ ok: true, events: 4 });
    });

    test("an audit payload with personal data is refused before it is written", async () => {
      const store = await open();
      const byKey = await coded(
        appendAuditEvent(store.db, { actor: "system", kind: "request.created", payload: { email: "x" } }),
      );
      expect(byKey.code).toBe("STW_AUDIT_PERSONAL_DATA");
      expect(byKey.message).toContain("payload.email");
      const byValue = await coded(
        appendAuditEvent(store.db, {
          actor: "system",
          kind: "request.created",
          payload: { notes: ["ok", "reach me at ada@example.org"] },
        }),
      );
      expect(byValue.message).toContain("payload.notes[1]");
      const count = await store.db
        .selectFrom("audit_events")
        .select((eb) => eb.fn.countAll().as("n"))
        .executeTakeFirst();
      expect(count?.n).toBe(0);
    });

    test("requests keep a hash of the identities and only the known request types", async () => {
      const store = await open();
      const row = await store.db
        .insertInto("requests")
        .values({
          type: "erasure",
          status: "received",
          identities_hash: "h".repeat(64),
          due_at: new Date("2030-01-01"),
        })
        .returning(["id", "created_at", "closed_at"])
        .executeTakeFirstOrThrow();
      expect(row.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(row.closed_at).toBeNull();
      const bad = await rejection(
        sql`insert into requests (type, status, identities_hash, due_at) values ('sell_my_data', 'received', 'h', now())`.execute(
          store.db,
        ),
      );
      expect(String(bad)).toMatch(/check constraint/);
    });

    test("a transaction is not joined by work running beside it", async () => {
      const store = await open();
      const failing = store.db.transaction().execute(async (tx) => {
        await appendAuditEvent(tx, { actor: "system", kind: "inside.transaction" });
        await sql`select pg_sleep(0.05)`.execute(tx);
        throw new Error("roll back");
      });
      const beside = appendAuditEvent(store.db, { actor: "system", kind: "beside.transaction" });
      await expect(failing).rejects.toThrow("roll back");
      await beside;
      const kinds = await store.db.selectFrom("audit_events").select("kind").execute();
      expect(kinds.map((k) => k.kind)).toEqual(["beside.transaction"]);
    });

    test("withStore closes the store, also when the callback fails", async () => {
      const { options } = await fresh();
      let kept: Store | undefined;
      await expect(
        withStore(options, async (store) => {
          kept = store;
          expect(await store.ping()).toEqual({ ok: true });
          throw new Error("callback failed");
        }),
      ).rejects.toThrow("callback failed");
      expect((await kept?.ping())?.ok).toBe(false);
      await kept?.close(); // closing twice is harmless
    });
  });
}
