/**
 * The SQLite connector's entry point. Opens the file once before returning, so a wrong path or a file that is not a
 * database fails here with a coded error rather than at the first read of a request.
 *
 * URL forms: `sqlite:/abs/path.db` and `sqlite:///abs/path.db` (absolute), `sqlite:relative/path.db` (from the
 * working directory), `sqlite::memory:` (a new, empty, private database). Percent-escapes are decoded. `?mode=` takes
 * SQLite's own words: `rw` (the default: read and write an existing file), `ro` (read only), `rwc` (create the file
 * when missing). A missing file is never created silently: without `mode=rwc` it is STW_DB_UNREACHABLE naming the path.
 *
 * @example
 *   const db = await createSqliteConnector("sqlite:/var/lib/app/app.db");
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import Database from "better-sqlite3";
import { stewardError } from "../../errors.ts";
import { redactUrl } from "../connection-url.ts";
import type { Connector } from "../connector.ts";
import { SqliteConnector } from "./sqlite-connector.ts";

export { SqliteConnector } from "./sqlite-connector.ts";
export { quoteSqlite } from "./sqlite-quote.ts";

const FORMS = ["sqlite:/abs/path.db", "sqlite:///abs/path.db", "sqlite:relative/path.db", "sqlite::memory:"];
const MODES = ["ro", "rw", "rwc"] as const;
const URL_FORM = /^sqlite:(?:\/\/(?<authority>[^/?#]*))?(?<path>[^?#]*)(?:\?(?<query>[^#]*))?$/i;

/** SQLite's default `MAX_VARIABLE_NUMBER` since 3.32.0, for a build that does not report its own. */
const DEFAULT_MAX_PARAMETERS = 32_766;

export interface SqliteTarget {
  /** An absolute path, or `:memory:`. */
  readonly filename: string;
  readonly mode: (typeof MODES)[number];
}

/** What a `sqlite:` URL names; anything else is STW_DB_BAD_URL listing the forms above. */
export function parseSqliteUrl(url: string): SqliteTarget {
  const bad = () => stewardError("STW_DB_BAD_URL", { value: redactUrl(url), allowed: [...FORMS, "…?mode=ro|rw|rwc"] });
  const parts = URL_FORM.exec(url)?.groups;
  if (!parts || (parts["authority"] ?? "") !== "" || !parts["path"]) throw bad();
  let path: string;
  try {
    path = decodeURIComponent(parts["path"]);
  } catch {
    throw bad();
  }
  const query = new URLSearchParams(parts["query"] ?? "");
  const mode = query.get("mode") ?? "rw";
  if ([...query.keys()].some((k) => k !== "mode") || !MODES.includes(mode as SqliteTarget["mode"])) throw bad();
  return { filename: path === ":memory:" ? path : resolve(path), mode: mode as SqliteTarget["mode"] };
}

/** Why a file could not be opened, naming the path: the driver only says "unable to open database file". */
function unreachable(url: string, { filename, mode }: SqliteTarget, error: unknown): Error {
  const folder = dirname(filename);
  const reason = existsSync(filename)
    ? (error as Error).message
    : !existsSync(folder)
      ? `the directory ${folder} does not exist`
      : mode === "rwc"
        ? (error as Error).message
        : "no such file (add ?mode=rwc to the URL to create an empty database there)";
  return stewardError("STW_DB_UNREACHABLE", { target: redactUrl(url), detail: `${filename}: ${reason}` });
}

export async function createSqliteConnector(url: string): Promise<Connector> {
  const target = parseSqliteUrl(url);
  let db: Database.Database | undefined;
  let maxParameters: number;
  try {
    db = new Database(target.filename, { readonly: target.mode === "ro", fileMustExist: target.mode !== "rwc" });
    db.pragma("foreign_keys = ON");
    // The first read of the schema reads the file's header: a file that is not a database fails here.
    db.prepare("SELECT count(*) FROM sqlite_schema").get();
    const option = db
      .prepare("SELECT compile_options AS o FROM pragma_compile_options WHERE o LIKE 'MAX_VARIABLE_NUMBER=%'")
      .pluck()
      .get() as string | undefined;
    maxParameters = Number(option?.split("=")[1] ?? DEFAULT_MAX_PARAMETERS);
  } catch (error) {
    db?.close();
    throw unreachable(url, target, error);
  }
  return new SqliteConnector({ db, maxParameters, inside: new AsyncLocalStorage<Promise<void>>() });
}
