/**
 * `steward demo seed`: fills the reference deployment's two databases with synthetic learners. `steward demo up`:
 * the same, then serves fake processors and prints the environment `npm start` needs to run every request end to
 * end. The work is done by src/demo/seed-demo.ts and src/demo/demo-up.ts; this file parses options and reports.
 */
import cliProgress from "cli-progress";
import type { Command } from "commander";
import { type DemoUp, demoUp } from "../../demo/demo-up.ts";
import type { ProcessorCall } from "../../demo/fakes/demo-processors.ts";
import {
  DEFAULT_MYSQL_URL,
  DEFAULT_POSTGRES_URL,
  MAX_LEARNERS,
  type SeedDemoResult,
  seedDemo,
} from "../../demo/seed-demo.ts";
import type { SeedObserver } from "../../demo/seed-observer.ts";
import { stewardError } from "../../errors.ts";
import { EXIT, runAction } from "../run-action.ts";
import { untilSignal } from "./serve.ts";

interface SeedOptions {
  learners: string;
  seed: string;
  pg?: string;
  mysql?: string;
  json?: boolean;
}

/** Parses a whole number option within [min, max], or throws the registry's bad-option error. */
function wholeNumber(option: string, value: string, min: number, max: number): number {
  const n = /^\d{1,10}$/.test(value.trim()) ? Number(value.trim()) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw stewardError("STW_CLI_BAD_OPTION", { option, value, allowed: [`a whole number from ${min} to ${max}`] });
  }
  return n;
}

/** The options `demo seed` and `demo up` share: the seed and the two databases. */
function databaseOptions(command: Command): Command {
  return command
    .option("--seed <s>", "random seed, a whole number", "1")
    .option(
      "--pg <url>",
      `learning_app database (default: $LEARNING_APP_DATABASE_URL or ${DEFAULT_POSTGRES_URL}); created if missing`,
    )
    .option(
      "--mysql <url>",
      `learning_analytics database (default: $LEARNING_ANALYTICS_DATABASE_URL or ${DEFAULT_MYSQL_URL}); created if missing`,
    );
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)}s`;
const count = (n: number): string => n.toLocaleString("en-US");

/** A bar on a terminal; plain lines (one per stage and per loaded table) when stderr is a pipe or a file. */
function progressObserver(): SeedObserver & { stop(): void } {
  if (!process.stderr.isTTY) {
    return {
      planned: (total) => process.stderr.write(`plan: ${count(total)} rows\n`),
      stage: (database, stage) => process.stderr.write(`${database ? `${database}: ` : ""}${stage}\n`),
      rows: () => {},
      loaded: (database, table, rows, ms) =>
        process.stderr.write(`${database}.${table}: ${count(rows)} rows in ${seconds(ms)}\n`),
      stop: () => {},
    };
  }
  const bar = new cliProgress.SingleBar(
    {
      format: "seeding |{bar}| {percentage}% · {value}/{total} rows · {duration_formatted} · {stage}",
      formatValue: (value, _options, type) => (type === "value" || type === "total" ? count(value) : String(value)),
      hideCursor: true,
      clearOnComplete: true,
      stream: process.stderr,
    },
    cliProgress.Presets.shades_classic,
  );
  // Both databases load at once: show the current stage of each.
  const stages = new Map<string, string>();
  const stage = (): string => [...stages].map(([db, s]) => `${db}: ${s}`).join(" · ");
  let running = false;
  let done = 0;
  return {
    planned(total) {
      bar.start(total, 0, { stage: "connecting" });
      running = true;
    },
    stage(database, name) {
      if (database) stages.set(database, name);
      if (running) bar.update(done, { stage: stage() });
    },
    rows(rows) {
      done += rows;
      if (running) bar.update(done);
    },
    loaded() {},
    stop() {
      if (running) bar.stop();
      running = false;
    },
  };
}

function printResult(result: SeedDemoResult, json: boolean): void {
  const { plan, tables, databases, elapsedMs } = result;
  const total = tables.reduce((sum, t) => sum + t.rows, 0);
  if (json) {
    const out = {
      learners: plan.learners,
      seed: plan.seed,
      elapsed_ms: elapsedMs,
      total_rows: total,
      databases,
      tables,
    };
    process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
    return;
  }
  let database = "";
  for (const t of tables) {
    if (t.database !== database) {
      database = t.database;
      process.stdout.write(`${database} (${databases[database as keyof typeof databases]})\n`);
    }
    process.stdout.write(`  ${t.table.padEnd(28)} ${count(t.rows).padStart(12)}\n`);
  }
  process.stdout.write(
    `${count(total)} rows for ${count(plan.learners)} learners (seed ${plan.seed}) in ${seconds(elapsedMs)}\n`,
  );
}

/** A value for a POSIX shell's `export`, in single quotes. */
const shellQuote = (value: string): string => `'${value.replaceAll("'", "'\\''")}'`;

function printDemo(demo: DemoUp, json: boolean): void {
  const { seeded, accounts, processors, env, learners } = demo;
  const rows = seeded.tables.reduce((sum, t) => sum + t.rows, 0);
  if (json) {
    const out = {
      env,
      learners: seeded.plan.learners,
      seed: seeded.plan.seed,
      total_rows: rows,
      databases: seeded.databases,
      processors: {
        stripe: { url: processors.stripe.url, customers: processors.stripe.customers.size },
        fullstory: { url: processors.fullstory.url, users: processors.fullstory.users.size },
        fullstory_consent: { url: env["FULLSTORY_CONSENT_WEBHOOK_URL"] },
        mailchimp: { url: processors.mailchimp.url, members: processors.mailchimp.members.size },
        meta: { url: env["META_GRAPH_URL"], members: processors.meta.members.size },
      },
      seeded_accounts: accounts,
      try: learners,
    };
    // One line, so that a reader can take it before the calls that follow on stderr.
    process.stdout.write(`${JSON.stringify(out)}\n`);
    return;
  }
  const lines = [
    `Seeded ${count(seeded.plan.learners)} learners (${count(rows)} rows, seed ${seeded.plan.seed}) into ` +
      `${seeded.databases.learning_app} and ${seeded.databases.learning_analytics} in ${seconds(seeded.elapsedMs)}.`,
    "Fake processors on this machine:",
    `  stripe     ${processors.stripe.url}  (${count(accounts.stripe_customers)} seeded customers)`,
    `  fullstory  ${processors.fullstory.url}  (${count(accounts.fullstory_users)} seeded users; consent webhook ${env["FULLSTORY_CONSENT_WEBHOOK_URL"]})`,
    `  mailchimp  ${processors.mailchimp.url}  (${count(accounts.mailchimp_members)} seeded newsletter members)`,
    `  meta       ${env["META_GRAPH_URL"]}  (custom audience ${env["META_AUDIENCE_ID"]})`,
    "",
    "In another shell, export this and run `npm start` (or `npx steward serve examples/learning-platform`):",
    "",
    ...Object.entries(env).map(([k, v]) => `export ${k}=${shellQuote(v)}`),
    "",
    "Learners to try:",
    ...learners.map(
      (l) =>
        `  ${l.email}  (${[l.stripe ? "Stripe customer" : "", l.fullstory ? "FullStory user" : "", l.for_credit ? "for-credit records, kept by an erasure" : ""].filter(Boolean).join(", ") || "no processor accounts"})`,
    ),
    "Without STEWARD_SMTP_URL the verification codes are in .steward/outbox/*.eml.",
    "Each call a fake processor answers is shown below. Press Ctrl-C to stop.",
    "",
  ];
  process.stdout.write(lines.join("\n"));
}

const showCall = (call: ProcessorCall): void => {
  process.stderr.write(`${call.processor} ${call.method} ${call.path} ${call.status}\n`);
};

export function register(program: Command): void {
  const demo = program.command("demo").description("The reference deployment's demo databases.");
  databaseOptions(
    demo
      .command("seed")
      .description(
        "Create the learning-platform tables in PostgreSQL and MariaDB (dropping the demo tables first) and fill them " +
          "with deterministic synthetic learners: the same --seed gives the same rows.",
      )
      .requiredOption("--learners <n>", `number of learners, 1 to ${count(MAX_LEARNERS)}`),
  )
    .option("--json", "print the row counts and the elapsed time as JSON")
    .action(
      runAction(async (options: SeedOptions) => {
        const learners = wholeNumber("--learners", options.learners, 1, MAX_LEARNERS);
        const seed = wholeNumber("--seed", options.seed, 0, 4_294_967_295);
        const progress = progressObserver();
        try {
          const result = await seedDemo({
            learners,
            seed,
            postgresUrl: options.pg ?? process.env["LEARNING_APP_DATABASE_URL"] ?? DEFAULT_POSTGRES_URL,
            mysqlUrl: options.mysql ?? process.env["LEARNING_ANALYTICS_DATABASE_URL"] ?? DEFAULT_MYSQL_URL,
            observer: progress,
          });
          progress.stop();
          printResult(result, options.json === true);
        } finally {
          progress.stop();
        }
        return EXIT.ok;
      }),
    );
  databaseOptions(
    demo
      .command("up")
      .description(
        "Seed the reference databases (as `demo seed` does), serve local fakes of the processors the deployment " +
          "reaches (Stripe, FullStory, Mailchimp, Meta) with the seeded learners' accounts, and print the environment " +
          "to export so that `npm start` runs every request end to end. Runs until Ctrl-C.",
      )
      .option("--learners <n>", `number of learners, 1 to ${count(MAX_LEARNERS)}`, "1000"),
  )
    .option("--json", "print the environment (and the fakes' URLs) as one line of JSON")
    .action(
      runAction(async (options: SeedOptions) => {
        const learners = wholeNumber("--learners", options.learners, 1, MAX_LEARNERS);
        const seed = wholeNumber("--seed", options.seed, 0, 4_294_967_295);
        const progress = progressObserver();
        let demo: DemoUp;
        try {
          demo = await demoUp({
            learners,
            seed,
            postgresUrl: options.pg ?? process.env["LEARNING_APP_DATABASE_URL"] ?? DEFAULT_POSTGRES_URL,
            mysqlUrl: options.mysql ?? process.env["LEARNING_ANALYTICS_DATABASE_URL"] ?? DEFAULT_MYSQL_URL,
            observer: progress,
            onCall: showCall,
          });
        } finally {
          progress.stop();
        }
        printDemo(demo, options.json === true);
        const signal = await untilSignal();
        await demo.close();
        process.stderr.write(`Stopped on ${signal}; the fake processors are closed, the databases stay.\n`);
        return EXIT.ok;
      }),
    );
}
