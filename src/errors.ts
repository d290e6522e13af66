/**
 * The one registry of Steward's coded errors. Every error a user can see comes from here: a stable code (never reused),
 * an HTTP status, a message that names the bad value and the allowed values, and the fix. `docs/errors.md` is generated
 * from this file (`npm run docs:errors`) and a test fails when the two drift apart.
 *
 * @example
 *   throw stewardError("STW_CLI_BAD_FORMAT", { value: "pdf", allowed: ["md", "html"] });
 */

/** Where in a manifest file a problem sits (1-based line and column). */
export interface SourceLocation {
  readonly file: string;
  readonly line?: number;
  readonly column?: number;
}

interface ErrorDefinition<P> {
  /** HTTP status the API answers with. */
  readonly status: number;
  /** One line for the docs table: when this error happens. */
  readonly summary: string;
  /** The message, naming the bad value and the allowed values. */
  readonly message: (params: P) => string;
  /** What the user should do. */
  readonly fix: string;
}

function define<P>(definition: ErrorDefinition<P>): ErrorDefinition<P> {
  return definition;
}

const list = (values: readonly string[], max = 12): string =>
  values.length === 0
    ? "(none)"
    : values
        .slice(0, max)
        .map((v) => `"${v}"`)
        .join(", ") + (values.length > max ? `, … (${values.length - max} more)` : "");

const hint = (suggestion: string | undefined): string => (suggestion ? ` — did you mean "${suggestion}"?` : ";");

export const ERRORS = {
  // ── manifest loading ────────────────────────────────────────────────────────────────────────────
  STW_MANIFEST_DIR_NOT_FOUND: define<{ dir: string }>({
    status: 400,
    summary: "The manifest folder does not exist or holds no YAML file.",
    message: (p) => `manifest folder "${p.dir}" does not exist or holds no .yml/.yaml file`,
    fix: "Pass the folder that holds the manifest's YAML files, e.g. `steward check examples/learning-platform`.",
  }),
  STW_MANIFEST_YAML_SYNTAX: define<{ detail: string }>({
    status: 400,
    summary: "A manifest file is not valid YAML.",
    message: (p) => `YAML syntax error: ${p.detail}`,
    fix: "Correct the YAML at the line and column given (indentation, a missing colon or an unclosed quote).",
  }),
  STW_MANIFEST_NOT_A_MAPPING: define<{ found: string }>({
    status: 400,
    summary: "A manifest file's top level is not a mapping of resource keys.",
    message: (p) =>
      `the top level of a manifest file must be a mapping, found ${p.found}; allowed top-level keys: ${list(TOP_LEVEL_KEYS)}`,
    fix: "Start the file with one of the top-level keys, e.g. `purposes:` followed by a list.",
  }),
  STW_MANIFEST_UNKNOWN_KEY: define<{ key: string; allowed: readonly string[]; suggestion?: string | undefined }>({
    status: 400,
    summary: "A manifest file uses a key Steward does not know.",
    message: (p) => `unknown key "${p.key}"${hint(p.suggestion)} Allowed keys here: ${list(p.allowed, 40)}`,
    fix: "Rename or remove the key; the allowed keys are listed in docs/manifest.md.",
  }),
  STW_MANIFEST_INVALID_VALUE: define<{ detail: string; value: string; allowed?: readonly string[] | undefined }>({
    status: 400,
    summary: "A manifest value has the wrong type or is not one of the allowed values.",
    message: (p) =>
      `invalid value ${p.value}: ${p.detail}` +
      (p.allowed && p.allowed.length > 0 ? `; allowed: ${list(p.allowed)}` : ""),
    fix: "Change the value to one of the allowed values or to the type the manifest reference (docs/manifest.md) gives.",
  }),
  STW_MANIFEST_MISSING_KEY: define<{ key: string; parent: string }>({
    status: 400,
    summary: "A required key is missing.",
    message: (p) => `missing required key "${p.key}" in ${p.parent}`,
    fix: "Add the key; docs/manifest.md lists the required keys of every resource.",
  }),
  STW_MANIFEST_DUPLICATE_KEY: define<{ kind: string; key: string; first: string }>({
    status: 400,
    summary: "Two resources of one kind share a key (or a singleton such as `organization` is given twice).",
    message: (p) => `duplicate ${p.kind} "${p.key}" (first defined at ${p.first})`,
    fix: "Give each resource its own key, or merge the two definitions into one.",
  }),
  STW_MANIFEST_UNKNOWN_REFERENCE: define<{
    kind: string;
    value: string;
    allowed: readonly string[];
    suggestion?: string | undefined;
  }>({
    status: 400,
    summary:
      "A value names a taxonomy key, purpose, system, dataset, field, exemption or retention rule that does not exist.",
    message: (p) => `unknown ${p.kind} "${p.value}"${hint(p.suggestion)} Known: ${list(p.allowed)}`,
    fix: "Use a key that exists, or declare the new one (custom taxonomy keys go under `taxonomy:`).",
  }),
  STW_MANIFEST_MISSING_ORGANIZATION: define<{ dir: string }>({
    status: 400,
    summary: "A command that needs the organization (notice, records) ran on a manifest without one.",
    message: (p) => `the manifest in "${p.dir}" has no \`organization:\`; this command needs the controller's details`,
    fix: "Add an `organization:` file (see examples/learning-platform/organization.yml).",
  }),
  STW_MANIFEST_SECRET_LITERAL: define<{ value: string }>({
    status: 400,
    summary: "A connection URL holds a literal instead of an environment reference.",
    message: (p) => `connection URL ${p.value} is a literal; only \`\${ENV_VAR}\` references are allowed in a manifest`,
    fix: "Write the URL as `${SOME_ENV_VAR}` and set the variable where Steward runs, or pass --connection DATASET=URL.",
  }),

  // ── CLI ─────────────────────────────────────────────────────────────────────────────────────────
  STW_CLI_BAD_OPTION: define<{ option: string; value: string; allowed: readonly string[] }>({
    status: 400,
    summary: "A command-line option has a value that is not allowed.",
    message: (p) => `option ${p.option} does not take "${p.value}"; allowed: ${list(p.allowed)}`,
    fix: "Run the command with one of the allowed values; `steward help <command>` lists them.",
  }),
  STW_CLI_USAGE: define<{ detail: string }>({
    status: 400,
    summary: "The command line could not be understood (unknown command, missing argument).",
    message: (p) => p.detail,
    fix: "Run `steward --help` for the list of commands and `steward help <command>` for one command's options.",
  }),
  STW_FILE_NOT_FOUND: define<{ path: string }>({
    status: 400,
    summary: "A file named on the command line does not exist or cannot be read.",
    message: (p) => `cannot read file "${p.path}"`,
    fix: "Check the path; relative paths are taken from the current directory.",
  }),

  STW_FILE_EXISTS: define<{ path: string }>({
    status: 409,
    summary: "A command would overwrite a file that already exists.",
    message: (p) => `"${p.path}" already exists and would be overwritten`,
    fix: "Choose another --out folder, remove the file, or pass --force to replace it.",
  }),

  // ── store ───────────────────────────────────────────────────────────────────────────────────────
  STW_STORE_SCHEMA_NEWER: define<{ found: number; supported: number }>({
    status: 500,
    summary: "Steward's own database was migrated by a newer Steward.",
    message: (p) =>
      `the store's schema is at version ${p.found}, but this Steward knows migrations up to ${p.supported} only`,
    fix: "Upgrade Steward to the version that wrote this store, or point it at another store (--data-dir or STEWARD_DATABASE_URL).",
  }),
  STW_STORE_UNREACHABLE: define<{ target: string; detail: string }>({
    status: 503,
    summary: "Steward's own database cannot be opened or reached.",
    message: (p) => `cannot open Steward's store at ${p.target}: ${p.detail}`,
    fix: "Check STEWARD_DATABASE_URL (postgres://user@host:port/db) or that --data-dir is a writable folder.",
  }),

  // ── store, API and serve (store/, api/, cli serve) ─────────────────────────────────────────────
  STW_STORE_MIGRATION_FAILED: define<{ migration: string; detail: string }>({
    status: 500,
    summary: "A migration of Steward's own store failed; the store keeps its previous schema.",
    message: (p) => `migration "${p.migration}" of Steward's store failed: ${p.detail}`,
    fix: "Check that the database user may create tables and triggers; the failed migration was rolled back, so rerun after fixing.",
  }),
  STW_STORE_LOCKED: define<{ dir: string; pid: number }>({
    status: 503,
    summary: "Another running Steward process has the embedded store open.",
    message: (p) =>
      `the store in "${p.dir}" is in use by process ${p.pid}; an embedded store serves one process at a time`,
    fix: "Stop the other process, give this one its own --data-dir, or share one PostgreSQL store via STEWARD_DATABASE_URL.",
  }),
  STW_AUDIT_PERSONAL_DATA: define<{ path: string; kind: string }>({
    status: 500,
    summary: "An audit event carried what looks like personal data; the trail must name requests by id only.",
    message: (p) => `audit event "${p.kind}" holds personal data at ${p.path}; allowed: ids, keys, counts and codes`,
    fix: "Pass the request id or a hash instead of the e-mail, phone or name (a bug in the caller: please report it).",
  }),
  STW_API_BAD_REQUEST: define<{ detail: string }>({
    status: 400,
    summary: "A request to the HTTP API has a parameter or body that is not allowed.",
    message: (p) => `bad request: ${p.detail}`,
    fix: "Correct the parameter; every route's parameters and allowed values are described at /docs.",
  }),
  STW_API_NOTICE_UNAVAILABLE: define<{ detail: string }>({
    status: 503,
    summary: "The server cannot render the notice from the loaded manifest.",
    message: (p) => `the notice cannot be rendered: ${p.detail}`,
    fix: "Run `steward notice <dir>` to see the renderer's own error, fix the manifest, and restart `steward serve`.",
  }),
  STW_SERVE_PORT_IN_USE: define<{ host: string; port: number }>({
    status: 500,
    summary: "`steward serve` cannot listen because another program holds the port.",
    message: (p) => `port ${p.port} on ${p.host} is already in use`,
    fix: "Stop the other program or choose another port with --port (0 picks a free one).",
  }),
  STW_SERVE_CANNOT_LISTEN: define<{ host: string; port: number; detail: string }>({
    status: 500,
    summary: "`steward serve` cannot listen on the address given.",
    message: (p) => `cannot listen on ${p.host}:${p.port}: ${p.detail}`,
    fix: "Use an address of this machine with --host (e.g. 127.0.0.1) and a port above 1023 with --port.",
  }),

  // ── notice and records (notice/, records/) ─────────────────────────────────────────────────────
  STW_MANIFEST_MISSING_NOTICE: define<{ dir: string }>({
    status: 400,
    summary: "The notice was asked for, but the manifest has no `notice:` (title, version, effective date, sections).",
    message: (p) =>
      `the manifest in "${p.dir}" has no \`notice:\`; the notice needs its title, version, date and sections`,
    fix: "Add a `notice:` file (see examples/learning-platform/notice.yml) listing the sections in the order to render.",
  }),
  STW_FILE_NOT_WRITABLE: define<{ path: string; detail: string }>({
    status: 500,
    summary: "A file named with --out cannot be written.",
    message: (p) => `cannot write file "${p.path}": ${p.detail}`,
    fix: "Check that the folder exists and is writable, or leave out --out to print to the terminal.",
  }),

  // ── data stores (demo seed, later connectors) ──────────────────────────────────────────────────
  STW_DB_UNREACHABLE: define<{ target: string; detail: string }>({
    status: 503,
    summary: "A database named by a URL cannot be reached.",
    message: (p) => `cannot connect to ${p.target}: ${p.detail}`,
    fix: "Check that the server runs and that the URL (host, port, user, database) is right; for sqlite:, that the file exists.",
  }),
  STW_DB_BAD_URL: define<{ value: string; allowed: readonly string[] }>({
    status: 400,
    summary: "A database URL has a scheme Steward cannot use here.",
    message: (p) => `database URL "${p.value}" is not usable; allowed schemes: ${list(p.allowed)}`,
    fix: "Write the URL as e.g. postgres://postgres@127.0.0.1:5432/app, mysql://root@127.0.0.1:3306/analytics or sqlite:/var/lib/app/app.db.",
  }),

  // ── request engine ──────────────────────────────────────────────────────────────────────────────
  STW_ENGINE_NO_CONNECTION: define<{ dataset: string; needs: string }>({
    status: 400,
    summary: "A dataset a request must reach has no usable connection URL.",
    message: (p) => `dataset "${p.dataset}" has no connection: set ${p.needs}`,
    fix: "Export the environment variable the dataset's `connection.url` names, or pass `--connection DATASET=URL`.",
  }),
  STW_ENGINE_READ_FAILED: define<{ collection: string; detail: string }>({
    status: 502,
    summary: "A collection could not be read during a request; the request went on without it.",
    message: (p) => `cannot read ${p.collection}: ${p.detail}`,
    fix: "Check that the table and its columns exist as the dataset file says (`steward discover URL` shows what is there), then run the request again.",
  }),
  STW_ENGINE_WRITE_FAILED: define<{ dataset: string; collection: string; detail: string }>({
    status: 502,
    summary: "An erasure or rectification could not be written to a data store; that store's changes were rolled back.",
    message: (p) =>
      `writing ${p.collection} failed, so nothing was changed in dataset "${p.dataset}" (rolled back): ${p.detail}`,
    fix: "Fix the cause (a constraint the manifest does not know of, a permission), then run the same request again: it is idempotent and finishes what is left.",
  }),
  STW_ENGINE_UNKNOWN_IDENTITY: define<{ value: string; allowed: readonly string[] }>({
    status: 400,
    summary: "A request names an identity type that no dataset field carries.",
    message: (p) => `identity type "${p.value}" is not declared by any field; allowed: ${list(p.allowed)}`,
    fix: "Use an identity type declared with `fides_meta.identity` on a field, or declare it there.",
  }),
  STW_ENGINE_BAD_IDENTITY_LINE: define<{ file: string; line: number; allowed: readonly string[] }>({
    status: 400,
    summary: "A line of an --identities file is not `TYPE=VALUE`.",
    message: (p) =>
      `line ${p.line} of "${p.file}" is not TYPE=VALUE (one person per line, several identities separated by spaces); types: ${list(p.allowed)}`,
    fix: "Write one person per line as e.g. `email=ada@example.com` or `email=ada@example.com user_id=42`; empty lines and lines starting with # are skipped.",
  }),
  STW_ENGINE_BAD_SET: define<{ value: string; allowed: readonly string[] }>({
    status: 400,
    summary: "A rectification's --set names no field of the subject's data.",
    message: (p) =>
      `--set "${p.value}" matches no personal field; use DATASET.COLLECTION.FIELD=VALUE or CATEGORY=VALUE, e.g. ${list(p.allowed, 8)}`,
    fix: "Name a field as `learning_app.users.first_name=Ada`, or a data category (every field holding it is set) as `user.name.first=Ada`.",
  }),

  STW_DISCOVER_NO_TABLES: define<{ target: string }>({
    status: 400,
    summary: "`steward discover` found no table to describe in the database.",
    message: (p) => `the database at ${p.target} has no tables to describe`,
    fix: "Check that the URL names the database that holds the tables (PostgreSQL: discovery reads the current schema, usually public).",
  }),

  // ── Fides import ────────────────────────────────────────────────────────────────────────────────
  STW_FIDES_NOT_A_DATASET: define<{ file: string; found: string }>({
    status: 400,
    summary: "A file given to `steward import fides` holds no Fides `dataset:` list.",
    message: (p) => `"${p.file}" is not a Fides dataset file: expected a top-level \`dataset:\` list, found ${p.found}`,
    fix: "Pass Fides dataset YAML files (the ones with `dataset: - fides_key: …`).",
  }),

  // ── HTTP processor connectors (connectors/http/) ────────────────────────────────────────────────
  STW_SPEC_NOT_FOUND: define<{ ref: string; allowed: readonly string[] }>({
    status: 400,
    summary: "A processor spec named by `connection.spec` is neither a shipped spec nor a readable file.",
    message: (p) =>
      `processor spec "${p.ref}" is neither a shipped spec nor a readable .yml file; shipped: ${list(p.allowed)}`,
    fix: "Use a shipped spec name, or a path to a spec file relative to the manifest folder (docs/processors.md).",
  }),
  STW_SPEC_YAML_SYNTAX: define<{ detail: string }>({
    status: 400,
    summary: "A processor spec file is not valid YAML.",
    message: (p) => `processor spec YAML syntax error: ${p.detail}`,
    fix: "Correct the YAML at the line and column given (indentation, a missing colon or an unclosed quote).",
  }),
  STW_SPEC_INVALID: define<{
    key: string;
    detail: string;
    value?: string | undefined;
    allowed?: readonly string[] | undefined;
  }>({
    status: 400,
    summary: "A processor spec has an unknown key, a missing key or a value of the wrong form.",
    message: (p) =>
      `processor spec key "${p.key}" ${p.detail}${p.value ? ` (found ${p.value})` : ""}` +
      (p.allowed && p.allowed.length > 0 ? `; allowed: ${list(p.allowed, 20)}` : ""),
    fix: "Correct the key in the spec file; every key and its form is described in docs/processors.md.",
  }),
  STW_PROCESSOR_MISSING_SECRET: define<{ vendor: string; variable: string }>({
    status: 500,
    summary: "The environment variable that holds a processor's API key is not set.",
    message: (p) => `the ${p.vendor} API key is read from the environment variable ${p.variable}, which is not set`,
    fix: "Export the variable (e.g. from your secret store) where Steward runs; the spec only names it, never holds the key.",
  }),
  STW_PROCESSOR_FAILED: define<{
    vendor: string;
    method: string;
    path: string;
    status: string;
    attempts: number;
    hint: string;
  }>({
    status: 502,
    summary: "A processor's API call failed, after retries where a retry could help (429, 5xx, no answer).",
    message: (p) =>
      `${p.vendor} ${p.method} ${p.path} failed with ${p.status} after ${p.attempts} attempt(s): ${p.hint}`,
    fix: "Check the vendor's status page, the API key's permissions and the connection URL; the request can be run again, processor calls are idempotent.",
  }),
  STW_PROCESSOR_BAD_RESPONSE: define<{ vendor: string; method: string; path: string; detail: string }>({
    status: 502,
    summary: "A processor answered with a body that does not have the shape its spec describes.",
    message: (p) => `${p.vendor} ${p.method} ${p.path} answered with an unexpected body: ${p.detail}`,
    fix: "Check that the connection URL points at the vendor's API (not a web page or a proxy's error page) and that the spec matches the vendor's API version.",
  }),
  STW_PROCESSOR_UNSUPPORTED: define<{
    vendor: string;
    resource: string;
    operation: string;
    allowed: readonly string[];
  }>({
    status: 400,
    summary:
      "A request needs an operation the processor's spec does not offer (e.g. an update, or a lookup by a field).",
    message: (p) => `the ${p.vendor} spec offers no ${p.operation} on "${p.resource}"; it offers: ${list(p.allowed)}`,
    fix: "Add the operation to the spec if the vendor's API has one; otherwise change the collection's erasure setting (e.g. `{action: keep, reason: …}`) so that no request needs it.",
  }),
  STW_PROCESSOR_UNKNOWN_RESOURCE: define<{ vendor: string; value: string; allowed: readonly string[] }>({
    status: 400,
    summary: "A dataset's collection names a resource its processor spec does not describe.",
    message: (p) => `the ${p.vendor} spec has no resource "${p.value}"; resources: ${list(p.allowed)}`,
    fix: "Name the collection after one of the spec's resources, or add the resource to the spec.",
  }),
  STW_PROCESSOR_UNKNOWN_FIELD: define<{ vendor: string; resource: string; value: string; allowed: readonly string[] }>({
    status: 400,
    summary: "A dataset's field names a field its processor spec does not map.",
    message: (p) =>
      `the ${p.vendor} spec maps no field "${p.value}" of "${p.resource}"; fields: ${list(p.allowed, 30)}`,
    fix: "Name the field after one of the spec's fields, or add it to the resource's `fields` with the JSON pointer where the vendor puts it.",
  }),

  // ── HTTP API ────────────────────────────────────────────────────────────────────────────────────
  STW_API_NOT_FOUND: define<{ path: string; allowed: readonly string[] }>({
    status: 404,
    summary: "No route answers this path.",
    message: (p) => `no route for "${p.path}"; known routes: ${list(p.allowed)}`,
    fix: "Use one of the known routes; the API is described at /docs.",
  }),
  STW_INTERNAL: define<{ detail: string }>({
    status: 500,
    summary: "An unexpected failure inside Steward (a bug).",
    message: (p) => `internal error: ${p.detail}`,
    fix: "Please report it with the command you ran; nothing was changed by the failed step.",
  }),
} as const;

/** The top-level keys a manifest file may hold (exported here because the error messages list them). */
export const TOP_LEVEL_KEYS = [
  "organization",
  "taxonomy",
  "purposes",
  "systems",
  "sources",
  "exemptions",
  "dataset",
  "retention",
  "rights",
  "notice",
] as const;

export type ErrorCode = keyof typeof ERRORS;
export type ErrorParams<C extends ErrorCode> = Parameters<(typeof ERRORS)[C]["message"]>[0];

/** An error a user may see. `message` holds the whole text: what is wrong, the allowed values, and the fix. */
export class StewardError extends Error {
  override readonly name = "StewardError";
  constructor(
    readonly code: ErrorCode,
    readonly status: number,
    readonly detail: string,
    readonly fix: string,
    readonly location?: SourceLocation,
  ) {
    super(`${location ? `${formatLocation(location)}: ` : ""}${detail}. ${fix}`);
  }

  /** The body the HTTP API answers with. */
  toJSON(): { code: ErrorCode; message: string; location?: SourceLocation } {
    return { code: this.code, message: this.message, ...(this.location ? { location: this.location } : {}) };
  }
}

export function formatLocation(location: SourceLocation): string {
  return [location.file, location.line, location.column].filter((p) => p !== undefined).join(":");
}

/** Builds the registered error `code` with its parameters (and, for manifest errors, where it happened). */
export function stewardError<C extends ErrorCode>(
  code: C,
  params: ErrorParams<C>,
  location?: SourceLocation,
): StewardError {
  const definition = ERRORS[code] as ErrorDefinition<ErrorParams<C>>;
  return new StewardError(code, definition.status, definition.message(params), definition.fix, location);
}

export function isStewardError(value: unknown): value is StewardError {
  return value instanceof StewardError;
}
