/**
 * `steward retention plan|run` and `steward events emit` as a user runs them: the real bin, the reference databases,
 * an embedded store in a temporary data dir. The dry run writes nothing; the run deletes what the dry run counted and
 * leaves one audit event per rule; errors are coded lines, never a stack trace.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { steward, stewardAsync } from "../cli/run-cli.ts";
import { type Databases, EXAMPLE, referenceDatabases } from "../requests/service-fixture.ts";

let d: Databases;
let dataDir: string;
const env = () => ({
  LEARNING_APP_DATABASE_URL: d.engine.connections["learning_app"]!,
  LEARNING_ANALYTICS_DATABASE_URL: d.engine.connections["learning_analytics"]!,
  ...d.engine.env,
});
const connections = () => ["--connection", `stripe=${d.stripe.url}`, "--connection", `fullstory=${d.fullstory.url}`];

beforeAll(async () => {
  d = await referenceDatabases("retcli", 40);
  dataDir = await mkdtemp(join(tmpdir(), "steward-retention-"));
}, 120_000);

afterAll(async () => {
  await d?.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe("steward retention", () => {
  it("plan counts, run deletes what plan counted, and the trail holds one event per rule", () => {
    const args = [EXAMPLE, "--data-dir", dataDir, "--now", "2025-06-30T12:00:00Z", ...connections()];
    const plan = steward(
      ["retention", "plan", ...args, "--rule", "clickstream", "--rule", "session_replays", "--json"],
      env(),
    );
    expect(plan.code, plan.stderr).toBe(0);
    const rules = JSON.parse(plan.stdout).rules as { rule: string; targets: { due: number }[] }[];
    const due = Object.fromEntries(rules.map((r) => [r.rule, r.targets[0]!.due]));
    expect(due["clickstream"]).toBeGreaterThan(0);

    const text = steward(["retention", "plan", ...args], env());
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/clickstream\s+before 2024-05-30/);
    expect(text.stdout).toMatch(/nothing was written/);

    const run = steward(
      ["retention", "run", ...args, "--rule", "clickstream", "--rule", "session_replays", "--json"],
      env(),
    );
    expect(run.code, run.stderr).toBe(0);
    const outcomes = JSON.parse(run.stdout).outcomes as {
      rule: string;
      collections: Record<string, { deleted: number }>;
    }[];
    expect(
      outcomes.find((o) => o.rule === "clickstream")!.collections["learning_analytics.clickstream_events"]!.deleted,
    ).toBe(due["clickstream"]);
    expect(
      outcomes.find((o) => o.rule === "session_replays")!.collections["learning_app.session_replays"]!.deleted,
    ).toBe(due["session_replays"]);
    const again = steward(["retention", "plan", ...args, "--rule", "clickstream", "--json"], env());
    expect(JSON.parse(again.stdout).rules[0].targets[0].due).toBe(0);

    const audit = steward(["audit", "verify", "--data-dir", dataDir, "--json"], env());
    expect(audit.code, audit.stderr).toBe(0);
  }, 180_000); // six CLI runs, each loading the TypeScript sources: a minute alone, more on a busy machine

  it("events emit runs the rules waiting for the event; bad input is a coded error", async () => {
    const args = [EXAMPLE, "--data-dir", dataDir, ...connections()];
    // The erasure planned for the event reaches the HTTP fakes served by this process: a blocking spawn would hang.
    const ok = await stewardAsync(["events", "emit", "account.closed", ...args, "--identity", "user_id=3"], env());
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/advertising_audiences_on_closure\s+\d+/);

    const unknown = steward(["events", "emit", "account.reopened", ...args, "--identity", "user_id=3"], env());
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^error STW_RETENTION_UNKNOWN_EVENT: .*"account.closed"/);
    expect(unknown.stderr).not.toMatch(/\n\s+at /);

    const rule = steward(["retention", "run", ...args, "--rule", "clikstream"], env());
    expect(rule.code).toBe(2);
    expect(rule.stderr).toMatch(/^error STW_RETENTION_UNKNOWN_RULE: retention rule "clikstream"/);

    const time = steward(["retention", "plan", ...args, "--now", "last week"], env());
    expect(time.code).toBe(2);
    expect(time.stderr).toMatch(/^error STW_RETENTION_BAD_TIME: --now "last week"/);
  }, 180_000); // CLI runs too: ~40 s alone
});
