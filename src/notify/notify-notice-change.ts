/**
 * Telling people of a material notice change before it applies, by mail, durably: once a version is published whose
 * diff is material, a run finds the people it concerns (src/notify/find-recipients.ts), writes one row per person
 * (`notice_notifications`, keyed by version and the keyed hash of the address — the key is what keeps anyone from
 * being mailed twice for one version), then sends in steps: claims a batch (`pending` → `sending`), hands each mail
 * to the server at the configured rate, marks it `sent` (the address is then emptied), and queues the next step.
 * A crash leaves at most the mails in hand as `sending`: the next step marks them `uncertain` — they may or may not
 * have left, so they are reported and never sent again. A mail refused for one person is tried three times, then
 * `failed`; three people refused in a row mean the server is down: the step stops and the queue tries again later.
 * Each run's scope and outcome is an audit event; no address is ever logged.
 *
 * A version already in effect when its run would start is skipped (people are told before, not after); an operator
 * may still send it (`force`).
 */
import { sql, type Updateable } from "kysely";
import { appendAuditEvent } from "../audit/append-audit-event.ts";
import { Stores } from "../engine/stores.ts";
import { isStewardError, stewardError } from "../errors.ts";
import { translator } from "../i18n/translate.ts";
import { noticeChangeMail } from "../mail/notice-mails.ts";
import { affectedScope } from "../notice/affected-scope.ts";
import type { NoticeDiff } from "../notice/diff-notice.ts";
import type { NoticeFacts } from "../notice/notice-facts.ts";
import type { ServiceContext } from "../requests/service-context.ts";
import type { NoticeNotificationsTable, NotificationState } from "../store/store-schema.ts";
import { findRecipients, type NotificationScope } from "./find-recipients.ts";

export const NOTIFY_QUEUE = "notice.notify";

export interface NotifyJob {
  readonly version: string;
  readonly force?: boolean;
}

export interface NotifyOptions {
  /** Mails per step (one job). Default 200. */
  readonly step?: number;
  /** Mails per minute at most. Default `STEWARD_NOTICE_MAILS_PER_MINUTE`, else 600. */
  readonly perMinute?: number;
  /** Send every step now instead of leaving the next ones to the queue (the CLI). */
  readonly allSteps?: boolean;
  /** A row claimed longer ago than this was left by a crash. Default 600 s. */
  readonly staleSeconds?: number;
  readonly progress?: (p: NotificationStatus) => void;
}

export interface NotificationStatus {
  readonly version: string;
  readonly state: "collecting" | "sending" | "done" | "skipped" | "not_started";
  readonly reason: string | null;
  readonly recipients: number;
  readonly counts: Readonly<Record<NotificationState, number>>;
  readonly scope: NotificationScope | null;
  readonly effective_date: string;
}

const MAX_TRIES = 3;
/** Failures in a row, to different people, that mean the mail server is down. */
const OUTAGE = 3;
const EMPTY_COUNTS: Record<NotificationState, number> = {
  pending: 0,
  sending: 0,
  sent: 0,
  failed: 0,
  uncertain: 0,
  withdrawn: 0,
};
/** How long one step may hold a run before another may take over (a step is sized to end well before). */
const STEP_LEASE_SECONDS = 900;

const envRate = (): number | undefined => {
  const v = process.env["STEWARD_NOTICE_MAILS_PER_MINUTE"];
  return v && /^[1-9]\d*$/.test(v) ? Number(v) : undefined;
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function publishedVersion(ctx: ServiceContext, version: string) {
  const row = await ctx.store.db
    .selectFrom("notice_versions")
    .select(["version", "effective_date", "facts", "diff", "material"])
    .where("version", "=", version)
    .executeTakeFirst();
  if (!row) {
    const all = await ctx.store.db.selectFrom("notice_versions").select("version").orderBy("published_at").execute();
    throw stewardError("STW_NOTICE_VERSION_UNKNOWN", { value: version, allowed: all.map((r) => r.version) });
  }
  return row;
}

/** Today in the deployment's time zone (notice dates are days). */
const today = (ctx: ServiceContext) =>
  new Intl.DateTimeFormat("en-CA", { timeZone: ctx.config.timeZone }).format(ctx.now());

/** Where one version's notification stands. */
export async function notificationStatus(ctx: ServiceContext, version: string): Promise<NotificationStatus> {
  const v = await publishedVersion(ctx, version);
  const run = await ctx.store.db
    .selectFrom("notice_notification_runs")
    .selectAll()
    .where("version", "=", version)
    .executeTakeFirst();
  const rows = await ctx.store.db
    .selectFrom("notice_notifications")
    .select(["state", (eb) => eb.fn.countAll<string>().as("n")])
    .where("version", "=", version)
    .groupBy("state")
    .execute();
  const counts = { ...EMPTY_COUNTS };
  for (const r of rows) counts[r.state] = Number(r.n);
  return {
    version,
    state: run?.state ?? "not_started",
    reason: run?.reason ?? null,
    recipients: run?.recipients ?? 0,
    counts,
    scope: (run?.scope as NotificationScope | undefined) ?? null,
    effective_date: v.effective_date,
  };
}

/** Every published version's notification, newest first. */
export async function notificationStatuses(ctx: ServiceContext): Promise<NotificationStatus[]> {
  const versions = await ctx.store.db
    .selectFrom("notice_versions")
    .select("version")
    .orderBy("published_at", "desc")
    .orderBy("version", "desc")
    .execute();
  return Promise.all(versions.map((v) => notificationStatus(ctx, v.version)));
}

/** The versions a worker should notify now: material, not yet in effect, and whose run is not finished. */
export async function versionsToNotify(ctx: ServiceContext): Promise<string[]> {
  const rows = await ctx.store.db
    .selectFrom("notice_versions")
    .leftJoin("notice_notification_runs as r", "r.version", "notice_versions.version")
    .select(["notice_versions.version", "notice_versions.effective_date", "r.state"])
    .where("notice_versions.material", "=", true)
    .execute();
  const day = today(ctx);
  return rows
    .filter((r) => (r.state === null ? r.effective_date >= day : r.state === "collecting" || r.state === "sending"))
    .map((r) => r.version);
}

/** The dry run: whom a version's change concerns, without writing or sending anything. */
export async function planNotification(
  ctx: ServiceContext,
  version: string,
): Promise<{
  version: string;
  effective_date: string;
  material: boolean;
  scope: NotificationScope | null;
  recipients: number;
}> {
  const v = await publishedVersion(ctx, version);
  if (!v.material || !v.diff || !v.facts)
    return { version, effective_date: v.effective_date, material: false, scope: null, recipients: 0 };
  const stores = new Stores(ctx.manifest, ctx.engine);
  try {
    const found = await findRecipients(
      { manifest: ctx.manifest, stores, store: ctx.store, hash: ctx.hash },
      await scopeOf(ctx, v),
    );
    return {
      version,
      effective_date: v.effective_date,
      material: true,
      scope: found.scope,
      recipients: found.recipients.length,
    };
  } finally {
    await stores.closeAll();
  }
}

const sealedFor = (version: string, hash: string) => `notice:${version}:${hash}`;

/** The scope of a published version's change (with the facts of the version it was compared with, for what is gone). */
async function scopeOf(ctx: ServiceContext, v: { diff: unknown; facts: unknown }) {
  const diff = v.diff as NoticeDiff;
  const before = diff.from
    ? await ctx.store.db
        .selectFrom("notice_versions")
        .select("facts")
        .where("version", "=", diff.from)
        .executeTakeFirst()
    : undefined;
  return affectedScope(diff, v.facts as NoticeFacts, ctx.manifest, (before?.facts as NoticeFacts | null) ?? undefined);
}

/**
 * One step of a version's notification: starts the run (finds and writes the recipients) if it has not started, then
 * sends up to `step` mails. Returns where the run stands; `more` when mails are left for another step.
 */
export async function notifyNoticeChange(
  ctx: ServiceContext,
  job: NotifyJob,
  options: NotifyOptions = {},
): Promise<NotificationStatus & { more: boolean; busy?: boolean }> {
  const v = await publishedVersion(ctx, job.version);
  const db = ctx.store.db;
  let run = await db
    .selectFrom("notice_notification_runs")
    .selectAll()
    .where("version", "=", job.version)
    .executeTakeFirst();

  const skip = async (reason: string) => {
    await db
      .insertInto("notice_notification_runs")
      .values({ version: job.version, state: "skipped", scope: JSON.stringify({}), reason, finished_at: ctx.now() })
      .onConflict((oc) => oc.column("version").doNothing())
      .execute();
    await appendAuditEvent(db, {
      actor: "system",
      kind: "notice.notification_skipped",
      payload: { version: job.version, reason },
    });
  };
  if (!run || (run.state === "skipped" && job.force)) {
    if (!v.material || !v.diff || !v.facts) {
      if (!run) await skip("no material change");
      return { ...(await notificationStatus(ctx, job.version)), more: false };
    }
    if (!job.force && v.effective_date < today(ctx)) {
      if (!run) await skip(`already in effect since ${v.effective_date}`);
      return { ...(await notificationStatus(ctx, job.version)), more: false };
    }
    if (run) await db.deleteFrom("notice_notification_runs").where("version", "=", job.version).execute();
    await db
      .insertInto("notice_notification_runs")
      .values({ version: job.version, state: "collecting", scope: JSON.stringify({}) })
      .onConflict((oc) => oc.column("version").doNothing())
      .execute();
    run = await db
      .selectFrom("notice_notification_runs")
      .selectAll()
      .where("version", "=", job.version)
      .executeTakeFirstOrThrow();
  }
  if (run.state === "skipped" || run.state === "done")
    return { ...(await notificationStatus(ctx, job.version)), more: false };

  // One step at a time per version, whichever process runs it: the rate is the deployment's.
  const held = await sql<{ version: string }>`
    update notice_notification_runs set step_until = ${new Date(ctx.now().getTime() + STEP_LEASE_SECONDS * 1000)}
    where version = ${job.version} and (step_until is null or step_until < ${ctx.now()})
    returning version`.execute(db);
  if (held.rows.length === 0) return { ...(await notificationStatus(ctx, job.version)), more: false, busy: true };
  try {
    if (run.state === "collecting") {
      const stores = new Stores(ctx.manifest, ctx.engine);
      try {
        const found = await findRecipients(
          { manifest: ctx.manifest, stores, store: ctx.store, hash: ctx.hash },
          await scopeOf(ctx, v),
        );
        for (let i = 0; i < found.recipients.length; i += 500) {
          const chunk = found.recipients.slice(i, i + 500);
          await db
            .insertInto("notice_notifications")
            .values(
              chunk.map((r) => ({
                version: job.version,
                recipient_hash: r.hash,
                address_enc: ctx.sealer.sealJson(r.address, sealedFor(job.version, r.hash)),
                subject_hashes: [...r.subjects],
              })),
            )
            .onConflict((oc) => oc.columns(["version", "recipient_hash"]).doNothing())
            .execute();
        }
        await db
          .updateTable("notice_notification_runs")
          .set({
            state: "sending",
            scope: JSON.stringify(found.scope),
            recipients: found.recipients.length,
            collected_at: ctx.now(),
          })
          .where("version", "=", job.version)
          .execute();
        await appendAuditEvent(db, {
          actor: "system",
          kind: "notice.recipients_found",
          payload: {
            version: job.version,
            recipients: found.recipients.length,
            everyone: found.scope.everyone,
            purposes: found.scope.purposes,
            categories: found.scope.categories,
            read: Object.keys(found.scope.read),
            unread: found.scope.unread,
          },
        });
      } finally {
        await stores.closeAll();
      }
    }

    // Mails a crashed step had in hand: they may have left; never send them again.
    const stale = new Date(ctx.now().getTime() - (options.staleSeconds ?? 600) * 1000);
    await db
      .updateTable("notice_notifications")
      .set({ state: "uncertain", address_enc: "", error: "STW_NOTIFY_INTERRUPTED" })
      .where("version", "=", job.version)
      .where("state", "=", "sending")
      .where("claimed_at", "<", stale)
      .execute();

    const t = translator("en", ctx.config.timeZone);
    const changes = (v.diff as NoticeDiff).changes.filter((c) => c.material);
    const organization = ctx.manifest.organization?.name ?? "";
    const perMinute = options.perMinute ?? envRate() ?? 600;
    const gap = 60_000 / perMinute;
    // A step lasts at most about five minutes at the rate, well inside its lease.
    const step = Math.min(options.step ?? 200, Math.max(1, Math.floor(perMinute * 5)));
    let handled = 0;
    const failedInARow: string[] = [];
    let renewAt = Date.now() + (STEP_LEASE_SECONDS * 1000) / 3;
    // One mail at a time: claimed (so no other worker takes it), handed to the server, marked. A crash can leave at
    // most this one mail in doubt.
    for (;;) {
      if (!options.allSteps && handled >= step) break;
      if (Date.now() > renewAt) {
        // The CLI runs every step in one go: it keeps its hold on the run.
        await db
          .updateTable("notice_notification_runs")
          .set({ step_until: new Date(ctx.now().getTime() + STEP_LEASE_SECONDS * 1000) })
          .where("version", "=", job.version)
          .execute();
        renewAt = Date.now() + (STEP_LEASE_SECONDS * 1000) / 3;
      }
      const claimed = await sql<{
        recipient_hash: string;
        address_enc: string;
        attempts: number;
        erased: boolean;
      }>`
        update notice_notifications n set state = 'sending', claimed_at = ${ctx.now()}, attempts = attempts + 1
        where version = ${job.version} and recipient_hash = (
          select recipient_hash from notice_notifications
          where version = ${job.version} and state = 'pending'
          order by attempts, recipient_hash limit 1 for update skip locked)
        returning recipient_hash, address_enc, attempts, exists (
          select 1 from requests r where r.type = 'erasure'
          and r.status in ('in_progress', 'completed', 'partially_completed')
          and r.subject_hashes && n.subject_hashes) as erased`.execute(db);
      const row = claimed.rows[0];
      if (!row) break;
      handled += 1;
      const mark = (set: Updateable<NoticeNotificationsTable>) =>
        db
          .updateTable("notice_notifications")
          .set(set)
          .where("version", "=", job.version)
          .where("recipient_hash", "=", row.recipient_hash)
          .where("state", "=", "sending")
          .execute();
      if (row.erased) {
        // The person asked to be erased since the run found them: they are not written to.
        await mark({ state: "withdrawn", address_enc: "", error: null });
        continue;
      }
      const started = Date.now();
      let failure: unknown;
      try {
        const to = ctx.sealer.openJson<string>(row.address_enc, sealedFor(job.version, row.recipient_hash));
        await ctx.mailer.send(
          noticeChangeMail(t, {
            to,
            organization,
            version: job.version,
            effectiveDate: v.effective_date,
            changes,
            publicUrl: ctx.config.publicUrl,
          }),
        );
      } catch (e) {
        failure = e;
      }
      if (failure === undefined) {
        await mark({ state: "sent", sent_at: ctx.now(), address_enc: "", error: null });
        failedInARow.length = 0;
      } else {
        const code = isStewardError(failure) ? failure.code : "STW_MAIL_FAILED";
        // Refused for this recipient (5xx): final at once. Anything else may pass later: tried again, at most thrice.
        const final = code === "STW_MAIL_REFUSED" || row.attempts >= MAX_TRIES;
        await mark(final ? { state: "failed", address_enc: "", error: code } : { state: "pending", error: code });
        if (code === "STW_MAIL_REFUSED") failedInARow.length = 0;
        else if (!final) failedInARow.push(row.recipient_hash);
        if (failedInARow.length >= OUTAGE) {
          // Several people in a row and no answer for any: the server is down, not their addresses. Those tries do
          // not count; the step stops with the server's (address-free) error, and the queue tries again later.
          await db
            .updateTable("notice_notifications")
            .set((eb) => ({ attempts: eb("attempts", "-", 1) }))
            .where("version", "=", job.version)
            .where("recipient_hash", "in", failedInARow)
            .where("state", "=", "pending")
            .execute();
          throw isStewardError(failure)
            ? failure
            : stewardError("STW_MAIL_FAILED", { target: ctx.mailer.target, detail: "no answer" });
        }
      }
      if (options.progress && handled % 50 === 0) options.progress(await notificationStatus(ctx, job.version));
      const wait = gap - (Date.now() - started);
      if (wait > 0) await sleep(wait);
    }

    const status = await notificationStatus(ctx, job.version);
    const more = status.counts.pending > 0;
    if (!more && status.counts.sending === 0 && status.state !== "done") {
      await db
        .updateTable("notice_notification_runs")
        .set({ state: "done", finished_at: ctx.now() })
        .where("version", "=", job.version)
        .where("state", "=", "sending")
        .execute();
      await appendAuditEvent(db, {
        actor: "system",
        kind: "notice.notified",
        payload: { version: job.version, ...status.counts },
      });
      return { ...(await notificationStatus(ctx, job.version)), more: false };
    }
    return { ...status, more };
  } finally {
    await db
      .updateTable("notice_notification_runs")
      .set({ step_until: null })
      .where("version", "=", job.version)
      .execute();
  }
}
