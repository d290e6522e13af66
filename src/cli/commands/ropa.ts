import type { Command } from "commander";
import { loadManifestDir } from "../../fs/load-manifest-dir.ts";
import { buildRopa } from "../../records/build-ropa.ts";
import { ROPA_FORMATS, renderRopa } from "../../records/render-ropa.ts";
import { oneOf, runAction } from "../run-action.ts";
import { writeOutput } from "./notice.ts";

export function register(program: Command): void {
  program
    .command("ropa")
    .description(
      "Print the GDPR Art. 30 records of processing: the controller's (30(1)) and the processor's (30(2)). " +
        'CSV has one row per activity; its "record" column says 30(1) or 30(2).',
    )
    .argument("[dir]", "manifest folder", ".")
    .option("--format <format>", `output format: ${ROPA_FORMATS.join(", ")}`, "md")
    .option("--out <file>", "write to this file instead of stdout")
    .action(
      runAction(async (dir: string, options: { format: string; out?: string }) => {
        const format = oneOf("--format", options.format, ROPA_FORMATS);
        const manifest = await loadManifestDir(dir);
        await writeOutput(renderRopa(buildRopa(manifest), format), options.out);
        return undefined;
      }),
    );
}
