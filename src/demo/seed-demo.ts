/**
 * `steward demo seed` as a function: plan the data set, then fill PostgreSQL (learning_app) and MariaDB
 * (learning_analytics) at the same time. The two loads share one generator thread but each waits mostly on its own
 * server, so running them together takes little longer than the slower one alone.
 */
import { parseDatabaseUrl } from "./database-url.ts";
import { readDemoDdl } from "./demo-ddl.ts";
import { demoSources } from "./demo-sources.ts";
import { connectMariadb, loadMariadb, useMariadbDatabase } from "./mariadb-loader.ts";
import { loadPostgres, openPostgres } from "./postgres-loader.ts";
import { type LoadedTable, type SeedObserver, SILENT_OBSERVER } from "./seed-observer.ts";
import { planSeed, type SeedPlan } from "./seed-plan.ts";

export const DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/learning_app";
export const DEFAULT_MYSQL_URL = "mysql://root@127.0.0.1:3306/learning_analytics";
/** Above this the plan's per-enrolment arrays alone pass a gigabyte. */
export const MAX_LEARNERS = 10_000_000;

export interface SeedDemoOptions {
  readonly learners: number;
  readonly seed: number;
  /** postgres://…/database for learning_app. */
  readonly postgresUrl: string;
  /** mysql://…/database for learning_analytics. */
  readonly mysqlUrl: string;
  readonly observer?: SeedObserver;
  /** Folder holding postgres.sql and mariadb.sql; defaults to the example's. */
  readonly ddlDir?: string;
}

export interface SeedDemoResult {
  readonly plan: SeedPlan;
  /** Row counts as the databases reported them, by dataset (learning_app, learning_analytics). */
  readonly tables: readonly LoadedTable[];
  /** The URL (password hidden) each dataset was loaded into. */
  readonly databases: Readonly<Record<"learning_app" | "learning_analytics", string>>;
  readonly elapsedMs: number;
}

/**
 * @example
 *   const { tables } = await seedDemo({ learners: 100, seed: 1, postgresUrl: DEFAULT_POSTGRES_URL, mysqlUrl: DEFAULT_MYSQL_URL });
 */
export async function seedDemo(options: SeedDemoOptions): Promise<SeedDemoResult> {
  const started = Date.now();
  const observer = options.observer ?? SILENT_OBSERVER;
  // Check both URLs before connecting to either, so a typo fails fast and changes nothing.
  const pgTarget = parseDatabaseUrl(options.postgresUrl, "postgres");
  const myTarget = parseDatabaseUrl(options.mysqlUrl, "mysql");
  const [pgDdl, myDdl] = await Promise.all([
    readDemoDdl("postgres.sql", options.ddlDir),
    readDemoDdl("mariadb.sql", options.ddlDir),
  ]);

  observer.stage("", "connect");
  // Reach both servers before creating anything, so a wrong URL for one leaves the other server untouched.
  const myConnection = await connectMariadb(myTarget);
  try {
    const pgClient = await openPostgres(pgTarget);
    try {
      await useMariadbDatabase(myConnection, myTarget);
      observer.stage("", "plan");
      const plan = planSeed(options.learners, options.seed);
      observer.planned(Object.values(plan.rows).reduce((sum, n) => sum + n, 0));
      const sources = demoSources(plan);
      const results = await Promise.allSettled([
        loadPostgres(pgClient, pgDdl, sources.app, observer, "learning_app"),
        loadMariadb(myConnection, myDdl, sources.analytics, observer, "learning_analytics"),
      ]);
      const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
      if (failed) throw failed.reason;
      const tables = results.flatMap((r) => (r.status === "fulfilled" ? r.value : []));
      const databases = { learning_app: pgTarget.display, learning_analytics: myTarget.display };
      return { plan, tables, databases, elapsedMs: Date.now() - started };
    } finally {
      await pgClient.end().catch(() => {});
    }
  } finally {
    await myConnection.end().catch(() => {});
  }
}
