/**
 * Parses and checks the two database URLs `steward demo seed` takes, before anything connects: a wrong scheme or a
 * missing database name is a usage error (STW_DB_BAD_URL), not a connection failure.
 */
import { stewardError } from "../errors.ts";

export type DatabaseKind = "postgres" | "mysql";

const SCHEMES: Readonly<Record<DatabaseKind, readonly string[]>> = {
  postgres: ["postgres:", "postgresql:"],
  mysql: ["mysql:", "mariadb:"],
};
const EXAMPLES: Readonly<Record<DatabaseKind, string>> = {
  postgres: "postgres://user@host:5432/database",
  mysql: "mysql://user@host:3306/database",
};

export interface DatabaseTarget {
  readonly kind: DatabaseKind;
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password?: string;
  /** The database to (create and) fill. */
  readonly database: string;
  /** The URL with any password replaced by "***", safe to print. */
  readonly display: string;
  /** The URL as given. */
  readonly url: string;
}

function bad(value: string, kind: DatabaseKind): Error {
  const shown = value.replace(/\/\/([^:/@]*):[^@]*@/, "//$1:***@");
  return stewardError("STW_DB_BAD_URL", { value: shown, allowed: [...SCHEMES[kind], EXAMPLES[kind]] });
}

/**
 * @example
 *   parseDatabaseUrl("postgres://postgres@127.0.0.1:5432/learning_app", "postgres").database; // "learning_app"
 */
export function parseDatabaseUrl(value: string, kind: DatabaseKind): DatabaseTarget {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw bad(value, kind);
  }
  const database = decodeURIComponent(url.pathname.replace(/^\//, ""));
  // The name is put into CREATE/DROP statements, so only plain identifiers are accepted.
  if (!SCHEMES[kind].includes(url.protocol) || !url.hostname || !/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(database)) {
    throw bad(value, kind);
  }
  const password = url.password ? decodeURIComponent(url.password) : undefined;
  const display = password === undefined ? value : value.replace(`:${url.password}@`, ":***@");
  return {
    kind,
    host: url.hostname.replace(/^\[(.*)\]$/, "$1"),
    port: url.port ? Number(url.port) : kind === "postgres" ? 5432 : 3306,
    user: decodeURIComponent(url.username) || (kind === "postgres" ? "postgres" : "root"),
    ...(password === undefined ? {} : { password }),
    database,
    display,
    url: value,
  };
}

/** The connection failure as a coded error that names the server, without a stack trace or a password. */
export function unreachable(target: DatabaseTarget, error: unknown): Error {
  const e = error as { code?: string; message?: string; errors?: { message?: string }[] };
  const detail = e.message || e.errors?.[0]?.message || e.code || String(error);
  return stewardError("STW_DB_UNREACHABLE", { target: target.display, detail });
}
