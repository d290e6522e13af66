/**
 * Parsing and printing of connection URLs for connectors. A URL often carries a password; everything a user may see
 * (errors, logs) goes through `redactUrl`, so the password never leaves this module.
 */
import { stewardError } from "../errors.ts";

/** This machine's names, as `URL.hostname` spells them. */
export const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** The URL with its password replaced by `***`; unparsable text is returned with anything like `:pw@` hidden. */
export function redactUrl(value: string): string {
  return value.replace(/\/\/([^:/@]*):[^@/]*@/, "//$1:***@");
}

/** Parses `value`, checking its scheme; a bad URL is STW_DB_BAD_URL with the password hidden. */
export function parseConnectionUrl(value: string, schemes: readonly string[], example: string): URL {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (!url || !schemes.includes(url.protocol) || !url.hostname) {
    throw stewardError("STW_DB_BAD_URL", {
      value: redactUrl(value),
      allowed: [...schemes.map((s) => `${s}//`), example],
    });
  }
  return url;
}

/** A driver's connection failure as STW_DB_UNREACHABLE, naming the server but never the password. */
export function unreachableError(url: string, password: string, error: unknown): Error {
  const e = error as { code?: string; message?: string; errors?: { message?: string }[] };
  let detail = e.message || e.errors?.[0]?.message || e.code || String(error);
  if (password) detail = detail.split(password).join("***");
  return stewardError("STW_DB_UNREACHABLE", { target: redactUrl(url), detail });
}
