/**
 * `steward demo up` as a function: seed the reference deployment's two databases (as `demo seed` does), start the
 * fake processors with the seeded learners' accounts, and hand back the environment that points `steward serve` and
 * `steward worker` at all of it. Nothing here holds the process open but the fakes; `close` stops them.
 */
import { parseDatabaseUrl } from "./database-url.ts";
import { type DemoProcessors, type ProcessorCall, startDemoProcessors } from "./fakes/demo-processors.ts";
import { addSeededAccounts, type SeededAccounts } from "./fakes/seeded-accounts.ts";
import { openPostgres } from "./postgres-loader.ts";
import { type SeedDemoResult, seedDemo } from "./seed-demo.ts";
import type { SeedObserver } from "./seed-observer.ts";

export interface DemoUpOptions {
  readonly learners: number;
  readonly seed: number;
  readonly postgresUrl: string;
  readonly mysqlUrl: string;
  readonly observer?: SeedObserver;
  /** Told of every call a fake processor answers (its shape only: no query, no body, no ids). */
  readonly onCall?: (call: ProcessorCall) => void;
}

/** A seeded learner worth trying a request with: what they have where. */
export interface DemoLearner {
  readonly email: string;
  readonly stripe: boolean;
  readonly fullstory: boolean;
  /** A for-credit enrolment: an erasure keeps those records (exemption), the answer says why. */
  readonly for_credit: boolean;
}

export interface DemoUp {
  readonly seeded: SeedDemoResult;
  readonly accounts: SeededAccounts;
  readonly processors: DemoProcessors;
  /** Every variable the example manifest reads: the datasets' connection URLs, the processors' URLs and keys. */
  readonly env: Readonly<Record<string, string>>;
  readonly learners: readonly DemoLearner[];
  close(): Promise<void>;
}

/** Up to three learners: one at both processors without for-credit records, one with them, one at neither. */
async function learnersToTry(postgresUrl: string, fakes: DemoProcessors): Promise<DemoLearner[]> {
  const client = await openPostgres(parseDatabaseUrl(postgresUrl, "postgres"));
  try {
    const { rows } = await client.query<{ id: string; email: string; for_credit: boolean }>(
      `SELECT u.id::text AS id, u.email,
              EXISTS (SELECT 1 FROM enrollments e WHERE e.user_id = u.id AND e.for_credit) AS for_credit
         FROM users u WHERE NOT u.deleted ORDER BY u.id`,
    );
    const stripeEmails = new Set([...fakes.stripe.customers.values()].map((c) => String(c["email"])));
    const fullstoryUids = new Set([...fakes.fullstory.users.values()].map((u) => String(u["uid"])));
    const all = rows.map((r) => ({
      email: r.email,
      stripe: stripeEmails.has(r.email),
      fullstory: fullstoryUids.has(r.id),
      for_credit: r.for_credit,
    }));
    const picks = [
      all.find((l) => l.stripe && l.fullstory && !l.for_credit),
      all.find((l) => l.for_credit),
      all.find((l) => !l.stripe && !l.fullstory),
    ];
    return [...new Set(picks.filter((l): l is DemoLearner => l !== undefined))];
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * @example
 *   const demo = await demoUp({ learners: 1000, seed: 1, postgresUrl: DEFAULT_POSTGRES_URL, mysqlUrl: DEFAULT_MYSQL_URL });
 *   console.log(demo.env.STRIPE_API_URL);
 *   await demo.close();
 */
export async function demoUp(options: DemoUpOptions): Promise<DemoUp> {
  const seeded = await seedDemo({
    learners: options.learners,
    seed: options.seed,
    postgresUrl: options.postgresUrl,
    mysqlUrl: options.mysqlUrl,
    ...(options.observer ? { observer: options.observer } : {}),
  });
  // A demo runs for hours: the fakes tell of each call and keep no log of them.
  const processors = await startDemoProcessors({
    keepRequests: false,
    ...(options.onCall ? { onCall: options.onCall } : {}),
  });
  try {
    const accounts = await addSeededAccounts(processors, options.postgresUrl);
    const learners = await learnersToTry(options.postgresUrl, processors);
    const env = {
      LEARNING_APP_DATABASE_URL: options.postgresUrl,
      LEARNING_ANALYTICS_DATABASE_URL: options.mysqlUrl,
      ...processors.env,
    };
    return { seeded, accounts, processors, env, learners, close: () => processors.close() };
  } catch (error) {
    await processors.close();
    throw error;
  }
}
