/**
 * The request service's own records are kept 24 months after a request closes (CCPA regs §7101) and then deleted by
 * the workers' sweep — row, sealed identities, code and package — on a clock the test moves. Their audit events stay
 * in the chain without their payloads, the chain still verifies, and tampering with what is left of them is found —
 * on the embedded store and on PostgreSQL.
 */
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { linkAuditChain } from "../../src/audit/link-audit-chain.ts";
import { verifyAuditChain } from "../../src/audit/verify-audit-chain.ts";
import { monthsBefore } from "../../src/requests/delete-old-records.ts";
import { stewardAsync } from "../cli/run-cli.ts";
import { type SqliteService, startSqliteService } from "./sqlite-service.ts";

let s: SqliteService;
const DAY = 86_400_000;

const gone = async (id: string) =>
  (await s.store.db.selectFrom("requests").select("id").where("id", "=", id).executeTakeFirst()) === undefined;

async function until(check: () => Promise<boolean>, what: string, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const eventsOf = (id: string) =>
  s.store.db.selectFrom("audit_events").selectAll().where("request_id", "=", id).orderBy("id").execute();

describe("monthsBefore", () => {
  it("counts calendar months back, to the month's last day when it has no such day", () => {
    const iso = (d: string, n: number) => monthsBefore(new Date(d), n).toISOString();
    expect(iso("2027-03-15T10:00:00.000Z", 24)).toBe("2025-03-15T10:00:00.000Z");
    expect(iso("2026-02-28T00:00:00.000Z", 24)).toBe("2024-02-28T00:00:00.000Z");
    expect(iso("2027-02-28T00:00:00.000Z", 12)).toBe("2026-02-28T00:00:00.000Z");
    expect(iso("2026-03-31T08:00:00.000Z", 1)).toBe("2026-02-28T08:00:00.000Z");
    expect(iso("2028-03-31T08:00:00.000Z", 1)).toBe("2028-02-29T08:00:00.000Z");
    expect(iso("2027-01-31T08:00:00.000Z", 14)).toBe("2025-11-30T08:00:00.000Z");
  });
});

describe.each(["pglite", "postgres"] as const)("request records past 24 months (store on %s)", (backend) => {
  beforeAll(async () => {
    s = await startSqliteService({ config: { recordMonths: 24 }, sweepSeconds: 1, backend });
    s.addPerson(1, "alice@example.org", "Alice");
    s.addPerson(2, "bob@example.org", "Bob");
    s.addPerson(3, "carol@example.org", "Carol");
  }, 60_000);

  afterAll(async () => {
    await s?.close();
  });

  let access: string;
  let erasure: string;
  let held: string;
  let deletedBy: number;

  it("are deleted by the workers with their package and identities; the held and the younger stay", async () => {
    access = await s.submitVerified("access", "alice@example.org");
    erasure = await s.submitVerified("erasure", "bob@example.org");
    held = await s.submitVerified("access", "carol@example.org");
    for (const id of [access, erasure, held]) await s.waitFor(id, (r) => r.status === "completed");
    // Their last mails are sent (and in the trail) before the clock jumps: a mail job in hand two years on is not a
    // case a store meets.
    for (const [id, mail] of [
      [access, "ready"],
      [erasure, "done"],
      [held, "ready"],
    ] as const)
      await until(
        async () => (await eventsOf(id)).some((e) => e.kind === "mail.sent" && e.payload["mail"] === mail),
        `the ${mail} mail of ${id}`,
      );
    const packages = await s.store.db.selectFrom("request_results").select("request_id").execute();
    expect(packages.map((p) => p.request_id).sort()).toEqual([access, held].sort());
    const [hold] = await s.service.placeHold({ request_id: held }, "litigation 2026-31", "key:dpo");
    // A year on, a request received and closed then: younger than 24 months when the first three are older.
    s.advance(365 * DAY);
    const { row: younger } = await s.service.submit({
      type: "access",
      identity: { email: "dave@example.org" },
      jurisdiction: "eea",
    });
    await s.service.act(younger.id, "cancel", "key:dpo");

    // A day short of 24 months after they closed, nothing goes.
    s.advance(364 * DAY);
    expect((await s.service.sweepRequests()).deleted).toEqual({ requests: 0, events: 0, holds: 0 });
    s.advance(2 * DAY);
    await until(async () => (await gone(access)) && (await gone(erasure)), "the two records deleted");

    expect(await gone(held)).toBe(false);
    expect(await gone(younger.id)).toBe(false);
    const left = await s.store.db.selectFrom("request_results").select("request_id").execute();
    expect(left.map((p) => p.request_id)).toEqual([held]);
    const codes = await s.store.db
      .selectFrom("verification_codes")
      .select("request_id")
      .where("request_id", "in", [access, erasure])
      .execute();
    expect(codes).toEqual([]);

    // The trail keeps that they happened — kind, time, actor — without what they said.
    const events = [...(await eventsOf(access)), ...(await eventsOf(erasure))];
    expect(events.length).toBeGreaterThan(10);
    expect(events.map((e) => e.kind)).toEqual(expect.arrayContaining(["request.received", "request.completed"]));
    expect(new Set(events.map((e) => JSON.stringify(e.payload)))).toEqual(new Set(["{}"]));
    const by = new Set(events.map((e) => e.pruned_by));
    expect(by.size).toBe(1);
    deletedBy = [...by][0]!;
    const record = await s.store.db
      .selectFrom("audit_events")
      .selectAll()
      .where("id", "=", deletedBy)
      .executeTakeFirstOrThrow();
    expect(record).toMatchObject({ kind: "records.deleted", actor: "system", request_id: null, pruned_by: null });
    expect(record.payload).toMatchObject({ requests: 2, holds: 0, events: events.length, kept_months: 24 });
    expect(record.payload["digest"]).toMatch(/^[0-9a-f]{64}$/);
    // The held request's events are whole.
    expect((await eventsOf(held)).every((e) => e.pruned_by === null && Object.keys(e.payload).length > 0)).toBe(true);

    expect(await verifyAuditChain(s.store.db)).toMatchObject({ ok: true, pruned: events.length });
    if (s.storeUrl) {
      const verify = await stewardAsync(["audit", "verify"], { STEWARD_DATABASE_URL: s.storeUrl });
      expect(verify.code, verify.stderr).toBe(0);
      expect(verify.stdout).toContain(
        `; ${events.length} of them without their payloads (their requests' records were deleted after the retention period), checked against the records.deleted events`,
      );
    }

    // Once the hold is lifted, the record — closed more than 24 months ago — goes at the next sweep; the lifted hold
    // (with the person's sealed identities) goes 24 months after it was lifted, as does the younger record.
    await s.service.liftHold(hold!.id, "key:dpo", "settled");
    await until(() => gone(held), "the held record deleted once the hold is lifted");
    expect(await s.store.db.selectFrom("legal_holds").select("id").execute()).toHaveLength(1);
    s.advance(24 * 31 * DAY);
    await until(async () => await gone(younger.id), "the younger record deleted");
    await until(
      async () => (await s.store.db.selectFrom("legal_holds").select("id").execute()).length === 0,
      "the lifted hold deleted",
    );
    const records = await s.store.db
      .selectFrom("audit_events")
      .select("payload")
      .where("kind", "=", "records.deleted")
      .orderBy("id")
      .execute();
    expect(records.map((r) => [r.payload["requests"], r.payload["holds"]])).toEqual(
      expect.arrayContaining([
        [2, 0],
        [1, 0],
      ]),
    );
    expect(records.reduce((n, r) => n + Number(r.payload["holds"]), 0)).toBe(1);
    expect(await verifyAuditChain(s.store.db)).toMatchObject({ ok: true });
  });

  it("keeps the trail append-only but for that one change", async () => {
    const [victim] = await eventsOf(access);
    const whole = await s.store.db
      .selectFrom("audit_events")
      .select("id")
      .where("pruned_by", "is", null)
      .orderBy("id")
      .executeTakeFirstOrThrow();
    const refused = (statement: ReturnType<typeof sql>) =>
      expect(statement.execute(s.store.db)).rejects.toThrow(/append-only/);
    // Emptying a payload without naming the records.deleted event, naming one from before, or changing anything else.
    await refused(sql`update audit_events set payload = '{}'::jsonb where id = ${whole.id}`);
    await refused(sql`update audit_events set payload = '{}'::jsonb, pruned_by = ${whole.id} where id = ${whole.id}`);
    await refused(sql`update audit_events set kind = 'request.cancelled' where id = ${victim!.id}`);
    await refused(sql`update audit_events set pruned_by = null where id = ${victim!.id}`);
    await refused(sql`delete from audit_events where id = ${victim!.id}`);
  });

  it("finds an emptied event that was changed, or removed, behind the trail's back", async () => {
    const [first, second] = await eventsOf(access);
    const asConsole = async (statement: ReturnType<typeof sql>) => {
      await sql`alter table audit_events disable trigger audit_events_immutable`.execute(s.store.db);
      try {
        await statement.execute(s.store.db);
      } finally {
        await sql`alter table audit_events enable trigger audit_events_immutable`.execute(s.store.db);
      }
    };
    // Changed: its kind rewritten. Its own hash cannot show it; the digest of the records.deleted event does.
    await asConsole(sql`update audit_events set kind = 'request.denied' where id = ${first!.id}`);
    expect(await verifyAuditChain(s.store.db)).toMatchObject({
      ok: false,
      brokenAt: { id: deletedBy, kind: "records.deleted", why: expect.stringContaining("not the ones it names") },
    });
    if (s.storeUrl) {
      const verify = await stewardAsync(["audit", "verify"], { STEWARD_DATABASE_URL: s.storeUrl });
      expect(verify.code).toBe(1);
      expect(verify.stdout).toMatch(new RegExp(`^audit chain BROKEN at event ${deletedBy} \\(records\\.deleted\\): `));
    }
    await asConsole(sql`update audit_events set kind = ${first!.kind} where id = ${first!.id}`);
    expect(await verifyAuditChain(s.store.db)).toMatchObject({ ok: true });

    // Removed, and the next one relinked to the one before: every link holds, the digest does not.
    await asConsole(sql`delete from audit_events where id = ${first!.id}`);
    await asConsole(sql`update audit_events set prev_hash = ${first!.prev_hash} where id = ${second!.id}`);
    expect(await verifyAuditChain(s.store.db)).toMatchObject({
      ok: false,
      brokenAt: { id: deletedBy, kind: "records.deleted" },
    });
  });

  it("deletes no record whose events no longer match their hashes", async () => {
    const { row } = await s.service.submit({
      type: "access",
      identity: { email: "erin@example.org" },
      jurisdiction: "eea",
    });
    await s.service.act(row.id, "cancel", "key:dpo", "asked by phone");
    // Changed once it is in the chain: an event is linked within moments of its write, and only then covered by a hash.
    await linkAuditChain(s.store.db);
    const [received] = await eventsOf(row.id);
    await sql`alter table audit_events disable trigger audit_events_immutable`.execute(s.store.db);
    await sql`update audit_events set payload = '{"source":"admin"}'::jsonb where id = ${received!.id}`.execute(
      s.store.db,
    );
    await sql`alter table audit_events enable trigger audit_events_immutable`.execute(s.store.db);
    s.advance(25 * 31 * DAY);
    await expect(s.service.sweepRequests()).rejects.toMatchObject({
      code: "STW_AUDIT_RECORDS_NOT_DELETED",
      message: expect.stringContaining(`its audit event ${received!.id} ("request.received")`),
    });
    expect(await gone(row.id)).toBe(false);
    expect((await eventsOf(row.id)).every((e) => e.pruned_by === null)).toBe(true);
    // The worker's own sweep met it too, and told whoever runs the worker.
    await until(async () => s.sweepErrors.length > 0, "the sweep's failure reported");
    expect(s.sweepErrors[0]).toMatchObject({ code: "STW_AUDIT_RECORDS_NOT_DELETED" });
  });
});
