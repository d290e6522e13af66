/**
 * The engine on the reference deployment: the learning platform's PostgreSQL and MariaDB databases, seeded by
 * `demo seed`. The rows a learner owns are computed here with the test's own SQL (independent of the planner); access
 * must return exactly those, and erasure must change exactly those — every other row of both databases is compared
 * before and after. The named cases of the notice (peer reviews, forum posts, for-credit enrolments, the photo ID,
 * instructors' lectures) are checked one by one, and a second erasure, a batch and a resumed crash are covered.
 */
import { performance } from "node:perf_hooks";
import type mysql from "mysql2/promise";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Connector, TransactionOptions } from "../../src/connectors/connector.ts";
import { type FakeFullStory, startFakeFullStory } from "../../src/demo/fakes/fake-fullstory.ts";
import { type FakeStripe, STRIPE_FIXTURE, startFakeStripe } from "../../src/demo/fakes/fake-stripe.ts";
import { seedDemo } from "../../src/demo/seed-demo.ts";
import { unite } from "../../src/engine/identities.ts";
import { portable, runAccess, runErasure, runRectification } from "../../src/engine/run-request.ts";
import { Stores } from "../../src/engine/stores.ts";
import { loadManifestDir } from "../../src/fs/load-manifest-dir.ts";
import type { Manifest } from "../../src/manifest/types.ts";
import { demoDatabases } from "../demo/demo-databases.ts";
import { keysOf, type Learner, owned as ownedRows, snapshot as snapshotRows } from "./reference-rows.ts";

const EXAMPLE = new URL("../../examples/learning-platform", import.meta.url).pathname;
const dbs = demoDatabases("engine");
let manifest: Manifest;
let pgc: pg.Client;
let my: mysql.Connection;
let stripe: FakeStripe;
let fullstory: FakeFullStory;
const SECRETS = { STRIPE_SECRET_KEY: "sk_test_reference", FULLSTORY_API_KEY: "fs-reference-key" };

const snapshot = () => snapshotRows(pgc, my);
const owned = (l: Learner) => ownedRows(pgc, my, l);

/**
 * Columns that name a person where two of them are looked up the same way (a review's reviewer and reviewee, both
 * account ids), and the learner's own value: where such a column names someone else, access leaves it out.
 */
const PERSON_COLUMNS = (l: Learner): Record<string, Record<string, string>> => ({
  "learning_app.peer_reviews": { reviewer_id: l.id, reviewee_id: l.id },
});

async function learner(where: string): Promise<Learner> {
  const { rows } = await pgc.query(
    `SELECT u.id::text AS id, u.email, u.mobile_device_id AS device FROM users u WHERE ${where} ORDER BY u.id LIMIT 1`,
  );
  expect(rows, `a learner where ${where}`).toHaveLength(1);
  return rows[0] as Learner;
}

const connections = () => ({
  learning_app: dbs.pgUrl,
  learning_analytics: dbs.myUrl,
  stripe: stripe.url,
  fullstory: fullstory.url,
});
const storesFor = () => new Stores(manifest, { connections: connections(), env: SECRETS });

/** Gives the learner an account at both processors (Stripe: a customer without charges; FullStory: a user). */
function atProcessors(l: Learner): { customer: string; user: string } {
  const customer = `cus_ref${l.id}`;
  stripe.customers.set(customer, {
    ...structuredClone(STRIPE_FIXTURE.customers[0]),
    id: customer,
    email: l.email,
    name: "Reference Learner",
  });
  const user = `90000${l.id}`;
  fullstory.users.set(user, {
    ...structuredClone([...fullstory.users.values()][0]),
    id: user,
    uid: l.id,
    email: l.email,
    display_name: "Reference Learner",
  });
  return { customer, user };
}

/** Runs one erasure and returns what changed: rows gone, rows changed (before, after), and the outcome. */
async function erase(l: Learner | Learner[], stores = storesFor()) {
  const people = (Array.isArray(l) ? l : [l]).map((x) => new Map([["email", [x.email]]]) as Map<string, string[]>);
  const before = await snapshot();
  const outcome = await runErasure(manifest, unite(people), stores).finally(() => stores.closeAll());
  const after = await snapshot();
  const gone = [...before.keys()].filter((k) => !after.has(k));
  const changed = [...before.keys()].filter((k) => after.has(k) && after.get(k) !== before.get(k));
  expect(
    [...after.keys()].filter((k) => !before.has(k)),
    "no row appears",
  ).toEqual([]);
  return { before, after, gone, changed, outcome };
}

beforeAll(async () => {
  await seedDemo({ learners: 400, seed: 11, postgresUrl: dbs.pgUrl, mysqlUrl: dbs.myUrl });
  manifest = await loadManifestDir(EXAMPLE);
  pgc = await dbs.pg();
  my = await dbs.my();
  stripe = await startFakeStripe(SECRETS.STRIPE_SECRET_KEY);
  fullstory = await startFakeFullStory(SECRETS.FULLSTORY_API_KEY);
}, 120_000);

afterAll(async () => {
  await pgc?.end();
  await my?.end();
  await stripe?.close();
  await fullstory?.close();
  await dbs.drop();
});

describe("access on the reference deployment", () => {
  it("returns exactly the rows the test's own SQL finds, with only their personal fields", async () => {
    const l = await learner(
      "EXISTS (SELECT 1 FROM peer_reviews p WHERE p.reviewer_id = u.id) AND EXISTS (SELECT 1 FROM enrollments e WHERE e.user_id = u.id) AND u.mobile_device_id IS NOT NULL",
    );
    const expected = await owned(l);
    const stores = storesFor();
    const outcome = await runAccess(manifest, new Map([["email", [l.email]]]), stores).finally(() => stores.closeAll());
    const access = outcome.access!;
    let compared = 0;
    for (const [collection, rows] of expected) {
      const got = access.collections.find((c) => c.collection === collection);
      const fields = got?.fields.map((f) => f.name) ?? [];
      // A column that names a person is left out where it names someone else (Art. 15(4)).
      const mineIn = PERSON_COLUMNS(l)[collection] ?? {};
      const project = (r: Record<string, unknown>) =>
        JSON.stringify(
          Object.fromEntries(
            fields.map((f) => [
              f,
              f in mineIn && r[f] !== null && String(r[f]) !== mineIn[f] ? null : portable(normalise(r[f])),
            ]),
          ),
        );
      expect(outcome.collections[collection]?.read, collection).toBe(rows.length);
      if (!got) continue;
      expect(
        got.rows.map((r) => JSON.stringify(Object.fromEntries(fields.map((f) => [f, normalise(r[f])])))).sort(),
        collection,
      ).toEqual(rows.map(project).sort());
      compared += rows.length;
    }
    expect(compared).toBeGreaterThan(10);
    // Reviews name two people: the copy keeps the learner's side only, and says what it left out.
    const reviews = access.collections.find((c) => c.collection === "learning_app.peer_reviews");
    const all = expected.get("learning_app.peer_reviews")!;
    const count = (f: string) => all.filter((r) => String(r[f]) !== l.id).length;
    expect(count("reviewer_id") + count("reviewee_id")).toBeGreaterThan(0);
    expect([...(reviews?.withheld ?? [])].sort((a, b) => a.field.localeCompare(b.field))).toEqual(
      [
        { field: "reviewee_id", rows: count("reviewee_id") },
        { field: "reviewer_id", rows: count("reviewer_id") },
      ].filter((w) => w.rows > 0),
    );
    // Identity values found on rows about other people are never followed: nobody else's account is in the package.
    const users = access.collections.find((c) => c.collection === "learning_app.users");
    expect(users?.rows).toHaveLength(1);
    expect(users?.rows[0]?.["email"]).toBe(l.email);
  });

  it("a learner nobody knows gets an empty result, not an error", async () => {
    const stores = storesFor();
    const outcome = await runAccess(manifest, new Map([["email", ["nobody@nowhere.invalid"]]]), stores).finally(() =>
      stores.closeAll(),
    );
    expect(Object.values(outcome.collections).every((c) => c.read === 0)).toBe(true);
    expect(outcome.access?.collections.every((c) => c.rows.length === 0)).toBe(true);
  });
});

describe("erasure on the reference deployment", () => {
  it("changes exactly the learner's rows, as the manifest says, and a second run changes nothing", async () => {
    const l = await learner(
      `EXISTS (SELECT 1 FROM peer_reviews p WHERE p.reviewer_id = u.id AND p.reviewee_id <> u.id)
       AND EXISTS (SELECT 1 FROM forum_posts f WHERE f.author_id = u.id)
       AND EXISTS (SELECT 1 FROM identity_verifications v WHERE v.user_id = u.id)
       AND NOT EXISTS (SELECT 1 FROM enrollments e WHERE e.user_id = u.id AND e.for_credit)
       AND NOT EXISTS (SELECT 1 FROM recorded_lectures r WHERE r.instructor_id = u.id)`,
    );
    const mine = await owned(l);
    const ownedKeys = keysOf(mine);
    const others = { customers: stripe.customers.size, users: fullstory.users.size };
    const at = atProcessors(l);
    const { before, after, gone, changed, outcome } = await erase(l);

    // The processors: the Stripe customer is deleted, the FullStory user is being deleted, nobody else is touched.
    expect(stripe.customers.has(at.customer)).toBe(false);
    expect(stripe.customers.size).toBe(others.customers);
    expect(outcome.collections["stripe.customers"]).toMatchObject({ read: 1, deleted: 1 });
    expect(outcome.collections["fullstory.users"]).toMatchObject({ read: 1, deleted: 1 });
    expect(fullstory.users.get(at.user)?.["is_being_deleted"]).toBe(true);
    expect([...fullstory.users.values()].filter((u) => u["is_being_deleted"] === true)).toHaveLength(1);
    expect(outcome.unreached).toEqual([]);
    expect(outcome.proof?.complete).toBe(true);

    // Nothing outside the learner's rows changed or went.
    expect([...gone, ...changed].filter((k) => !ownedKeys.has(k))).toEqual([]);
    // Reviews the learner wrote about others stay, with reviewer_id cleared; everything else in the review is intact.
    const written = mine.get("learning_app.peer_reviews")!.filter((r) => String(r["reviewee_id"]) !== l.id);
    expect(written.length).toBeGreaterThan(0);
    for (const r of written) {
      const key = `learning_app.peer_reviews:${String(r["id"])}`;
      expect(JSON.parse(after.get(key)!)).toEqual({ ...JSON.parse(before.get(key)!), reviewer_id: null });
    }
    // Forum posts stay readable without their author.
    for (const r of mine.get("learning_app.forum_posts")!) {
      const key = `learning_app.forum_posts:${String(r["id"])}`;
      expect(JSON.parse(after.get(key)!)).toEqual({ ...JSON.parse(before.get(key)!), author_id: null });
    }
    // Everything else the learner owned is gone — the photo ID with its verification rows, the account itself.
    const stays = new Set([...written, ...mine.get("learning_app.forum_posts")!].map((r) => String(r["id"])));
    for (const key of ownedKeys) {
      const [table = "", id = ""] = key.split(":");
      if ((table === "learning_app.peer_reviews" || table === "learning_app.forum_posts") && stays.has(id)) continue;
      expect(after.has(key), `${key} is erased`).toBe(false);
    }
    expect(mine.get("learning_app.identity_verifications")!.length).toBeGreaterThan(0);
    expect(outcome.collections["learning_app.users"]).toMatchObject({ read: 1, deleted: 1 });
    expect(outcome.proof?.collections["learning_app.users"]).toEqual({ found: 0, kept: 0, residual: 0 });
    expect(Object.values(outcome.proof?.collections ?? {}).every((c) => c.residual === 0)).toBe(true);

    // A second erasure finds nothing more to do and changes nothing.
    const again = await erase(l);
    expect([...again.gone, ...again.changed]).toEqual([]);
    expect(Object.values(again.outcome.collections).every((c) => c.deleted === 0 && c.masked === 0)).toBe(true);
  });

  it("keeps for-credit enrolments, their coursework and the account they need; erases the rest", async () => {
    const l = await learner(
      "EXISTS (SELECT 1 FROM enrollments e WHERE e.user_id = u.id AND e.for_credit) AND EXISTS (SELECT 1 FROM email_subscriptions s WHERE s.user_id = u.id)",
    );
    const mine = await owned(l);
    const credit = mine.get("learning_app.enrollments")!.filter((e) => e["for_credit"] === true);
    const creditIds = new Set(credit.map((e) => String(e["id"])));
    const { after, gone, changed, outcome } = await erase(l);
    const ownedKeys = keysOf(mine);
    expect([...gone, ...changed].filter((k) => !ownedKeys.has(k))).toEqual([]);
    for (const e of credit) expect(after.has(`learning_app.enrollments:${String(e["id"])}`)).toBe(true);
    for (const table of ["assignment_submissions", "quiz_responses", "exam_attempts"])
      for (const r of mine.get(`learning_app.${table}`)!)
        expect(after.has(`learning_app.${table}:${String(r["id"])}`), table).toBe(
          creditIds.has(String(r["enrollment_id"])),
        );
    expect(after.has(`learning_app.users:${l.id}`)).toBe(true);
    for (const s of mine.get("learning_app.email_subscriptions")!)
      expect(after.has(`learning_app.email_subscriptions:${String(s["id"])}`)).toBe(false);
    expect(outcome.notes["learning_app.users"]?.join(" ")).toMatch(/exemption/);
    expect(outcome.proof?.complete).toBe(outcome.unreached.length === 0);
  });

  it("masks an instructor's lectures that other learners' rows still refer to, and the account they need", async () => {
    const l = await learner(
      "EXISTS (SELECT 1 FROM recorded_lectures r JOIN lecture_student_contacts c ON c.lecture_id = r.id WHERE r.instructor_id = u.id AND c.user_id IS DISTINCT FROM u.id)",
    );
    const mine = await owned(l);
    const { after, gone, changed } = await erase(l);
    const ownedKeys = keysOf(mine);
    expect([...gone, ...changed].filter((k) => !ownedKeys.has(k))).toEqual([]);
    const account = JSON.parse(after.get(`learning_app.users:${l.id}`)!) as Record<string, unknown>;
    expect(account["email"]).not.toBe(l.email);
    expect(String(account["email"])).toMatch(/^~/);
    expect(account["phone"]).toBeNull();
    for (const r of mine.get("learning_app.recorded_lectures")!)
      expect(after.has(`learning_app.recorded_lectures:${String(r["id"])}`)).toBe(true);
  });

  it("erases a batch of learners in one pass and nobody else's rows", async () => {
    const { rows } = await pgc.query<Learner>(
      "SELECT id::text AS id, email, mobile_device_id AS device FROM users u WHERE NOT EXISTS (SELECT 1 FROM enrollments e WHERE e.user_id = u.id AND e.for_credit) AND NOT EXISTS (SELECT 1 FROM recorded_lectures r WHERE r.instructor_id = u.id) ORDER BY id DESC LIMIT 12",
    );
    const ownedKeys = new Set<string>();
    for (const l of rows) for (const k of keysOf(await owned(l))) ownedKeys.add(k);
    const { gone, changed, outcome } = await erase(rows);
    expect([...gone, ...changed].filter((k) => !ownedKeys.has(k))).toEqual([]);
    expect(outcome.collections["learning_app.users"]).toMatchObject({ read: 12, deleted: 12 });
    expect(gone.length).toBeGreaterThan(50);
  });

  it("a processor that does not answer is reported as unreached; the databases are still erased", async () => {
    const l = await learner(
      "NOT EXISTS (SELECT 1 FROM enrollments e WHERE e.user_id = u.id AND e.for_credit) AND NOT EXISTS (SELECT 1 FROM recorded_lectures r WHERE r.instructor_id = u.id)",
    );
    const stores = new Stores(manifest, {
      connections: { ...connections(), stripe: "http://127.0.0.1:9" },
      env: SECRETS,
    });
    const { after, outcome } = await erase(l, stores);
    expect(outcome.unreached.map((u) => u.collection)).toEqual(["stripe.customers", "stripe.charges"]);
    expect(outcome.unreached[0]?.why).toMatch(/STW_PROCESSOR_FAILED|STW_DB_UNREACHABLE/);
    expect(outcome.unreached[0]?.why).not.toContain(l.email);
    expect(outcome.proof?.complete).toBe(false);
    expect(after.has(`learning_app.users:${l.id}`)).toBe(false);
  });

  it("writes the processor that is found through the accounts before the accounts' store starts writing", async () => {
    const l = await learner(
      "NOT EXISTS (SELECT 1 FROM enrollments e WHERE e.user_id = u.id AND e.for_credit) AND NOT EXISTS (SELECT 1 FROM recorded_lectures r WHERE r.instructor_id = u.id)",
    );
    const at = atProcessors(l);
    const stores = new TimelineStores(manifest, { connections: connections(), env: SECRETS });
    const { outcome } = await erase(l, stores);
    expect(outcome.failed).toBeUndefined();
    expect(fullstory.users.get(at.user)?.["is_being_deleted"]).toBe(true);
    const first = (dataset: string, what: string) =>
      Math.min(...stores.timeline.filter((t) => t.dataset === dataset && t.what === what).map((t) => t.start));
    const last = (dataset: string, what: string) =>
      Math.max(...stores.timeline.filter((t) => t.dataset === dataset && t.what === what).map((t) => t.end));
    // FullStory's users are found through the accounts' ids, and its API has no transactions: its deletes are final,
    // so they go before the accounts' store commits — and that store opens its transaction only once they are done,
    // so that it holds no row locks while the API works.
    expect(last("fullstory", "deleteByKeys")).toBeLessThanOrEqual(first("learning_app", "transaction"));
    // The analytics store, also found through the accounts, does not wait for the processor.
    expect(first("learning_analytics", "transaction")).toBeLessThan(last("fullstory", "deleteByKeys"));
  });

  it("a crash in the second store rolls it back; running the request again finishes the job", async () => {
    const l = await learner(
      "NOT EXISTS (SELECT 1 FROM enrollments e WHERE e.user_id = u.id AND e.for_credit) AND NOT EXISTS (SELECT 1 FROM recorded_lectures r WHERE r.instructor_id = u.id) AND EXISTS (SELECT 1 FROM enrollments e WHERE e.user_id = u.id)",
    );
    const mine = await owned(l);
    const ownedKeys = keysOf(mine);
    const crashing = new CrashingStores(manifest, {
      connections: { learning_app: dbs.pgUrl, learning_analytics: dbs.myUrl },
    });
    const first = await erase(l, crashing);
    expect(first.outcome.failed?.dataset).toBe("learning_app");
    expect(first.outcome.failed?.why).toMatch(/simulated crash/);
    // The analytics store (found through the accounts) was written first and is done; the application store is
    // untouched (rolled back).
    expect(first.gone.every((k) => k.startsWith("learning_analytics."))).toBe(true);
    expect(first.changed).toEqual([]);
    expect(first.gone.length).toBeGreaterThan(0);
    const second = await erase(l);
    expect(second.outcome.failed).toBeUndefined();
    expect([...first.gone, ...second.gone, ...second.changed].filter((k) => !ownedKeys.has(k))).toEqual([]);
    expect(second.after.has(`learning_app.users:${l.id}`)).toBe(false);
    expect(Object.values(second.outcome.proof?.collections ?? {}).every((c) => c.residual === 0)).toBe(true);
  });
});

describe("rectification on the reference deployment", () => {
  it("sets the new value wherever the manifest says the field lives, and nowhere else", async () => {
    const l = await learner("EXISTS (SELECT 1 FROM identity_verifications v WHERE v.user_id = u.id)");
    const before = await snapshot();
    const stores = storesFor();
    const outcome = await runRectification(manifest, new Map([["user_id", [l.id]]]), stores, [
      { target: "user.name.first", value: "Ada" },
    ]).finally(() => stores.closeAll());
    const after = await snapshot();
    const changed = [...before.keys()].filter((k) => after.get(k) !== before.get(k));
    expect(changed).toEqual([`learning_app.users:${l.id}`]);
    const account = JSON.parse(after.get(`learning_app.users:${l.id}`)!) as Record<string, unknown>;
    expect(account).toEqual({ ...JSON.parse(before.get(`learning_app.users:${l.id}`)!), first_name: "Ada" });
    expect(outcome.collections["learning_app.users"]).toMatchObject({ read: 1, updated: 1 });
  });
});

/** Stores whose connectors note when each transaction and each delete ran (the real connectors do the work). */
class TimelineStores extends Stores {
  readonly timeline: { dataset: string; what: string; start: number; end: number }[] = [];

  override async get(dataset: string): Promise<Connector> {
    const real = await super.get(dataset);
    const timeline = this.timeline;
    const noted =
      <A extends unknown[], R>(what: string, fn: (...a: A) => Promise<R>) =>
      async (...a: A): Promise<R> => {
        const start = performance.now();
        try {
          return await fn(...a);
        } finally {
          timeline.push({ dataset, what, start, end: performance.now() });
        }
      };
    const wrap = (c: Connector): Connector =>
      new Proxy(c, {
        get(target, property, receiver) {
          if (property === "deleteByKeys") return noted("deleteByKeys", target.deleteByKeys.bind(target));
          if (property === "transaction")
            return noted("transaction", <T>(fn: (tx: Connector) => Promise<T>, options?: TransactionOptions) =>
              target.transaction((tx) => fn(tx === target ? receiver : wrap(tx)), options),
            );
          return Reflect.get(target, property, receiver);
        },
      });
    return wrap(real);
  }
}

/** Stores whose learning_app connector fails in the middle of its erasure transaction, after a first delete. */
class CrashingStores extends Stores {
  override async get(dataset: string): Promise<Connector> {
    const real = await super.get(dataset);
    if (dataset !== "learning_app") return real;
    return new Proxy(real, {
      get(target, property, receiver) {
        if (property !== "transaction") return Reflect.get(target, property, receiver);
        return <T>(fn: (tx: Connector) => Promise<T>) =>
          target.transaction(async (tx) => {
            await fn(
              new Proxy(tx, {
                get(inner, name, r) {
                  if (name === "updateEach" || name === "deleteByKeys") {
                    return async (...args: unknown[]) => {
                      await (Reflect.get(inner, name, r) as (...a: unknown[]) => Promise<number>).apply(inner, args);
                      throw new Error("simulated crash");
                    };
                  }
                  return Reflect.get(inner, name, r);
                },
              }),
            );
            return undefined as T;
          });
      },
    });
  }
}

/** Dates from both drivers compared as ISO strings (the test reads MariaDB DATETIMEs as strings, in UTC). */
function normalise(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "string" && /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)?$/.test(value))
    return new Date(`${value.replace(" ", "T")}Z`).toISOString();
  return value;
}
