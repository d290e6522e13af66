import { formatLocation, isStewardError, stewardError } from "../errors.ts";

/** Exit codes shared by every command: 0 done, 1 findings (check), 2 unusable input or failure. */
export const EXIT = { ok: 0, findings: 1, failure: 2 } as const;

/** Prints a coded error the way every command does: never a stack trace (set STEWARD_DEBUG=1 to see one). */
export function printError(error: unknown): void {
  const coded = isStewardError(error)
    ? error
    : stewardError("STW_INTERNAL", { detail: error instanceof Error ? error.message : String(error) });
  process.stderr.write(`error ${coded.code}: ${coded.message}\n`);
  if (process.env["STEWARD_DEBUG"] && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
}

/**
 * Wraps a command's action so that every failure becomes a coded error on stderr and exit code 2, and the action's
 * own number (if any) becomes the exit code.
 */
export function runAction<A extends unknown[]>(
  action: (...args: A) => Promise<number | undefined> | number | undefined,
): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      const code = await action(...args);
      process.exitCode = code ?? EXIT.ok;
    } catch (error) {
      printError(error);
      process.exitCode = EXIT.failure;
    }
  };
}

/** Checks an option against its allowed values, with the registry's error. */
export function oneOf<T extends string>(option: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw stewardError("STW_CLI_BAD_OPTION", { option, value, allowed });
}

export { formatLocation };
