/**
 * `steward retention plan [DIR]` — the dry run: per rule, what is due now (rows, or closed accounts) and what would
 * happen to it; nothing is written. `steward retention run [DIR] [--rule KEY …]` — runs the sweeps now, with a
 * progress bar on a terminal, each rule's outcome an audit event. `steward events emit TYPE [DIR] --identity T=V` —
 * an event for a person (identity_verification.succeeded, account.closed, subject.under_age, …).
 *
 * They open the service's store (for legal holds and the audit trail) like `steward requests`: the embedded one in
 * `--data-dir`, or PostgreSQL from STEWARD_DATABASE_URL. Exit 0 when every rule finished with its proof, 1 otherwise.
 */
import cliProgress from "cli-progress";
import type { Command } from "commander";
import { knownIdentityTypes, parseIdentityPairs } from "../../engine/identities.ts";
import { stewardError } from "../../errors.ts";
import { loadManifestDir } from "../../fs/load-manifest-dir.ts";
import { parseTime } from "../../retention/retention-service.ts";
import type { RetentionPlanRow, RetentionProgress, RuleOutcome } from "../../retention/run-retention.ts";
import { EXIT, runAction } from "../run-action.ts";
import { cliActor, withService } from "../service-session.ts";
import { textTable } from "../text-table.ts";
import { connectionsOf } from "./request.ts";

const collect = (value: string, previous: string[]) => [...previous, value];

interface Common {
  connection: string[];
  dataDir?: string;
  json?: boolean;
  now?: string;
}

const common = (c: Command) =>
  c
    .argument("[dir]", "manifest folder", ".")
    .option("--connection <DATASET=URL>", "connection URL of a dataset, instead of its ${ENV_VAR}", collect, [])
    .option("--data-dir <dir>", "folder of the embedded store and the secret (default .steward)")
    .option("--json", "print the result as JSON");

async function session(dir: string, o: Common) {
  const manifest = await loadManifestDir(dir);
  return {
    manifest,
    options: {
      ...(o.dataDir !== undefined ? { dataDir: o.dataDir } : {}),
      engine: { connections: connectionsOf(o.connection, manifest) },
      jobs: false as const,
    },
  };
}

const n = (x: number | undefined) => (x === undefined ? "" : x.toLocaleString("en-US"));

/** What a rule does, short: "delete learning_app.profiles", "mask photo_id_ref of …"; many targets are summed up. */
function what(targets: RetentionPlanRow["targets"]): string {
  if (targets.length > 5)
    return `erase everything of the person, as an erasure request would (${targets.length} collections)`;
  return targets
    .map((t) => `${t.action}${t.fields.length ? ` ${t.fields.join(", ")} of` : ""} ${t.collection}`)
    .join(", ");
}

function planText(rows: readonly RetentionPlanRow[]): string {
  const body = rows.flatMap((r) => {
    if (r.sweep === "none") return [[r.rule, "—", "", "", r.why ?? ""]];
    if (r.sweep === "event") return [[r.rule, `on ${r.event}`, "", "", what(r.targets)]];
    if (r.sweep === "clock")
      return [
        [
          r.rule,
          `clocks of ${r.event} started before ${r.cutoff?.slice(0, 10)}`,
          n(r.accounts),
          r.schedule,
          what(r.targets),
        ],
      ];
    if (r.sweep === "account")
      return [[r.rule, `accounts closed before ${r.cutoff?.slice(0, 10)}`, n(r.accounts), r.schedule, what(r.targets)]];
    return r.targets.map((t) => [
      r.rule,
      `before ${r.cutoff?.slice(0, 10)}`,
      t.error ? "error" : n(t.due),
      r.schedule,
      t.error ?? what([t]),
    ]);
  });
  const due = rows.reduce((sum, r) => sum + r.targets.reduce((s, t) => s + (t.due ?? 0), 0), 0);
  return `${textTable(["RULE", "DUE", "ROWS/ACCOUNTS", "SCHEDULE (UTC)", "WHAT HAPPENS"], body)}\n${n(due)} rows due under period rules; nothing was written.\n`;
}

function runText(outcomes: readonly RuleOutcome[]): string {
  const body = outcomes.map((o) => {
    const sum = (k: "due" | "deleted" | "masked" | "kept") =>
      Object.values(o.collections).reduce((s, c) => s + c[k], 0);
    const state = o.failed
      ? `FAILED ${o.failed.message}`
      : o.skipped
        ? o.skipped
        : o.proof.complete
          ? "done, proof complete"
          : o.unreached
            ? `INCOMPLETE: not reached ${o.unreached.join(", ")}`
            : `INCOMPLETE: ${o.proof.residual} rows still due`;
    return [o.rule, n(sum("deleted")), n(sum("masked")), n(sum("kept")), n(o.held), state];
  });
  return `${textTable(["RULE", "DELETED", "MASKED", "KEPT", "HELD", "OUTCOME"], body)}\n`;
}

/** A bar per collection on a terminal; nothing otherwise (a log or a pipe gets the final table only). */
function progressBar(): { progress: RetentionProgress; stop: () => void } | undefined {
  if (!process.stderr.isTTY) return undefined;
  const bar = new cliProgress.SingleBar(
    {
      format: "{rule} |{bar}| {percentage}% · {value}/{total} · {collection}",
      hideCursor: true,
      clearOnComplete: true,
      stream: process.stderr,
    },
    cliProgress.Presets.shades_classic,
  );
  let current = "";
  return {
    progress: (p) => {
      const id = `${p.rule}|${p.collection}`;
      if (id !== current) {
        if (current) bar.stop();
        current = id;
        bar.start(Math.max(p.total ?? 0, p.done, 1), p.done, { rule: p.rule, collection: p.collection });
      } else bar.update(p.done, { rule: p.rule, collection: p.collection });
    },
    stop: () => {
      if (current) bar.stop();
    },
  };
}

const finished = (outcomes: readonly RuleOutcome[]) =>
  outcomes.every((o) => !o.failed && o.proof.complete) ? EXIT.ok : EXIT.findings;

export function register(program: Command): void {
  const retention = program.command("retention").description("Plan and run the manifest's retention rules.");

  common(
    retention
      .command("plan")
      .description("The dry run: per rule, how many rows (or closed accounts) are due now and what would happen.")
      .option("--rule <key>", "only this rule (repeatable)", collect, [])
      .option("--now <time>", "count from this moment instead of now (YYYY-MM-DD or an ISO timestamp)"),
  ).action(
    runAction(async (dir: string, o: Common & { rule: string[] }) => {
      const { options } = await session(dir, o);
      return withService(dir, options, async (service) => {
        const rows = await service.retentionPlan({
          ...(o.rule.length > 0 ? { rules: o.rule } : {}),
          ...(o.now ? { now: parseTime("--now", o.now) } : {}),
        });
        process.stdout.write(o.json ? `${JSON.stringify({ rules: rows }, null, 2)}\n` : planText(rows));
        return EXIT.ok;
      });
    }),
  );

  common(
    retention
      .command("run")
      .description("Run the sweeps now: due rows are deleted or masked through the erasure engine, with a proof.")
      .option("--rule <key>", "only this rule (repeatable)", collect, [])
      .option("--now <time>", "count from this moment instead of now (YYYY-MM-DD or an ISO timestamp)")
      .option("--batch-size <n>", "rows per delete statement (default 10000)"),
  ).action(
    runAction(async (dir: string, o: Common & { rule: string[]; batchSize?: string }) => {
      const { options } = await session(dir, o);
      if (o.batchSize !== undefined && !/^[1-9]\d{0,6}$/.test(o.batchSize))
        throw stewardError("STW_CLI_BAD_OPTION", {
          option: "--batch-size",
          value: o.batchSize,
          allowed: ["a whole number from 1 to 9999999"],
        });
      return withService(dir, options, async (service) => {
        const bar = o.json ? undefined : progressBar();
        try {
          const outcomes = await service.sweepRetention(cliActor(), {
            ...(o.rule.length > 0 ? { rules: o.rule } : {}),
            ...(o.now ? { now: parseTime("--now", o.now) } : {}),
            ...(o.batchSize ? { batchSize: Number(o.batchSize) } : {}),
            ...(bar ? { progress: bar.progress } : {}),
          });
          bar?.stop();
          process.stdout.write(o.json ? `${JSON.stringify({ outcomes }, null, 2)}\n` : runText(outcomes));
          return finished(outcomes);
        } finally {
          bar?.stop();
        }
      });
    }),
  );

  const events = program.command("events").description("Events from the host application.");
  common(
    events
      .command("emit")
      .description(
        "An event for a person: the retention rules that wait for it run now (subject.under_age: an erasure request).",
      )
      .argument("<type>", "the event, e.g. identity_verification.succeeded, account.closed, subject.under_age")
      .requiredOption("--identity <TYPE=VALUE>", "an identity of the person (repeatable)", collect, [])
      .option("--at <time>", "when it happened (default now)"),
  ).action(
    runAction(async (type: string, dir: string, o: Common & { identity: string[]; at?: string }) => {
      const { manifest, options } = await session(dir, o);
      const person = parseIdentityPairs(o.identity, knownIdentityTypes(manifest));
      const identity = Object.fromEntries([...person].map(([t, v]) => [t, String(v[0])]));
      return withService(dir, { ...options, jobs: type === "subject.under_age" }, async (service) => {
        const result = await service.emitEvent({ type, identity, ...(o.at ? { at: o.at } : {}) }, cliActor());
        if (result.kind === "request") {
          const r = result.row;
          process.stdout.write(
            o.json
              ? `${JSON.stringify({ request: { id: r.id, status: r.status } }, null, 2)}\n`
              : `erasure request ${r.id}: ${r.status} (a worker carries it out)\n`,
          );
          return EXIT.ok;
        }
        process.stdout.write(o.json ? `${JSON.stringify(result.result, null, 2)}\n` : runText(result.result.outcomes));
        return finished(result.result.outcomes);
      });
    }),
  );
}
