/**
 * The `steward` command line: a thin shell over the same services the HTTP API uses. Each command lives in
 * `commands/<name>.ts` and exports `register(program)`.
 */
import { Command, CommanderError } from "commander";
import { stewardError } from "../errors.ts";
import { EXIT, printError } from "./run-action.ts";

const COMMANDS: readonly (() => Promise<{ register: (program: Command) => void }>)[] = [
  () => import("./commands/check.ts"),
  () => import("./commands/export.ts"),
  () => import("./commands/import.ts"),
  () => import("./commands/plan.ts"),
  () => import("./commands/request.ts"),
  () => import("./commands/serve.ts"),
  () => import("./commands/notice.ts"),
  () => import("./commands/ropa.ts"),
  () => import("./commands/demo.ts"),
  () => import("./commands/discover.ts"),
  () => import("./commands/requests.ts"),
  () => import("./commands/keys.ts"),
  () => import("./commands/worker.ts"),
  () => import("./commands/audit.ts"),
  () => import("./commands/report.ts"),
  () => import("./commands/consent.ts"),
  () => import("./commands/retention.ts"),
  () => import("./commands/drp.ts"),
];

export async function buildProgram(): Promise<Command> {
  const program = new Command("steward")
    .description(
      "Privacy operations as code: check the data map, render the notice and the Art. 30 records, run requests.",
    )
    .version("0.1.0")
    .showHelpAfterError(false)
    // Commander's own error line is replaced by our coded one (see main below); help and version still print.
    .configureOutput({ outputError: () => {} })
    .exitOverride();
  for (const load of COMMANDS) (await load()).register(program);
  return program;
}

async function main(argv: readonly string[]): Promise<void> {
  const program = await buildProgram();
  try {
    await program.parseAsync(argv as string[]);
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.exitCode === 0) return; // --help, --version
      printError(stewardError("STW_CLI_USAGE", { detail: error.message.replace(/^error: /, "").replace(/\n/g, " ") }));
      process.exitCode = EXIT.failure;
      return;
    }
    printError(error);
    process.exitCode = EXIT.failure;
  }
}

await main(process.argv);
