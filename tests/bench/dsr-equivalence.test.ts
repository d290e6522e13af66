/**
 * The correctness guard of the `dsr` benchmark: its hand-written SQL erasure (the databases one after the other, and
 * both at the same time) and Steward's batch erasure, run on copies of the same seeded data, must leave the databases
 * in the same state — otherwise the benchmark compares two
 * different jobs. 200 learners, half of them erased, so that every case of the script occurs: for-credit enrolments,
 * reviews between two erased learners, an instructor whose lecture other learners still refer to.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { copyPair, type DemoPair, dropPair, pairNamed, withPg } from "../../bench/dsr-databases.ts";
import { assertSameEndState, endState } from "../../bench/dsr-end-state.ts";
import { handErasure, handErasureParallel } from "../../bench/dsr-hand-erasure.ts";
import { benchManifest, stewardBatch } from "../../bench/dsr-steward.ts";
import { seedDemo } from "../../src/demo/seed-demo.ts";
import type { Manifest } from "../../src/manifest/types.ts";

const base = pairNamed("test_base");
const hand = pairNamed("test_hand");
const handParallel = pairNamed("test_hand_parallel");
const steward = pairNamed("test_steward");
let manifest: Manifest;
let emails: string[];

const count = (pair: DemoPair, sql: string) => withPg(pair.pgUrl, async (c) => Number((await c.query(sql)).rows[0].n));

describe("dsr benchmark: hand-written SQL and Steward erase the same way", () => {
  beforeAll(async () => {
    manifest = await benchManifest();
    await seedDemo({ learners: 200, seed: 1, postgresUrl: base.pgUrl, mysqlUrl: base.myUrl });
    for (const pair of [hand, handParallel, steward]) await copyPair(base, pair);
    emails = await withPg(base.pgUrl, async (c) =>
      (await c.query<{ email: string }>("SELECT email FROM users WHERE id % 2 = 0 ORDER BY id")).rows.map(
        (r) => r.email,
      ),
    );
  });
  afterAll(async () => {
    for (const pair of [base, hand, handParallel, steward]) await dropPair(pair);
  });

  it("covers the special cases of the erasure", async () => {
    const erased = "(SELECT id FROM users WHERE id % 2 = 0)";
    expect(
      await count(base, `SELECT count(*) AS n FROM enrollments WHERE for_credit AND user_id IN ${erased}`),
    ).toBeGreaterThan(0);
    expect(
      await count(
        base,
        `SELECT count(*) AS n FROM peer_reviews WHERE reviewer_id IN ${erased} AND reviewee_id IN ${erased}`,
      ),
    ).toBeGreaterThan(0);
    expect(
      await count(
        base,
        `SELECT count(*) AS n FROM peer_reviews WHERE reviewer_id IN ${erased} AND reviewee_id % 2 = 1`,
      ),
    ).toBeGreaterThan(0);
    expect(
      await count(
        base,
        `SELECT count(*) AS n FROM lecture_student_contacts c JOIN recorded_lectures l ON l.id = c.lecture_id
         WHERE l.instructor_id IN ${erased} AND c.user_id % 2 = 1`,
      ),
    ).toBeGreaterThan(0);
  });

  it("reaches the same end state, which is not the starting state", async () => {
    await handErasure(hand.pgUrl, hand.myUrl, emails);
    await handErasureParallel(handParallel.pgUrl, handParallel.myUrl, emails);
    const run = await stewardBatch(manifest, steward, emails);
    expect(run.complete).toBe(true);
    await expect(
      assertSameEndState({ label: "the hand-written script", pair: hand }, [
        { label: "the hand-written script, in parallel", pair: handParallel },
        { label: "Steward", pair: steward },
      ]),
    ).resolves.toBeUndefined();
    expect(await endState(steward)).not.toEqual(await endState(base));
    // The masked instructor and the kept for-credit accounts are still there; the other erased accounts are gone.
    expect(await count(steward, "SELECT count(*) AS n FROM users WHERE email LIKE '~r%'")).toBeGreaterThan(0);
    expect(await count(steward, "SELECT count(*) AS n FROM users WHERE id % 2 = 0 AND email NOT LIKE '~r%'")).toBe(
      await count(base, "SELECT count(DISTINCT user_id) AS n FROM enrollments WHERE for_credit AND user_id % 2 = 0"),
    );
  });
});
