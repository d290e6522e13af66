import { stat, writeFile } from "node:fs/promises";
import type { Command } from "commander";
import { recordCurrentNotice } from "../../api/record-current-notice.ts";
import { stewardError } from "../../errors.ts";
import { loadManifestDir } from "../../fs/load-manifest-dir.ts";
import type { Manifest } from "../../manifest/types.ts";
import { diffNotice } from "../../notice/diff-notice.ts";
import { DIFF_FORMATS, formatNoticeDiff } from "../../notice/format-notice-diff.ts";
import type { NoticeFacts } from "../../notice/notice-facts.ts";
import { noticeFacts } from "../../notice/notice-facts.ts";
import { NOTICE_FORMATS, renderNotice } from "../../notice/render-notice.ts";
import type { NotificationStatus } from "../../notify/notify-notice-change.ts";
import type { Store } from "../../store/store.ts";
import { EXIT, oneOf, printError, runAction } from "../run-action.ts";
import { withService, withStoreOnly } from "../service-session.ts";
import { storeFlags, textTable } from "../text-table.ts";
import { connectionsOf } from "./request.ts";

/** Prints `text`, or writes it to `out` (a coded error when the file cannot be written). */
export async function writeOutput(text: string, out: string | undefined): Promise<void> {
  if (out === undefined) {
    // `steward ropa | head` closes the pipe early: that is the reader's choice, not a failure worth a stack trace.
    process.stdout.once("error", (e: NodeJS.ErrnoException) => {
      if (e.code === "EPIPE") return;
      printError(e);
      process.exitCode = EXIT.failure;
    });
    process.stdout.write(text);
    return;
  }
  await writeFile(out, text).catch((e: NodeJS.ErrnoException) => {
    throw stewardError("STW_FILE_NOT_WRITABLE", { path: out, detail: e.code ?? e.message });
  });
  process.stderr.write(`wrote ${out}\n`);
}

export function register(program: Command): void {
  const notice = program.command("notice").description("The public privacy notice generated from the manifest.");
  notice
    .command("render")
    .description("Render the notice in the order of `notice.sections`, as Markdown or a standalone HTML page.")
    .argument("[dir]", "manifest folder", ".")
    .option("--format <format>", `output format: ${NOTICE_FORMATS.join(" or ")}`, "md")
    .option("--out <file>", "write to this file instead of stdout")
    .action(
      runAction(async (dir: string, options: { format: string; out?: string }) => {
        const format = oneOf("--format", options.format, NOTICE_FORMATS);
        const manifest = await loadManifestDir(dir);
        await writeOutput(renderNotice(manifest, format), options.out);
        return undefined;
      }),
    );
  notice
    .command("diff")
    .description(
      "What changed between two versions of the notice — purposes, data, bases, recipients, countries, sources, " +
        "retention, rights, the controller — each change classed material or not, with the reason. " +
        "Exit code 1 when a change is material.",
    )
    .argument("<old>", "manifest folder of the earlier version, or a published version's string")
    .argument("<new>", "manifest folder of the later version, or a published version's string")
    .option("--format <format>", `output format: ${DIFF_FORMATS.join(" or ")}`, "md")
    .option("--out <file>", "write to this file instead of stdout")
    .option(
      "--data-dir <dir>",
      "where published versions are read from (default .steward; PostgreSQL: STEWARD_DATABASE_URL)",
    )
    .action(
      runAction(async (older: string, newer: string, options: { format: string; out?: string; dataDir?: string }) => {
        const format = oneOf("--format", options.format, DIFF_FORMATS);
        const isDir = (p: string) =>
          stat(p).then(
            (s) => s.isDirectory(),
            () => false,
          );
        const [aDir, bDir] = await Promise.all([isDir(older), isDir(newer)]);
        const fromStore = async (store: Store | undefined, version: string): Promise<NoticeFacts> =>
          publishedFacts(store!, version);
        const both = async (store?: Store) =>
          Promise.all([
            aDir ? loadManifestDir(older).then(noticeFacts) : fromStore(store, older),
            bDir ? loadManifestDir(newer).then(noticeFacts) : fromStore(store, newer),
          ]);
        const [a, b] = aDir && bDir ? await both() : await withStoreOnly(options, both);
        const diff = diffNotice(a, b);
        await writeOutput(formatNoticeDiff(diff, format), options.out);
        return diff.material ? EXIT.findings : EXIT.ok;
      }),
    );
  storeFlags(
    notice
      .command("publish")
      .description(
        "Publish the manifest's notice version into the store (what `steward serve` does at start): the rendered " +
          "texts, what it states, and its diff against the version published before, which is printed. A published " +
          "version is immutable: a changed manifest needs a new `notice.version`.",
      )
      .argument("[dir]", "manifest folder", ".")
      .option("--format <format>", `how the diff is printed: ${DIFF_FORMATS.join(" or ")}`, "md")
      .option(
        "--effective <date>",
        "the day the version applies (YYYY-MM-DD, today or later), instead of the manifest's `notice.effective_date`",
      ),
  ).action(
    runAction(
      async (dir: string, options: { dataDir?: string; json?: boolean; format: string; effective?: string }) => {
        const format = options.json ? "json" : oneOf("--format", options.format, DIFF_FORMATS);
        const manifest = withEffectiveDate(await loadManifestDir(dir), options.effective);
        return withStoreOnly(options, async (store) => {
          const result = await recordCurrentNotice(store, manifest);
          if (result.outcome === "skipped") throw stewardError("STW_API_NOTICE_UNAVAILABLE", { detail: result.reason });
          if (result.outcome === "conflict")
            throw stewardError("STW_NOTICE_VERSION_TAKEN", {
              version: result.version,
              published: result.published_at.toISOString(),
            });
          process.stderr.write(
            `${result.outcome === "recorded" ? "published" : "already published"} notice version ${result.version}` +
              ` (applies from ${manifest.notice?.effective_date})` +
              (result.diff?.material
                ? "; the change is material: a worker mails the people it concerns (`steward notice notify` to see whom)"
                : "") +
              "\n",
          );
          await writeOutput(
            result.diff ? formatNoticeDiff(result.diff, format) : format === "json" ? "null\n" : "",
            undefined,
          );
          return EXIT.ok;
        });
      },
    ),
  );

  storeFlags(
    notice
      .command("notify")
      .description(
        "Tell the people a published material change concerns, by mail, once per person: those with data in an " +
          "affected category or a consent to an affected purpose. A worker does this by itself for a version not yet " +
          "in effect; this runs it here, or with --dry-run counts whom it would reach.",
      )
      .argument("[dir]", "manifest folder", ".")
      .option("--version <version>", "the published version (default: the newest)")
      .option("--dry-run", "count the recipients and say what was read; write and send nothing")
      .option("--force", "also for a version already in effect, or one whose run was skipped")
      .option("--connection <DATASET=URL>", "connection URL of a dataset, instead of its ${ENV_VAR}", collect, [])
      .option("--per-minute <n>", "mails per minute at most (default STEWARD_NOTICE_MAILS_PER_MINUTE, else 600)"),
  ).action(
    runAction(
      async (
        dir: string,
        o: {
          dataDir?: string;
          json?: boolean;
          version?: string;
          dryRun?: boolean;
          force?: boolean;
          connection: string[];
          perMinute?: string;
        },
      ) => {
        if (o.perMinute !== undefined && !/^[1-9]\d{0,5}$/.test(o.perMinute))
          throw stewardError("STW_CLI_BAD_OPTION", {
            option: "--per-minute",
            value: o.perMinute,
            allowed: ["a whole number from 1 to 999999"],
          });
        const manifest = await loadManifestDir(dir);
        const session = {
          ...(o.dataDir !== undefined ? { dataDir: o.dataDir } : {}),
          engine: { connections: connectionsOf(o.connection, manifest) },
          jobs: false as const,
        };
        return withService(dir, session, async (service) => {
          const version = o.version ?? (await service.notificationStatuses())[0]?.version;
          if (!version) throw stewardError("STW_NOTICE_VERSION_UNKNOWN", { value: "(newest)", allowed: [] });
          if (o.dryRun) {
            const plan = await service.planNotification(version);
            process.stdout.write(o.json ? `${JSON.stringify(plan, null, 2)}\n` : planText(plan));
            return EXIT.ok;
          }
          const status = await service.notify(
            { version, ...(o.force ? { force: true } : {}) },
            {
              allSteps: true,
              ...(o.perMinute ? { perMinute: Number(o.perMinute) } : {}),
              ...(o.json || !process.stderr.isTTY
                ? {}
                : { progress: (p) => process.stderr.write(`\r${p.counts.sent} sent, ${p.counts.pending} to go…`) }),
            },
          );
          if (!o.json && process.stderr.isTTY) process.stderr.write("\n");
          if (status.busy && !o.json)
            process.stderr.write(`a worker is sending version ${version} now; these are its figures\n`);
          process.stdout.write(o.json ? `${JSON.stringify(status, null, 2)}\n` : statusText(status));
          return status.counts.failed > 0 || status.counts.uncertain > 0 ? EXIT.findings : EXIT.ok;
        });
      },
    ),
  );
}

const collect = (value: string, previous: string[]) => [...previous, value];

/** The manifest with its notice's effective date replaced (checked: a real day, today or later). */
function withEffectiveDate(manifest: Manifest, effective: string | undefined): Manifest {
  if (effective === undefined || !manifest.notice) return manifest;
  const day = /^\d{4}-\d{2}-\d{2}$/.test(effective) ? new Date(`${effective}T00:00:00Z`) : undefined;
  const today = new Date().toISOString().slice(0, 10);
  if (!day || Number.isNaN(day.getTime()) || day.toISOString().slice(0, 10) !== effective || effective < today)
    throw stewardError("STW_NOTICE_BAD_EFFECTIVE_DATE", { value: effective, published: today });
  return { ...manifest, notice: { ...manifest.notice, effective_date: effective } };
}

/** What a published version states (versions published before migration 6 kept no facts). */
async function publishedFacts(store: Store, version: string): Promise<NoticeFacts> {
  const rows = await store.db
    .selectFrom("notice_versions")
    .select(["version", "facts"])
    .orderBy("published_at")
    .execute();
  const row = rows.find((r) => r.version === version);
  if (!row?.facts)
    throw stewardError("STW_NOTICE_VERSION_UNKNOWN", {
      value: version,
      allowed: rows.filter((r) => r.facts).map((r) => r.version),
    });
  return row.facts as NoticeFacts;
}

function planText(
  plan: Awaited<ReturnType<import("../../requests/request-service.ts").RequestService["planNotification"]>>,
): string {
  if (!plan.material || !plan.scope) return `notice version ${plan.version}: no material change, nobody to notify.\n`;
  const s = plan.scope;
  const lines = [
    `notice version ${plan.version} (applies from ${plan.effective_date}): ${plan.recipients.toLocaleString("en-US")} people to notify; nothing was written or sent.`,
    s.everyone
      ? "concerns: everyone with an open account"
      : `concerns: ${[
          s.categories.length ? `holders of ${s.categories.join(", ")}` : "",
          s.collections.length ? `people with rows in ${s.collections.join(", ")}` : "",
          s.purposes.length ? `people who consent to ${s.purposes.join(", ")} (${s.consents} now)` : "",
        ]
          .filter(Boolean)
          .join("; ")}`,
    "",
    textTable(
      ["COLLECTION", "HOW ITS PEOPLE ARE FOUND"],
      [
        ...Object.entries(s.read).map(([c, how]) => [c, how]),
        ...Object.entries(s.unread).map(([c, why]) => [c, `NOT READ: ${why}`]),
      ],
    ),
  ];
  return `${lines.join("\n")}\n`;
}

function statusText(s: NotificationStatus): string {
  const c = s.counts;
  const head = `notice version ${s.version} (applies from ${s.effective_date}): ${s.state}${s.reason ? ` — ${s.reason}` : ""}`;
  return `${head}\n${textTable(["SENT", "PENDING", "FAILED", "UNCERTAIN", "WITHDRAWN"], [[c.sent, c.pending, c.failed, c.uncertain, c.withdrawn].map(String)])}\n`;
}
