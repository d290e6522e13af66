/**
 * Durable jobs on Steward's own store, with pg-boss 10. A job is a row; a worker takes it with `FOR UPDATE SKIP
 * LOCKED`, so any number of `steward worker` processes on one PostgreSQL share the work, and a job that a killed
 * worker held comes back when its lease (`expireInSeconds`) runs out. Every handler is idempotent.
 *
 * Why pg-boss rather than graphile-worker: pg-boss takes a plain `executeSql(text, values)` adapter, which lets it run
 * on the embedded PGlite store through the store's own serialised connection (graphile-worker needs a `pg.Pool` and
 * LISTEN/NOTIFY), and it can enqueue inside the caller's transaction (`send(…, { db })`): a request moves to
 * `in_progress` and its job exists in the same commit, or neither does.
 *
 * @example
 *   const jobs = await JobQueue.start(store);
 *   await jobs.work("request.execute", async (data) => execute(data.request_id));
 */
import { CompiledQuery, type Kysely } from "kysely";
import PgBoss from "pg-boss";
import type { Store } from "../store/store.ts";
import type { StoreSchema } from "../store/store-schema.ts";

export const QUEUES = [
  "request.execute",
  "request.mail",
  "request.deliver",
  "request.transmit",
  "notice.notify",
  "request.start",
  "drp.callback",
] as const;
export type QueueName = (typeof QUEUES)[number];

export interface JobOptions {
  /**
   * Seconds a worker may hold a job before another may take it over (the lease). Default 600, or
   * `STEWARD_JOB_LEASE_SECONDS`. Size it above the longest request the deployment runs: a lease that runs out while
   * the first worker still works makes a second one start the same (idempotent) request. A job's lease is fixed by
   * the process that enqueues it (the server, or the CLI), so set it there too.
   */
  readonly leaseSeconds?: number;
  /** How often an idle worker looks for work. Default 2 s. */
  readonly pollSeconds?: number;
  /** How often expired leases are collected. Default 30 s; `STEWARD_JOB_MAINTENANCE_SECONDS`. */
  readonly maintenanceSeconds?: number;
  /**
   * Whether this process turns schedules (retention sweeps) into jobs when they are due. Default true; a CLI command
   * that only enqueues passes false. Any number of processes may: pg-boss lets one of them send each due job.
   */
  readonly schedule?: boolean;
}

type SqlExecutor = { executeSql(text: string, values?: unknown[]): Promise<{ rows: unknown[] }> };

/** An executor inside a Kysely transaction, for enqueueing with the change that calls for the job. */
export function inTransaction(trx: Kysely<StoreSchema>): SqlExecutor {
  return {
    async executeSql(text, values = []) {
      const result = await trx.executeQuery(CompiledQuery.raw(text, values));
      return { rows: result.rows as unknown[] };
    },
  };
}

const envNumber = (name: string): number | undefined => {
  const v = process.env[name];
  return v && /^\d+$/.test(v) ? Number(v) : undefined;
};

export class JobQueue {
  private constructor(
    private readonly boss: PgBoss,
    private readonly options: Required<JobOptions>,
  ) {}

  static async start(store: Store, options: JobOptions = {}): Promise<JobQueue> {
    const resolved: Required<JobOptions> = {
      leaseSeconds: options.leaseSeconds ?? envNumber("STEWARD_JOB_LEASE_SECONDS") ?? 600,
      pollSeconds: options.pollSeconds ?? 2,
      maintenanceSeconds: options.maintenanceSeconds ?? envNumber("STEWARD_JOB_MAINTENANCE_SECONDS") ?? 30,
      schedule: options.schedule ?? true,
    };
    const boss = new PgBoss({
      db: store.sql,
      schema: "steward_jobs",
      schedule: resolved.schedule,
      supervise: true,
      maintenanceIntervalSeconds: resolved.maintenanceSeconds,
      monitorStateIntervalSeconds: Math.max(resolved.maintenanceSeconds, 10),
    } as PgBoss.ConstructorOptions);
    // Errors of the maintenance loop are retried by pg-boss itself; without a listener they would crash Node.
    boss.on("error", () => {});
    await boss.start();
    const queue = new JobQueue(boss, resolved);
    for (const name of QUEUES) await queue.ensureQueue(name);
    return queue;
  }

  /** Creates a queue (if it is not there yet) with the retry policy every Steward queue has. */
  async ensureQueue(name: string): Promise<void> {
    if (await this.boss.getQueue(name)) return;
    await this.boss.createQueue(name, {
      name,
      policy: "standard",
      retryLimit: 20,
      retryDelay: 5,
      retryBackoff: true,
      expireInSeconds: this.options.leaseSeconds,
    });
  }

  /** A recurring job: `data` is sent to queue `name` at every time the five-field cron expression (UTC) names. */
  async schedule(name: string, cron: string, data: object): Promise<void> {
    await this.boss.schedule(name, cron, data, { tz: "UTC", expireInSeconds: this.options.leaseSeconds });
  }

  async unschedule(name: string): Promise<void> {
    await this.boss.unschedule(name);
  }

  /** The queues with a schedule whose name starts with `prefix`, with their cron expressions. */
  async schedules(prefix = ""): Promise<string[]> {
    return (await this.boss.getSchedules()).map((s) => s.name).filter((n) => n.startsWith(prefix));
  }

  /** The schedules as stored: queue, cron expression, data. */
  async scheduleList(prefix = ""): Promise<{ name: string; cron: string; data: unknown }[]> {
    return (await this.boss.getSchedules())
      .filter((s) => s.name.startsWith(prefix))
      .map((s) => ({ name: s.name, cron: s.cron, data: s.data }));
  }

  /** Takes jobs of a queue made at run time (a retention rule's), one at a time. */
  async workOn<T extends object>(name: string, handler: (data: T) => Promise<void>): Promise<void> {
    await this.#work<T>(name, handler);
  }

  /**
   * One pg-boss worker. pg-boss waits out the polling interval after every fetch, also one that found a job: a busy
   * worker would take one job per interval (2 s) however short the jobs. A worker that found a job is told to look
   * again at once; only a worker that found nothing waits.
   */
  async #work<T extends object>(name: string, handler: (data: T) => Promise<void>): Promise<void> {
    let id: string | undefined;
    id = await this.boss.work<T>(
      name,
      { pollingIntervalSeconds: this.options.pollSeconds, batchSize: 1 },
      async (jobs) => {
        try {
          for (const job of jobs) await handler(job.data);
        } finally {
          if (jobs.length > 0 && id !== undefined) this.boss.notifyWorker(id);
        }
      },
    );
  }

  /** Sends a job to a queue made at run time. */
  async sendTo(name: string, data: object): Promise<void> {
    await this.boss.send(name, data, { expireInSeconds: this.options.leaseSeconds });
  }

  /**
   * Enqueues a job; with `db` (see `inTransaction`) it commits or rolls back with the caller's transaction; with
   * `afterSeconds` it is taken no sooner.
   */
  async send(name: QueueName, data: object, db?: SqlExecutor, afterSeconds?: number): Promise<void> {
    await this.boss.send(name, data, {
      expireInSeconds: this.options.leaseSeconds,
      ...(db ? { db } : {}),
      ...(afterSeconds ? { startAfter: afterSeconds } : {}),
    });
  }

  /** Takes jobs of one queue, `concurrency` at a time; a handler that throws is retried with backoff. */
  async work<T extends object>(name: QueueName, handler: (data: T) => Promise<void>, concurrency = 1): Promise<void> {
    for (let i = 0; i < concurrency; i += 1) await this.#work<T>(name, handler);
  }

  /** Jobs of a queue not finished yet (created, retry or active). */
  async pending(name: QueueName): Promise<number> {
    return this.boss.getQueueSize(name);
  }

  /** Stops taking jobs; waits for the ones in hand (up to `timeoutSeconds`). */
  async stop(timeoutSeconds = 30): Promise<void> {
    await this.boss.stop({ graceful: true, wait: true, timeout: timeoutSeconds * 1000, close: false });
  }
}
