import { writeFile } from "node:fs/promises";
import type { Command } from "commander";
import { stringify } from "yaml";
import { datasetToFides } from "../../fides/dataset-to-fides.ts";
import { loadManifestDir } from "../../fs/load-manifest-dir.ts";
import { manifestToJson } from "../../manifest/to-json.ts";
import { oneOf, runAction } from "../run-action.ts";

export function register(program: Command): void {
  program
    .command("export")
    .description("Print the normalised manifest as JSON, or its datasets as Fides dataset YAML.")
    .argument("[dir]", "manifest folder", ".")
    .option("--format <format>", "json | fides", "json")
    .option("--out <file>", "write to this file instead of stdout")
    .action(
      runAction(async (dir: string, options: { format: string; out?: string }) => {
        const format = oneOf("--format", options.format, ["json", "fides"] as const);
        const manifest = await loadManifestDir(dir);
        const text =
          format === "json"
            ? `${JSON.stringify(manifestToJson(manifest), null, 2)}\n`
            : stringify({ dataset: manifest.datasets.map(datasetToFides) }, { lineWidth: 0 });
        if (options.out) await writeFile(options.out, text);
        else process.stdout.write(text);
        return undefined;
      }),
    );
}
