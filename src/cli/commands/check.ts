import type { Command } from "commander";
import { withLiveSchema } from "../../check/live-schema-checks.ts";
import { runChecks } from "../../check/run-checks.ts";
import { formatLocation } from "../../errors.ts";
import { parseManifestDir } from "../../fs/load-manifest-dir.ts";
import { liveTablesOf } from "../live-schema-of.ts";
import { EXIT, runAction } from "../run-action.ts";

export function register(program: Command): void {
  program
    .command("check")
    .description("Validate and lint the manifest. Exit 0 clean, 1 with findings, 2 on unusable input.")
    .argument("[dir]", "manifest folder", ".")
    .option("--json", "print {errors, warnings, summary} as JSON")
    .option(
      "--connection <DATASET=URL>",
      "also compare the manifest with this dataset's live schema: SC016–SC018 (repeatable)",
      (value: string, previous: string[]) => [...previous, value],
      [],
    )
    .action(
      runAction(async (dir: string, options: { json?: boolean; connection: string[] }) => {
        const { manifest, errors } = await parseManifestDir(dir);
        if (!manifest) {
          if (options.json) {
            const out = errors.map((e) => ({
              code: e.code,
              severity: "error",
              message: e.message,
              location: e.location,
            }));
            process.stdout.write(
              `${JSON.stringify({ errors: out, warnings: [], summary: { usable: false, errors: out.length } }, null, 2)}\n`,
            );
          } else {
            for (const e of errors) process.stderr.write(`error ${e.code}: ${e.message}\n`);
            process.stderr.write(`\n${errors.length} error(s): the manifest in "${dir}" cannot be used.\n`);
          }
          return EXIT.failure;
        }
        const report =
          options.connection.length > 0
            ? withLiveSchema(manifest, runChecks(manifest), await liveTablesOf(manifest, options.connection))
            : runChecks(manifest);
        if (options.json) {
          process.stdout.write(
            `${JSON.stringify({ ...report, summary: { usable: true, ...report.summary } }, null, 2)}\n`,
          );
        } else {
          for (const f of [...report.errors, ...report.warnings])
            process.stdout.write(
              `${formatLocation(f.location)}: ${f.severity} ${f.code}: ${f.message}\n    fix: ${f.fix}\n`,
            );
          const s = report.summary;
          process.stdout.write(
            `${report.errors.length === 0 && report.warnings.length === 0 ? "✓ " : ""}${s.files} files · ${s.purposes} purposes · ${s.systems} systems · ${s.datasets} datasets (${s.collections} collections, ${s.fields} fields) · ${s.retention_rules} retention rules — ${s.errors} errors, ${s.warnings} warnings\n`,
          );
        }
        return report.errors.length > 0 ? EXIT.findings : EXIT.ok;
      }),
    );
}
