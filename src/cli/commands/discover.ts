/**
 * `steward discover URL`: reads a database's tables, columns and keys, samples a few rows, and writes a Steward
 * dataset file with categories suggested for review. The sampled values are personal data: they stay in memory and
 * nothing prints them — the summary names categories, reasons and counts only.
 */
import { mkdir, stat, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import type { Command } from "commander";
import { redactUrl } from "../../connectors/connection-url.ts";
import { openConnector } from "../../connectors/open-connector.ts";
import { DATASET_KEY, databaseName, datasetKey, envVarFor } from "../../discover/dataset-key.ts";
import { datasetYaml } from "../../discover/dataset-yaml.ts";
import { discoverDataset } from "../../discover/discover-dataset.ts";
import { type Discovery, summarise } from "../../discover/discovery.ts";
import { readDatabase } from "../../discover/read-database.ts";
import { stewardError } from "../../errors.ts";
import { EXIT, runAction } from "../run-action.ts";

interface Options {
  out?: string;
  force?: boolean;
  dataset?: string;
  sample: string;
  json?: boolean;
}

const MAX_SAMPLE = 100_000;
/** Unclassified columns named in the summary at most (the file and `steward check` have them all). */
const MAX_LISTED = 20;

export function register(program: Command): void {
  program
    .command("discover")
    .description(
      "Describe a database as a Steward dataset file: tables, columns, keys and references, with data categories suggested for review.",
    )
    .argument("<url>", "postgres://…, mysql://…, mariadb://… or sqlite:FILE")
    .option("--out <file>", "write the dataset file here (default: print it)")
    .option("--force", "replace --out if it exists")
    .option("--dataset <key>", "the dataset's fides_key (default: from the database's name)")
    .option("--sample <n>", "rows sampled per table to suggest categories from values (0: names only)", "200")
    .option("--json", "print {file, summary, suggestions, unclassified, notes} as JSON instead of the summary")
    .action(
      runAction(async (url: string, o: Options) => {
        if (!/^\d+$/.test(o.sample) || Number(o.sample) > MAX_SAMPLE)
          throw stewardError("STW_CLI_BAD_OPTION", {
            option: "--sample",
            value: o.sample,
            allowed: [`a whole number from 0 to ${MAX_SAMPLE}`],
          });
        const sampleLimit = Number(o.sample);
        const database = databaseName(url);
        const key = o.dataset ?? datasetKey(database);
        if (!key)
          throw stewardError("STW_CLI_USAGE", {
            detail: `cannot tell the dataset's name from "${redactUrl(url)}"; pass --dataset KEY`,
          });
        if (!DATASET_KEY.test(key))
          throw stewardError("STW_CLI_BAD_OPTION", {
            option: "--dataset",
            value: key,
            allowed: ["a key of lower-case letters, digits, '_', '-' or '.', starting with a letter or digit"],
          });
        if (o.out && !o.force && (await stat(o.out).catch(() => undefined)))
          throw stewardError("STW_FILE_EXISTS", { path: o.out });

        const connector = await openConnector(url);
        const contents = await readDatabase(connector, sampleLimit).finally(() => connector.close());
        if (contents.tables.length === 0) throw stewardError("STW_DISCOVER_NO_TABLES", { target: redactUrl(url) });
        const discovery = discoverDataset({
          dataset: key,
          kind: connector.kind,
          database: database || key,
          envVar: envVarFor(key),
          ...contents,
          sampleLimit,
          today: new Date(),
        });
        const yaml = datasetYaml(discovery);

        if (o.out) await writeOut(o.out, yaml, o.force === true);
        else if (!o.json) process.stdout.write(yaml);
        if (o.json)
          process.stdout.write(`${JSON.stringify(jsonReport(discovery, o.out, o.out ? undefined : yaml), null, 2)}\n`);
        else process.stderr.write(summaryText(discovery, o.out));
        return EXIT.ok;
      }),
    );
}

async function writeOut(path: string, text: string, force: boolean): Promise<void> {
  try {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, text, { flag: force ? "w" : "wx" });
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    if (e.code === "EEXIST") throw stewardError("STW_FILE_EXISTS", { path });
    throw stewardError("STW_FILE_NOT_WRITABLE", { path, detail: e.code ?? e.message });
  }
}

const fieldsOf = (d: Discovery) =>
  d.collections.flatMap((c) => c.fields.map((f) => ({ at: `${c.name}.${f.name}`, f })));

function jsonReport(d: Discovery, out: string | undefined, yaml: string | undefined) {
  return {
    dataset: d.dataset,
    kind: d.kind,
    file: out ?? null,
    summary: summarise(d),
    suggestions: fieldsOf(d).flatMap(({ at, f }) =>
      f.suggestion
        ? [
            {
              field: at,
              data_categories: f.suggestion.categories,
              ...(f.suggestion.identity ? { identity: f.suggestion.identity } : {}),
              reasons: f.suggestion.reasons,
            },
          ]
        : [],
    ),
    unclassified: fieldsOf(d)
      .filter(({ f }) => !f.suggestion)
      .map(({ at }) => at),
    notes: d.notes,
    ...(yaml === undefined ? {} : { yaml }),
  };
}

function summaryText(d: Discovery, out: string | undefined): string {
  const s = summarise(d);
  const fields = fieldsOf(d);
  const lines = [
    `discovered ${s.tables} table(s), ${s.columns} column(s) in the ${d.kind} database "${d.database}"` +
      (d.sampleLimit > 0 ? ` (up to ${d.sampleLimit} row(s) sampled per table)` : " (names only, nothing sampled)"),
    `${s.suggested} suggestion(s) to review${s.identities > 0 ? `, ${s.identities} of them marking an identity` : ""}:`,
    ...fields.flatMap(({ at, f }) =>
      f.suggestion
        ? [
            `  ${at}: ${f.suggestion.categories.join(", ")}${f.suggestion.identity ? ` (identity ${f.suggestion.identity})` : ""} — ${f.suggestion.reasons.join("; ")}`,
          ]
        : [],
    ),
  ];
  const unclassified = fields.filter(({ f }) => !f.suggestion).map(({ at }) => at);
  if (unclassified.length > 0)
    lines.push(
      `${unclassified.length} column(s) left unclassified: ${unclassified.slice(0, MAX_LISTED).join(", ")}${unclassified.length > MAX_LISTED ? `, … (${unclassified.length - MAX_LISTED} more)` : ""}`,
    );
  lines.push(...d.notes.map((n) => `note: ${n}`));
  lines.push(
    out ? `wrote ${out}` : "the dataset file is on stdout",
    `next: put it in the manifest folder, set ${d.envVar}, review the suggestions, then run \`steward check <folder>\``,
  );
  return `${lines.join("\n")}\n`;
}
