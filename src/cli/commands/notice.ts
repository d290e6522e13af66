import { writeFile } from "node:fs/promises";
import type { Command } from "commander";
import { recordCurrentNotice } from "../../api/record-current-notice.ts";
import { stewardError } from "../../errors.ts";
import { loadManifestDir } from "../../fs/load-manifest-dir.ts";
import { diffNotice } from "../../notice/diff-notice.ts";
import { DIFF_FORMATS, formatNoticeDiff } from "../../notice/format-notice-diff.ts";
import { noticeFacts } from "../../notice/notice-facts.ts";
import { NOTICE_FORMATS, renderNotice } from "../../notice/render-notice.ts";
import { EXIT, oneOf, printError, runAction } from "../run-action.ts";
import { withStoreOnly } from "../service-session.ts";
import { storeFlags } from "../text-table.ts";

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
    .argument("<old>", "manifest folder of the earlier version")
    .argument("<new>", "manifest folder of the later version")
    .option("--format <format>", `output format: ${DIFF_FORMATS.join(" or ")}`, "md")
    .option("--out <file>", "write to this file instead of stdout")
    .action(
      runAction(async (older: string, newer: string, options: { format: string; out?: string }) => {
        const format = oneOf("--format", options.format, DIFF_FORMATS);
        const [a, b] = await Promise.all([loadManifestDir(older), loadManifestDir(newer)]);
        const diff = diffNotice(noticeFacts(a), noticeFacts(b));
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
      .option("--format <format>", `how the diff is printed: ${DIFF_FORMATS.join(" or ")}`, "md"),
  ).action(
    runAction(async (dir: string, options: { dataDir?: string; json?: boolean; format: string }) => {
      const format = options.json ? "json" : oneOf("--format", options.format, DIFF_FORMATS);
      const manifest = await loadManifestDir(dir);
      return withStoreOnly(options, async (store) => {
        const result = await recordCurrentNotice(store, manifest);
        if (result.outcome === "skipped") throw stewardError("STW_API_NOTICE_UNAVAILABLE", { detail: result.reason });
        if (result.outcome === "conflict")
          throw stewardError("STW_NOTICE_VERSION_TAKEN", {
            version: result.version,
            published: result.published_at.toISOString(),
          });
        process.stderr.write(
          `${result.outcome === "recorded" ? "published" : "already published"} notice version ${result.version}\n`,
        );
        await writeOutput(
          result.diff ? formatNoticeDiff(result.diff, format) : format === "json" ? "null\n" : "",
          undefined,
        );
        return EXIT.ok;
      });
    }),
  );
}
