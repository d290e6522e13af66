/**
 * A retention period counted from an event about the person (`period` + `after`): `enrollment.completed` starts a
 * learner's clock; once it has run out, a sweep erases that learner's rows of the rule (and only theirs), the clock is
 * done, a later event starts it again, and a person under a legal hold is left alone. The reference notice counts no
 * period from completion, so the rule is added to a copy of the reference deployment; the databases are the real
 * reference ones.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isStewardError } from "../../src/errors.ts";
import { loadManifestDir } from "../../src/fs/load-manifest-dir.ts";
import type { Manifest } from "../../src/manifest/types.ts";
import { renderNotice } from "../../src/notice/render-notice.ts";
import {
  type Databases,
  EXAMPLE,
  type Harness,
  referenceDatabases,
  startHarness,
} from "../requests/service-fixture.ts";

const RULE = [
  "  - key: surveys_after_completion",
  "    description: Answers to a course's surveys are deleted a year after the learner completes the course.",
  "    reason: The answers help improve the course while the learner takes it; a year covers the next run.",
  "    data_categories: [user.demographic, user.content.private, user.unique_id]",
  "    collections: [learning_app.survey_responses]",
  "    period: P1Y",
  "    after: enrollment.completed",
  "",
].join("\n");

let d: Databases;
let h: Harness;
let dir: string;
let manifest: Manifest;
let pgc: pg.Client;
let people: number[];
const NOW = new Date();
const DAY = 86_400_000;

const answers = async (userId: number) =>
  Number(
    (await pgc.query<{ n: string }>("select count(*) as n from survey_responses where user_id = $1", [userId])).rows[0]!
      .n,
  );

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "steward-clock-"));
  await cp(EXAMPLE, dir, { recursive: true });
  const file = join(dir, "retention.yml");
  const text = await readFile(file, "utf8");
  await writeFile(file, text.replace("  - key: forum_post_authorship\n", `${RULE}  - key: forum_post_authorship\n`));
  manifest = await loadManifestDir(dir);
  d = await referenceDatabases("retclock", 40);
  h = await startHarness({ ...d, manifest }, { worker: false, now: () => NOW });
  pgc = await d.dbs.pg();
  const rows = await pgc.query<{ user_id: string }>(
    "select user_id from survey_responses group by user_id having count(*) > 0 order by user_id limit 3",
  );
  people = rows.rows.map((r) => Number(r.user_id));
  expect(people).toHaveLength(3);
}, 120_000);

afterAll(async () => {
  await pgc?.end();
  await h?.close();
  await d?.close();
  await rm(dir, { recursive: true, force: true });
});

const emit = (userId: number, at: Date) =>
  h.service.emitEvent(
    { type: "enrollment.completed", identity: { user_id: String(userId) }, at: at.toISOString() },
    "test",
  );

describe("a retention period counted from an event", () => {
  it("is stated in the notice as counted from completion; a rule counting from a column and an event is refused", async () => {
    expect(renderNotice(manifest, "md")).toMatch(/1 year after the course is completed/);
    const bad = await mkdtemp(join(tmpdir(), "steward-clock-bad-"));
    try {
      await cp(dir, bad, { recursive: true });
      const file = join(bad, "retention.yml");
      const text = await readFile(file, "utf8");
      await writeFile(
        file,
        text.replace("    after: enrollment.completed\n", "    after: enrollment.completed\n    from: submitted_at\n"),
      );
      const error = await loadManifestDir(bad).catch((e) => e);
      expect(isStewardError(error) || Array.isArray(error?.errors)).toBe(true);
      expect(JSON.stringify(error?.errors ?? error)).toMatch(/from \+ after/);
    } finally {
      await rm(bad, { recursive: true, force: true });
    }
  });

  it("the event starts a clock per person; a sweep erases only those whose clock ran out, once; a hold keeps a person", async () => {
    const [early, late, held] = people as [number, number, number];
    const before = { early: await answers(early), late: await answers(late), held: await answers(held) };
    expect(before.early).toBeGreaterThan(0);

    const started = await emit(early, new Date(NOW.getTime() - 400 * DAY));
    expect(started.kind).toBe("retention");
    const outcome = (started as { result: { outcomes: { rule: string; clock?: { due: string } }[] } }).result
      .outcomes[0]!;
    expect(outcome.rule).toBe("surveys_after_completion");
    expect(new Date(outcome.clock!.due).getTime()).toBeLessThan(NOW.getTime());
    await emit(late, new Date(NOW.getTime() - 30 * DAY));
    await emit(held, new Date(NOW.getTime() - 500 * DAY));
    // Nothing is erased by the event itself.
    expect(await answers(early)).toBe(before.early);

    const plan = await h.service.retentionPlan({ rules: ["surveys_after_completion"] });
    expect(plan[0]).toMatchObject({ sweep: "clock", accounts: 2, event: "enrollment.completed" });

    await h.service.placeHold({ identity: { user_id: String(held) } }, "a claim about this learner's course", "dpo");
    const [swept] = await h.service.sweepRetention("test", { rules: ["surveys_after_completion"] });
    expect(swept).toMatchObject({ people: 1, held: 1, proof: { complete: true, residual: 0 } });
    expect(swept!.collections["learning_app.survey_responses"]!.deleted).toBe(before.early);
    expect(await answers(early)).toBe(0);
    expect(await answers(late)).toBe(before.late);
    expect(await answers(held)).toBe(before.held);

    // Done: the next sweep finds nobody new; a later completion starts the clock again, from then.
    const [again] = await h.service.sweepRetention("test", { rules: ["surveys_after_completion"] });
    expect(again).toMatchObject({ people: 0 });
    await emit(early, NOW);
    const clocks = await h.store.db.selectFrom("retention_clocks").selectAll().orderBy("started_at").execute();
    expect(clocks).toHaveLength(3);
    const restarted = clocks.find((c) => c.started_at.getTime() === NOW.getTime());
    expect(restarted?.done_at).toBeNull();
    // An older event does not move a clock back.
    await emit(late, new Date(NOW.getTime() - 900 * DAY));
    const lateClock = (await h.store.db.selectFrom("retention_clocks").selectAll().execute()).find(
      (c) => c.started_at.getTime() === NOW.getTime() - 30 * DAY,
    );
    expect(lateClock).toBeDefined();
    expect(JSON.stringify(clocks)).not.toMatch(new RegExp(`"user_id":"?${early}`));
  });
});
