/**
 * The request service: one object over intake, verification, the admin actions, the views and the worker, built
 * from a store and a manifest. The HTTP routes, the CLI's `requests` commands and `steward worker` are thin shells
 * over it.
 *
 * @example
 *   const service = await openRequestService({ store, manifest });
 *   const { row, token } = await service.submit({ type: "access", identity: { email: "ada@example.com" } });
 *   await service.verify(row.id, codeFromMail);
 *   await service.startWorker();        // executes it, stores the package, mails the link
 */

import { join } from "node:path";
import { ConsentLedger } from "../consent/consent-ledger.ts";
import { ConsentDeliverer, type DelivererOptions } from "../consent/deliver-consent.ts";
import { announceExpiredPackages } from "../drp/announce-expired-packages.ts";
import { type CallbackJob, deliverStatusCallbacks } from "../drp/status-callback.ts";
import { ConnectorSets } from "../engine/connector-sets.ts";
import type { StoreOptions as EngineStoreOptions } from "../engine/stores.ts";
import { stewardError } from "../errors.ts";
import { type JobOptions, JobQueue } from "../jobs/job-queue.ts";
import { createMailer, type Mailer } from "../mail/mailer.ts";
import type { Manifest } from "../manifest/types.ts";
import {
  NOTIFY_QUEUE,
  type NotifyJob,
  type NotifyOptions,
  notificationStatuses,
  notifyNoticeChange,
  planNotification,
  versionsToNotify,
} from "../notify/notify-notice-change.ts";
import {
  type EventInput,
  emitRetentionEvent,
  planWithHolds,
  retentionQueue,
  type SweepOptions,
  scheduleRetention,
  sweepRetention,
} from "../retention/retention-service.ts";
import { selectRules } from "../retention/run-retention.ts";
import { KeyedHash, sameSecret, sha256 } from "../secrets/keyed-hash.ts";
import { checkSecret, loadSecret, type Secret } from "../secrets/load-secret.ts";
import { Sealer } from "../secrets/seal.ts";
import type { Store } from "../store/store.ts";
import { DEFAULT_DATA_DIR } from "../store/store-options.ts";
import { type AdminAction, actOnRequest, expireUnverified, liftHold, placeHold } from "./admin-actions.ts";
import type { MailJob } from "./advance-request.ts";
import { type DeletedRecords, deleteOldRecords } from "./delete-old-records.ts";
import { type ExecuteJob, executeRequest } from "./execute-request.ts";
import { type HostTokens, hostTokensFromEnv } from "./host-token.ts";
import { lockRequest, type RequestRow } from "./move-request.ts";
import { openPackage, packageExpiry, readPackage } from "./open-package.ts";
import { adminView, type ListFilter, listRequests, personView } from "./request-views.ts";
import { retryPartial } from "./retry-partial.ts";
import { sendRequestMail } from "./send-request-mail.ts";
import { configFromEnv, type RequestServiceConfig, type ServiceContext } from "./service-context.ts";
import { type StartJob, startRequest } from "./start-request.ts";
import { type SubmitInput, submitRequest } from "./submit-request.ts";
import { type TransmitJob, transmitPackage } from "./transmit-package.ts";
import { resendCode, verifyCode } from "./verify-request.ts";

/** Connections of each database connector a request of the service opens (`StoreOptions.poolConnections`). */
export const REQUEST_POOL_CONNECTIONS = 2;

export interface RequestServiceOptions {
  readonly store: Store;
  readonly manifest: Manifest;
  /** Where the embedded store and the generated secret live. Default `.steward`. */
  readonly dataDir?: string;
  readonly secret?: Secret;
  readonly mailer?: Mailer;
  readonly hostTokens?: HostTokens;
  readonly engine?: EngineStoreOptions;
  readonly config?: Partial<RequestServiceConfig>;
  readonly jobs?: JobOptions | false;
  readonly now?: () => Date;
  /** The consent ledger to share (the server opens one for both); default one of its own. */
  readonly consent?: ConsentLedger;
}

export interface WorkerOptions {
  /** Requests executed at the same time by this process. Default 1. */
  readonly concurrency?: number;
  /** How often unverified requests are checked for expiry, in seconds. Default 60. */
  readonly sweepSeconds?: number;
  /** The consent delivery loop's settings (its environment, retry timing). */
  readonly delivery?: Omit<DelivererOptions, "store" | "manifest" | "sealer">;
  /** Take the retention rules' scheduled sweeps too (and keep their schedules current). Default true. */
  readonly retention?: boolean;
  /** How notice-change mails go out (rate, step size). */
  readonly notify?: NotifyOptions;
  /**
   * Told when the request sweep fails (a store error, STW_AUDIT_RECORDS_NOT_DELETED) — once per failure, not at every
   * sweep while it lasts. Default: nothing is told (the next sweep tries again).
   */
  readonly onSweepError?: (error: unknown) => void;
}

export class RequestService {
  private sweep: NodeJS.Timeout | undefined;
  private deliverer: ConsentDeliverer | undefined;

  private constructor(readonly ctx: ServiceContext) {}

  static async open(options: RequestServiceOptions): Promise<RequestService> {
    const dataDir = options.dataDir ?? DEFAULT_DATA_DIR;
    const secret = options.secret ?? (await loadSecret({ dataDir }));
    await checkSecret(options.store.db, secret);
    const config = { ...configFromEnv(), ...options.config };
    const mailer =
      options.mailer ??
      createMailer({
        smtpUrl: process.env["STEWARD_SMTP_URL"],
        from: process.env["STEWARD_MAIL_FROM"] || options.manifest.organization?.contact_email || "privacy@localhost",
        outbox: join(dataDir, "outbox"),
      });
    const jobs = options.jobs === false ? undefined : await JobQueue.start(options.store, options.jobs ?? {});
    const hash = new KeyedHash(secret);
    const sealer = new Sealer(secret);
    const now = options.now ?? (() => new Date());
    const consent =
      options.consent ??
      (await ConsentLedger.open({ store: options.store, manifest: options.manifest, hash, sealer, now }));
    return new RequestService({
      store: options.store,
      manifest: options.manifest,
      consent,
      sealer,
      hash,
      mailer,
      jobs,
      hostTokens: options.hostTokens ?? hostTokensFromEnv(),
      // The workers' requests keep their stores' connections open from one request to the next, two per database
      // each: one person's request needs no more (a transaction, and reads beside it), and a worker running several
      // at once then stays within the databases' connection limits.
      engine: {
        poolConnections: REQUEST_POOL_CONNECTIONS,
        ...options.engine,
        reuse: options.engine?.reuse ?? new ConnectorSets(),
      },
      config,
      now,
    });
  }

  submit(input: SubmitInput) {
    return submitRequest(this.ctx, input);
  }

  verify(id: string, code: string) {
    return verifyCode(this.ctx, id, code);
  }

  resend(id: string) {
    return resendCode(this.ctx, id);
  }

  /** The request, if `token` is one handed to its person. */
  async forPerson(id: string, token: string | undefined) {
    return personView(this.ctx, await this.#ofPerson(id, token));
  }

  async #ofPerson(id: string, token: string | undefined): Promise<RequestRow> {
    const row = await this.get(id);
    const hash = sha256(token ?? "");
    if (!token || !row.token_hashes.some((h) => sameSecret(h, hash)))
      throw stewardError("STW_REQUEST_TOKEN_INVALID", {});
    return row;
  }

  package(id: string, expires: string | undefined, sig: string | undefined) {
    return openPackage(this.ctx, id, expires, sig);
  }

  /** The package for the person holding the request's token (the privacy center's download). */
  async packageForPerson(id: string, token: string | undefined) {
    await this.#ofPerson(id, token);
    return readPackage(this.ctx, id);
  }

  /** Until when the request's package can be downloaded (undefined: none, or no more). */
  packageUntil(id: string) {
    return packageExpiry(this.ctx, id);
  }

  async get(id: string): Promise<RequestRow> {
    return lockRequest(this.ctx.store.db, id);
  }

  async show(id: string) {
    return adminView(this.ctx, await this.get(id));
  }

  list(filter: ListFilter = {}) {
    return listRequests(this.ctx, filter);
  }

  act(id: string, action: AdminAction, actor: string, reason?: string, denial?: string) {
    return actOnRequest(this.ctx, id, action, actor, reason, denial);
  }

  placeHold(target: { request_id?: string; identity?: unknown }, reason: string, actor: string) {
    return placeHold(this.ctx, target, reason, actor);
  }

  liftHold(holdId: string, actor: string, reason?: string) {
    return liftHold(this.ctx, holdId, actor, reason);
  }

  expireUnverified() {
    return expireUnverified(this.ctx);
  }

  /** The retention dry run: what each rule finds due now, held people left out. */
  retentionPlan(options: SweepOptions = {}) {
    return planWithHolds(this.ctx, options);
  }

  /** Queues the sweeps of `rules` (default every sweeping rule) for the workers, now; returns the rules queued. */
  async queueRetention(rules?: readonly string[]): Promise<string[]> {
    const jobs = this.ctx.jobs;
    if (!jobs) throw new Error("the request service was opened without a job queue");
    const chosen = selectRules(this.ctx.manifest, rules).filter(
      (r) => r.sweep === "period" || r.sweep === "account" || r.sweep === "clock",
    );
    for (const r of chosen) {
      await jobs.ensureQueue(retentionQueue(r.rule));
      await jobs.sendTo(retentionQueue(r.rule), { rule: r.rule });
    }
    return chosen.map((r) => r.rule);
  }

  /** Runs retention sweeps now, in this process (the scheduler runs them at their hours). */
  sweepRetention(actor: string, options: SweepOptions = {}) {
    return sweepRetention(this.ctx, actor, options);
  }

  /**
   * An event from the host application. `subject.under_age` becomes an erasure request with no verification (its
   * lifecycle, deadline and proof like any other, and the consent ledger records the age); any other event some
   * retention rule waits for runs those rules for the person now.
   */
  async emitEvent(
    input: EventInput & { readonly jurisdiction?: string },
    actor: string,
  ): Promise<
    { kind: "request"; row: RequestRow } | { kind: "retention"; result: Awaited<ReturnType<typeof emitRetentionEvent>> }
  > {
    if (input.type === "subject.under_age") {
      const result = await this.submit({
        type: "erasure",
        identity: input.identity,
        jurisdiction: input.jurisdiction,
        source: "host_event",
        actor,
        hostEvent: "subject.under_age",
      });
      return { kind: "request", row: result.row };
    }
    return { kind: "retention", result: await emitRetentionEvent(this.ctx, input, actor) };
  }

  /** Takes jobs in this process: executions, mails, consent deliveries, and the expiry sweep. */
  async startWorker(options: WorkerOptions = {}): Promise<void> {
    const jobs = this.ctx.jobs;
    if (!jobs) throw new Error("the request service was opened without a job queue");
    await jobs.work<ExecuteJob>("request.execute", (job) => executeRequest(this.ctx, job), options.concurrency ?? 1);
    await jobs.work<MailJob>("request.mail", (job) => sendRequestMail(this.ctx, job), 1);
    await jobs.work<TransmitJob>("request.transmit", (job) => transmitPackage(this.ctx, job), 1);
    await jobs.work<StartJob>("request.start", (job) => startRequest(this.ctx, job), 1);
    await jobs.work<CallbackJob>("drp.callback", (job) => deliverStatusCallbacks(this.ctx, job), 1);
    if (options.retention !== false) await scheduleRetention(this.ctx, jobs);
    await jobs.work<NotifyJob>(NOTIFY_QUEUE, (job) => this.notifyStep(job, options.notify ?? {}), 1);
    await this.queueNotifications();
    this.deliverer = new ConsentDeliverer({
      store: this.ctx.store,
      manifest: this.ctx.manifest,
      sealer: this.ctx.sealer,
      ...(options.delivery ?? {}),
    });
    await this.deliverer.start();
    const every = (options.sweepSeconds ?? 60) * 1000;
    let failing = "";
    const sweep = () =>
      this.sweepRequests().then(
        () => {
          failing = "";
        },
        (error: unknown) => {
          const said = error instanceof Error ? error.message : String(error);
          if (said !== failing) options.onSweepError?.(error);
          failing = said;
        },
      );
    const tick = () => {
      void sweep();
      // A version published meanwhile (`steward notice publish` while this worker runs) gets its run and its banner.
      this.queueNotifications().catch(() => {});
      this.refreshNotices().catch(() => {});
    };
    this.sweep = setInterval(tick, every);
    this.sweep.unref();
    // A worker that starts late (after a crash, a deploy) does what fell due meanwhile at once.
    void sweep();
  }

  /**
   * The request service's own sweep, run by every worker every `sweepSeconds`: unverified requests past
   * `unverifiedHours` expire (the person is told), partial answers whose automatic retry is due are tried again, and
   * records closed longer than `recordMonths` ago are deleted (src/requests/delete-old-records.ts), and the agents
   * following a fulfilled request whose package ran out are sent `expired` (src/drp/announce-expired-packages.ts).
   * Each step locks the rows it moves, so any number of workers may sweep at once.
   */
  async sweepRequests(): Promise<{
    expired: number;
    retried: number;
    deleted: DeletedRecords;
    packagesExpired: number;
  }> {
    const expired = await this.expireUnverified();
    const retried = await retryPartial(this.ctx);
    // Before old records go: an agent is told that a package ran out (DRP's fulfilled → expired).
    const packagesExpired = await announceExpiredPackages(this.ctx);
    const deleted = await deleteOldRecords(this.ctx);
    return { expired, retried, deleted, packagesExpired };
  }

  /** One step of a notice change's notification, in a worker; queues the next step while mails are left. */
  private async notifyStep(job: NotifyJob, options: NotifyOptions): Promise<void> {
    const status = await notifyNoticeChange(this.ctx, job, options);
    const jobs = this.ctx.jobs!;
    if (status.busy) return; // another step holds the run; it queues the next one
    if (status.more) await jobs.send(NOTIFY_QUEUE, { version: job.version });
    // Mails in another worker's hand (or a crashed one's): look again once they are either sent or stale.
    else if (status.counts.sending > 0) await jobs.send(NOTIFY_QUEUE, { version: job.version }, undefined, 60);
  }

  private noticeCount = -1;
  /** Reloads the ledger's notice changes (reconsent, the SDK's banner) when a version was published since. */
  private async refreshNotices(): Promise<void> {
    const row = await this.ctx.store.db
      .selectFrom("notice_versions")
      .select((eb) => eb.fn.countAll<string>().as("n"))
      .executeTakeFirstOrThrow();
    const n = Number(row.n);
    if (n === this.noticeCount) return;
    if (this.noticeCount >= 0) await this.ctx.consent.loadNoticeChanges();
    this.noticeCount = n;
  }

  /** Queues the run of every material version not yet in effect whose notification has not finished. */
  async queueNotifications(): Promise<string[]> {
    const jobs = this.ctx.jobs;
    if (!jobs) return [];
    if ((await jobs.pending(NOTIFY_QUEUE)) > 0) return [];
    const versions = await versionsToNotify(this.ctx);
    for (const version of versions) await jobs.send(NOTIFY_QUEUE, { version });
    return versions;
  }

  /** The dry run of a version's notification: whom it concerns, nothing written or sent. */
  planNotification(version: string) {
    return planNotification(this.ctx, version);
  }

  /** Runs a version's notification in this process to the end (the CLI), or one step. */
  notify(job: NotifyJob, options: NotifyOptions = {}) {
    return notifyNoticeChange(this.ctx, job, options);
  }

  notificationStatuses() {
    return notificationStatuses(this.ctx);
  }

  /** Stops the worker (waiting for jobs in hand) and the mailer. The store stays open: it is the caller's. */
  async close(): Promise<void> {
    if (this.sweep) clearInterval(this.sweep);
    await this.deliverer?.stop();
    await this.ctx.jobs?.stop();
    await this.ctx.consent.close();
    this.ctx.mailer.close();
    await this.ctx.engine.reuse?.closeAll();
  }
}

export const openRequestService = (options: RequestServiceOptions) => RequestService.open(options);
