import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { Command } from "commander";
import { stewardError } from "../../errors.ts";
import { importFides } from "../../fides/import-fides.ts";
import { FIDESLANG_DATA_CATEGORIES } from "../../manifest/taxonomy/fideslang.ts";
import { EXIT, oneOf, printError, runAction } from "../run-action.ts";

export function register(program: Command): void {
  program
    .command("import")
    .description(
      "Turn Fides dataset YAML into Steward dataset files (nothing is lost: Fides keys are kept as they are).",
    )
    .argument("<format>", "the source format: fides")
    .argument("<files...>", "Fides dataset YAML files")
    .option("--out <dir>", "write the files into this folder (default: print them)")
    .option("--force", "replace files that already exist in --out")
    .action(
      runAction(async (format: string, files: string[], options: { out?: string; force?: boolean }) => {
        oneOf("<format>", format, ["fides"] as const);
        const sources = await Promise.all(
          files.map(async (path) => {
            const text = await readFile(path, "utf8").catch(() => {
              throw stewardError("STW_FILE_NOT_FOUND", { path });
            });
            return { path, text };
          }),
        );
        const known = new Set(FIDESLANG_DATA_CATEGORIES.map((c) => c.key));
        const result = importFides(sources, known);
        if (result.errors.length > 0) {
          for (const e of result.errors) printError(e);
          return EXIT.failure;
        }
        if (!options.out) {
          for (const [path, text] of result.files) process.stdout.write(`# ${path}\n${text}---\n`);
        } else {
          for (const path of result.files.keys()) {
            const target = join(options.out, path);
            const exists = await readFile(target).then(
              () => true,
              () => false,
            );
            if (exists && !options.force) throw stewardError("STW_FILE_EXISTS", { path: target });
          }
          for (const [path, text] of result.files) {
            const target = join(options.out, path);
            await mkdir(dirname(target), { recursive: true });
            await writeFile(target, text);
          }
        }
        const collections = result.datasets.reduce((n, d) => n + d.collections.length, 0);
        process.stderr.write(
          `imported ${result.datasets.length} dataset(s), ${collections} collection(s)${options.out ? ` into ${options.out}` : ""}` +
            (result.unknownCategories.length > 0
              ? `; ${result.unknownCategories.length} data categor${result.unknownCategories.length === 1 ? "y" : "ies"} not in the default taxonomy were declared in taxonomy.imported.yml for review: ${result.unknownCategories.join(", ")}`
              : "") +
            `\nnext: steward check ${options.out ?? "<folder>"}\n`,
        );
        return EXIT.ok;
      }),
    );
}
