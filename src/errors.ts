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
    summary: "A connection URL (or a consent delivery setting) holds a literal instead of an environment reference.",
    message: (p) =>
      `connection setting ${p.value} is a literal; only \`\${ENV_VAR}\` references are allowed in a manifest`,
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
  STW_STORE_SERVED: define<{ dir: string; pid: number; url: string }>({
    status: 503,
    summary: "A command that opens the embedded store was run while `steward serve` holds it.",
    message: (p) =>
      `the store in "${p.dir}" is held by steward serve (process ${p.pid}, ${p.url}); this command opens the store ` +
      "itself, and an embedded store serves one process at a time; allowed while it runs (through the server): " +
      "steward requests list|show|approve|deny|extend|pause|resume|retry|cancel|hold|unhold, steward keys " +
      "create|list|revoke, steward audit verify",
    fix: "Use the admin console (/admin) or the admin API of that server, or stop it (Ctrl-C) and run the command again; to run every command beside a server, keep the store on PostgreSQL (STEWARD_DATABASE_URL).",
  }),
  STW_CLI_SERVER_UNREACHABLE: define<{ pid: number; url: string; detail: string }>({
    status: 503,
    summary: "The CLI went through the running `steward serve` that holds the embedded store, and it did not answer.",
    message: (p) => `steward serve (process ${p.pid}) holds the store but did not answer at ${p.url}: ${p.detail}`,
    fix: "Wait until the server has started (it prints its URL) and try again; if it hangs, stop it (Ctrl-C, or kill the process) — the CLI then opens the store itself.",
  }),
  STW_AUDIT_RECORDS_NOT_DELETED: define<{ id: number; kind: string; request: string }>({
    status: 500,
    summary:
      "Request records past their retention were not deleted: an audit event of theirs no longer matches its hash.",
    message: (p) =>
      `request ${p.request} was not deleted: its audit event ${p.id} ("${p.kind}") does not match its hash, so ` +
      "removing its payload would hide that it was changed; allowed: deleting records whose events all verify",
    fix: "Run `steward audit verify` to find the first broken event and restore the trail from a backup; records are deleted again by the next sweep once the chain holds.",
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
  STW_ENGINE_WRITE_SHORT: define<{
    dataset: string;
    collection: string;
    action: "delete" | "update";
    expected: number;
    matched: number;
    columns: string;
  }>({
    status: 409,
    summary:
      "A delete or mask by key matched fewer rows than the erasure or rectification addressed; that store's changes were rolled back.",
    message: (p) =>
      `writing ${p.collection}: the ${p.action} by ${p.columns} matched ${p.matched} of the ${p.expected} row(s) it addressed, so nothing was changed in dataset "${p.dataset}" (rolled back)`,
    fix: "Either the rows changed between the read and the write (run the same request again), or a column they are addressed by does not compare equal once read (a timestamp to the microsecond, a floating-point number): give the table a primary key, or declare one in the dataset (`fides_meta: {primary_key: true}`), then run the request again.",
  }),
  STW_ENGINE_KEY_CYCLE: define<{ collections: string; keys: string }>({
    status: 409,
    summary:
      "An erasure would delete rows that name one another through NOT NULL foreign keys: no order can satisfy the database.",
    message: (p) =>
      `erasure deletes rows of ${p.collections}, which name one another through NOT NULL foreign keys (${p.keys}); nothing was written`,
    fix: "Make one of these keys nullable or ON DELETE CASCADE (or DEFERRABLE INITIALLY DEFERRED on PostgreSQL), or mask one collection's rows instead of deleting them (`erasure: {action: mask, …}`); `steward check --connection DATASET=URL` reports it as SC018.",
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

  // ── retention ───────────────────────────────────────────────────────────────────────────────────
  STW_RETENTION_NO_CONDITIONS: define<{ collection: string; kind: string }>({
    status: 400,
    summary: "A retention rule counts time on a store that cannot select rows by a condition (a processor's API).",
    message: (p) =>
      `${p.collection} is held by a ${p.kind} connector, which cannot find rows by their age; allowed: collections in PostgreSQL, MySQL/MariaDB or SQLite`,
    fix: "Give the processor's collection an `account_lifetime` or `until` rule instead (those reach it through the person, as erasure does), or sweep it at the vendor.",
  }),
  STW_RETENTION_UNKNOWN_RULE: define<{ value: string; allowed: readonly string[] }>({
    status: 400,
    summary: "A retention command names a rule the manifest does not have.",
    message: (p) => `retention rule "${p.value}" is not in the manifest; allowed: ${list(p.allowed)}`,
    fix: "Use a `key` from the manifest's `retention:` list (`steward retention plan` lists them).",
  }),
  STW_RETENTION_UNKNOWN_EVENT: define<{ value: string; allowed: readonly string[] }>({
    status: 400,
    summary: "An event names a type that no retention rule waits for.",
    message: (p) => `no retention rule waits for event "${p.value}"; allowed: ${list(p.allowed)}`,
    fix: "Send one of the events the manifest's rules name in `until:`, or add a rule that waits for this one.",
  }),
  STW_RETENTION_BAD_TIME: define<{ option: string; value: string }>({
    status: 400,
    summary: "A time given to a retention command or event is not an ISO 8601 date or timestamp.",
    message: (p) => `${p.option} "${p.value}" is not a date or timestamp; allowed: YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ`,
    fix: "Write the time as e.g. 2026-12-02 or 2026-12-02T09:30:00Z.",
  }),

  STW_NOTIFY_NO_ACCOUNT: define<{ collection: string; detail: string }>({
    status: 409,
    summary: "A notice change cannot be mailed: the manifest's account collection gives no e-mail address.",
    message: (p) => `cannot find whom to notify through account collection "${p.collection}": ${p.detail}`,
    fix: "Declare `account: {collection, closed_at}` in the manifest, naming a collection with a primary key and a field with `identity: email`.",
  }),
  STW_NOTIFY_INTERRUPTED: define<{ version: string }>({
    status: 500,
    summary:
      "A notice-change mail was in hand when its worker stopped: it may or may not have left, and is not sent again.",
    message: (p) => `a mail of the notification of notice version ${p.version} was interrupted while being sent`,
    fix: "Nothing to do for most: the person may already have it. The run reports these as `uncertain`; the notice banner still reaches them.",
  }),
  STW_NOTICE_BAD_EFFECTIVE_DATE: define<{ value: string; published?: string }>({
    status: 400,
    summary:
      "`steward notice publish --effective` was given a day that is not a date, or one before the version is published.",
    message: (p) =>
      `--effective "${p.value}" is not a day on or after ${p.published ?? "today"}; allowed: YYYY-MM-DD, today or later`,
    fix: "Give the day the new version applies, e.g. --effective 2027-01-15; a material change should be announced some weeks before it applies.",
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

  // ── request service ─────────────────────────────────────────────────────────────────────────────
  STW_SECRET_INVALID: define<{ source: string }>({
    status: 500,
    summary: "The service's secret is not 32 bytes.",
    message: (p) => `the secret in ${p.source} is not 32 bytes written as 64 hex characters or base64`,
    fix: "Set STEWARD_SECRET to the output of `openssl rand -hex 32` (or delete a damaged secret.key on a store that holds no request yet).",
  }),
  STW_SECRET_MISMATCH: define<{ source: string }>({
    status: 500,
    summary: "The secret differs from the one the store was first used with.",
    message: (p) =>
      `the secret from ${p.source} is not the one this store was first used with, so it could not open what the store holds`,
    fix: "Give every Steward process of this store the same STEWARD_SECRET (copy it from the first host's setting or its <data dir>/secret.key).",
  }),
  STW_SECRET_CANNOT_OPEN: define<{ what: string }>({
    status: 500,
    summary: "A sealed value could not be opened: another secret sealed it, or it was changed.",
    message: (p) => `the sealed data of ${p.what} could not be opened (wrong secret, or changed in the store)`,
    fix: "Run with the secret the data was sealed with; if the store was edited by hand, restore it from a backup.",
  }),
  STW_MAIL_BAD_URL: define<{ value: string; detail: string }>({
    status: 500,
    summary: "STEWARD_SMTP_URL is not a mail server URL.",
    message: (p) => `STEWARD_SMTP_URL "${p.value}" cannot be used: ${p.detail}`,
    fix: "Write it as smtp://user:password@host:587 (or smtps://… for TLS from the start), or unset it to write mail to the outbox folder.",
  }),
  STW_MAIL_FAILED: define<{ target: string; detail: string }>({
    status: 503,
    summary: "The mail server did not take a message.",
    message: (p) => `the mail server ${p.target} did not take the message: ${p.detail}`,
    fix: "Check that the SMTP server answers and accepts the sender (STEWARD_MAIL_FROM); the person can ask for the code again.",
  }),
  STW_MAIL_REFUSED: define<{ target: string; detail: string }>({
    status: 502,
    summary: "The mail server refused a message for its recipient for good (an SMTP 5xx answer).",
    message: (p) => `the mail server ${p.target} refused the message for its recipient: ${p.detail}`,
    fix: "The address is probably wrong or closed; nothing to retry. Check the server's log for the recipient's reason.",
  }),
  STW_REQUEST_NOT_FOUND: define<{ id: string }>({
    status: 404,
    summary: "No request has this id.",
    message: (p) => `no request has the id "${p.id}"`,
    fix: "Use the id the request was given when it was made (`steward requests list` shows them).",
  }),
  STW_REQUEST_WRONG_STATE: define<{ id: string; action: string; status: string; allowed: readonly string[] }>({
    status: 409,
    summary: "The action does not apply to a request in its current state.",
    message: (p) =>
      `cannot ${p.action} request ${p.id}: it is ${p.status}; ${p.action} applies to requests that are ${list(p.allowed)}`,
    fix: "Look at the request (`steward requests show ID`) and choose an action its state allows.",
  }),
  STW_REQUEST_UNKNOWN_JURISDICTION: define<{ value: string; allowed: readonly string[] }>({
    status: 400,
    summary: "The request names a jurisdiction the manifest does not declare.",
    message: (p) => `unknown jurisdiction "${p.value}"; allowed: ${list(p.allowed)}`,
    fix: "Send one of the manifest's `rights[].jurisdiction` keys, or leave it out to use the one for the person's country.",
  }),
  STW_REQUEST_TYPE_NOT_OFFERED: define<{ type: string; jurisdiction: string; allowed: readonly string[] }>({
    status: 400,
    summary: "The request type is not one the jurisdiction offers.",
    message: (p) =>
      `request type "${p.type}" is not offered in jurisdiction "${p.jurisdiction}"; allowed: ${list(p.allowed)}`,
    fix: "Choose one of the allowed types, or add the type to that jurisdiction's `requests` in the manifest.",
  }),
  STW_REQUEST_BAD_IDENTITY: define<{ detail: string; allowed: readonly string[] }>({
    status: 400,
    summary: "The request's identity is missing, of an unknown type, or malformed.",
    message: (p) => `identity: ${p.detail}; identity types: ${list(p.allowed)}`,
    fix: 'Send `identity` as an object of type → value, e.g. {"email": "ada@example.com"}.',
  }),
  STW_REQUEST_BAD_DETAILS: define<{ detail: string; allowed: readonly string[] }>({
    status: 400,
    summary: "The request's details do not fit its type.",
    message: (p) => `details: ${p.detail}; allowed: ${list(p.allowed, 20)}`,
    fix: 'For rectification send `details.set`, e.g. {"learning_app.users.first_name": "Ada"}; for portability optionally `details.destination` (an https URL); for access optionally `details.scope: "categories"`; for opt_out_sale_sharing optionally `details.opt_in: true`.',
  }),
  STW_REQUEST_BAD_CODE: define<{ tries_left: number }>({
    status: 422,
    summary: "The verification code is wrong.",
    message: (p) =>
      `the code is not right; ${p.tries_left} ${p.tries_left === 1 ? "try" : "tries"} left before the request is locked`,
    fix: "Enter the code from the newest message we sent, or ask for a new code.",
  }),
  STW_REQUEST_CODE_EXPIRED: define<{ minutes: number }>({
    status: 410,
    summary: "The verification code has expired.",
    message: (p) => `the code has expired (codes work for ${p.minutes} minutes)`,
    fix: "Ask for a new code (POST /api/requests/{id}/resend) and enter it.",
  }),
  STW_REQUEST_LOCKED: define<{ tries: number }>({
    status: 423,
    summary: "The request was locked after too many wrong codes.",
    message: (p) => `the request is locked: the code was entered wrongly ${p.tries} times`,
    fix: "Make a new request; nothing was done with the locked one.",
  }),
  STW_REQUEST_RESEND_TOO_SOON: define<{ seconds: number }>({
    status: 429,
    summary: "A new code was asked for too soon, or too often.",
    message: (p) => `a new code can be sent in ${p.seconds} s`,
    fix: "Wait, then ask again; the code already sent still works until it expires.",
  }),
  STW_REQUEST_TOKEN_INVALID: define<Record<string, never>>({
    status: 403,
    summary: "The request token is missing or does not belong to this request.",
    message: () => "this request token does not open this request",
    fix: "Send the token you received when you made or confirmed the request, as `Authorization: Bearer TOKEN` or `?token=`.",
  }),
  STW_REQUEST_LINK_INVALID: define<Record<string, never>>({
    status: 403,
    summary: "A download link's signature is wrong.",
    message: () => "this download link is not valid",
    fix: "Use the link from the message we sent, unchanged.",
  }),
  STW_REQUEST_LINK_EXPIRED: define<{ expired: string }>({
    status: 410,
    summary: "A download link has expired.",
    message: (p) => `this download link expired on ${p.expired}`,
    fix: "Make a new access request; links work for a limited time so that an old message cannot expose your data.",
  }),
  STW_REQUEST_NO_PACKAGE: define<{ id: string }>({
    status: 404,
    summary: "The request has no package to download (yet, or any more).",
    message: (p) => `request ${p.id} has no package to download`,
    fix: "Wait for the message that says your data is ready; packages are deleted when their link expires.",
  }),
  STW_REQUEST_TRANSMIT_FAILED: define<{ host: string; status: number }>({
    status: 502,
    summary: "The provider a portability request names did not take the data; the job tries again with backoff.",
    message: (p) =>
      `the provider at ${p.host} did not take the data (${p.status === 0 ? "no answer" : `HTTP ${p.status}`})`,
    fix: "Nothing to do: the worker tries again. If it keeps failing, check with the person that the address is right.",
  }),
  STW_REQUEST_REASON_REQUIRED: define<{ action: string }>({
    status: 400,
    summary: "An admin action that needs a reason was given none.",
    message: (p) => `${p.action} needs a reason; it is shown to the person and kept in the audit trail`,
    fix: 'Send {"reason": "…"} (CLI: --reason "…").',
  }),
  STW_REQUEST_BAD_DENIAL: define<{ value: string; allowed: readonly string[]; action?: string }>({
    status: 400,
    summary: "A denial names a kind of denial that does not exist (or one was named for another action than deny).",
    message: (p) =>
      p.action
        ? `a kind of denial ("${p.value}") goes only with deny, not with ${p.action}`
        : `"${p.value}" is not a kind of denial; allowed: ${list(p.allowed)}`,
    fix: 'Deny with one of the kinds (DRP 1.0 §3.02), e.g. {"reason": "…", "denial": "no_match"} (CLI: --denial no_match); leave it out for "other".',
  }),
  STW_REQUEST_REASON_TOO_LONG: define<{ action: string; length: number; max: number }>({
    status: 400,
    summary: "An admin action's reason is longer than the service keeps.",
    message: (p) => `the reason for ${p.action} has ${p.length} characters; at most ${p.max} are kept`,
    fix: "Shorten the reason; put long explanations in your case file and refer to it.",
  }),
  // ── consent ledger ─────────────────────────────────────────────────────────────────────────────
  STW_CONSENT_BAD_SUBJECT: define<{ detail: string; allowed: readonly string[] }>({
    status: 400,
    summary: "A consent subject is not `TYPE:VALUE` with a known identity type or a device id.",
    message: (p) => `subject: ${p.detail}; subject types: ${list(p.allowed)}`,
    fix: "Write the subject as TYPE:VALUE, e.g. email:ada@example.com, user_id:42 or device:<the SDK's device id>.",
  }),
  STW_CONSENT_UNKNOWN_PURPOSE: define<{ value: string; allowed: readonly string[]; suggestion?: string | undefined }>({
    status: 400,
    summary: "A consent event or decision names a purpose the manifest does not declare.",
    message: (p) => `unknown purpose "${p.value}"${hint(p.suggestion)} purposes: ${list(p.allowed, 40)}`,
    fix: "Use a `purposes[].key` of the manifest (`GET /api/manifest` lists them).",
  }),
  STW_CONSENT_NO_CHOICE: define<{
    purpose: string;
    status: string;
    jurisdiction: string;
    why: string;
    allowed: readonly string[];
  }>({
    status: 422,
    summary: "A consent event records a choice the purpose does not offer where the person is.",
    message: (p) =>
      `purpose "${p.purpose}" offers no "${p.status}" in jurisdiction "${p.jurisdiction}": ${p.why}; what can be recorded: ${list(p.allowed)}`,
    fix: "Record only the choices the purpose offers there (`GET /api/consent/decision` shows its basis); an objection to a purpose needs legitimate interests, public task or direct marketing.",
  }),
  STW_CONSENT_BAD_EVENT: define<{ detail: string; allowed: readonly string[] }>({
    status: 400,
    summary: "A consent event's status or method is not one the ledger knows, or is not allowed to this caller.",
    message: (p) => `consent event: ${p.detail}; allowed: ${list(p.allowed)}`,
    fix: 'Send {"subject": "email:…", "purpose": "…", "status": "granted"|"withdrawn"|"objected", "method": "banner"|"preferences"|"api"|"import"}.',
  }),
  STW_CONSENT_LINKED_ELSEWHERE: define<Record<string, never>>({
    status: 409,
    summary: "The device is already linked to another person.",
    message: () => "this device id is already linked to another person; a device is linked to one person only",
    fix: "Give the browser a new device id when a different person signs in on it (the SDK makes one when its stored id is removed).",
  }),
  STW_CONSENT_NOT_YOURS: define<{ type: string }>({
    status: 403,
    summary: "A caller without a host token or an admin key named a subject other than a device id.",
    message: (p) =>
      `a subject of type "${p.type}" needs the host application's token for that person, or an admin API key; without one only "device" subjects are accepted`,
    fix: "From the browser SDK use the device id; from the host application send `Authorization: Bearer <token for that user>`; operators use /api/admin/consent/….",
  }),
  STW_HOST_TOKEN_INVALID: define<{ detail: string }>({
    status: 401,
    summary: "The signed-in user's token from the host application was refused.",
    message: (p) => `the account token was refused: ${p.detail}`,
    fix: "Send a fresh token signed with the key configured in STEWARD_HOST_JWT_KEY or STEWARD_HOST_JWKS_URL, or make the request with an e-mail code instead.",
  }),
  STW_AUTH_REQUIRED: define<Record<string, never>>({
    status: 401,
    summary: "An admin route was called without a valid API key.",
    message: () => "this route needs an API key (Authorization: Bearer KEY), and none valid was sent",
    fix: "Create one with `steward keys create --role admin|approver|viewer --name NAME` and send it as a Bearer token.",
  }),
  STW_AUTH_FORBIDDEN: define<{ role: string; allowed: readonly string[] }>({
    status: 403,
    summary: "The API key's role does not allow the action.",
    message: (p) => `a key with role "${p.role}" cannot do this; roles that can: ${list(p.allowed)}`,
    fix: "Use a key with one of those roles.",
  }),
  STW_NOTICE_VERSION_UNKNOWN: define<{ value: string; allowed: readonly string[] }>({
    status: 404,
    summary: "No notice version of this name was published here.",
    message: (p) => `no notice version "${p.value}" was published; published: ${list(p.allowed)}`,
    fix: "Use one of the published versions (GET /api/notice/versions lists them).",
  }),
  STW_NOTICE_VERSION_TAKEN: define<{ version: string; published: string }>({
    status: 409,
    summary: "The manifest's notice version was published before with different contents.",
    message: (p) =>
      `notice version "${p.version}" was published on ${p.published} with other contents, and a published version never changes`,
    fix: "Give the changed notice a new `notice.version` (and its `effective_date`) in notice.yml, then publish again.",
  }),
  STW_WEB_FORM_EXPIRED: define<Record<string, never>>({
    status: 403,
    summary:
      "A form was sent without the form token of the page that showed it, or from another site (CSRF protection).",
    message: () =>
      "this form is out of date or was not sent from this site (its form token is missing or does not match)",
    fix: "Reload the page and send the form again (in the admin console, sign in first if your session has ended).",
  }),
  STW_KEY_NOT_FOUND: define<{ value: string; allowed: readonly string[] }>({
    status: 404,
    summary: "No active API key has this name or id.",
    message: (p) => `no active API key "${p.value}"; active keys: ${list(p.allowed)}`,
    fix: "Name a key from `steward keys list`.",
  }),
  STW_API_RATE_LIMITED: define<{ seconds: number }>({
    status: 429,
    summary: "Too many requests from one client in a short time.",
    message: (p) => `too many requests from this client; try again in ${p.seconds} s`,
    fix: "Wait and try again; the limits protect people's requests from being guessed or flooded.",
  }),
  STW_HOLD_NOT_FOUND: define<Record<string, never>>({
    status: 404,
    summary: "The subject has no legal hold to lift.",
    message: () => "this subject has no active legal hold",
    fix: "List the holds of the request's subject with `GET /api/admin/requests/{id}`.",
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
  // ── Data Rights Protocol (drp/) ─────────────────────────────────────────────────────────────────
  STW_DRP_NOT_CONFIGURED: define<{ detail: string }>({
    status: 503,
    summary: "The Data Rights Protocol endpoints are used but no agent discovery document is configured.",
    message: (p) => `the Data Rights Protocol is not set up: ${p.detail}`,
    fix: "Set STEWARD_DRP_AGENTS to the agent discovery document of your DRP network (a file path or an https URL) and restart; docs/drp.md explains it.",
  }),
  STW_DRP_AGENTS_INVALID: define<{ source: string; detail: string }>({
    status: 503,
    summary: "The agent discovery document cannot be read or is not a list of agents with an id and a verify key.",
    message: (p) => `the agent discovery document ${p.source} cannot be used: ${p.detail}`,
    fix: 'Point STEWARD_DRP_AGENTS at a JSON list of agents (DRP 1.0 §3.05.1), each with "id" and a base64 Ed25519 "verify_key" of 32 bytes.',
  }),
  STW_DRP_BAD_SETTING: define<{ name: string; value: string; detail: string }>({
    status: 500,
    summary: "A Data Rights Protocol setting in the environment has a value Steward cannot use.",
    message: (p) => `${p.name} is "${p.value}"; it must be ${p.detail}`,
    fix: "Correct the variable (docs/drp.md lists the settings and their defaults) and start Steward again.",
  }),
  STW_DRP_UNKNOWN_AGENT: define<{ agent: string; allowed: readonly string[] }>({
    status: 403,
    summary: "A DRP message names an agent that is not in the agent discovery document.",
    message: (p) => `agent "${p.agent}" is not in the agent discovery document; agents known: ${list(p.allowed)}`,
    fix: "The agent must be listed in the DRP network's agent discovery document (STEWARD_DRP_AGENTS) with its verify key.",
  }),
  STW_DRP_BAD_MESSAGE: define<{ detail: string }>({
    status: 400,
    summary: "A DRP body is not a base64 signed message (64-byte signature followed by a JSON object).",
    message: (p) => `the body is not a DRP signed message: ${p.detail}`,
    fix: "Send base64(signature ‖ JSON) as text/plain, the signature made with libsodium's crypto_sign (combined mode) over the JSON bytes (DRP 1.0 §3.07.1).",
  }),
  STW_DRP_BAD_SIGNATURE: define<{ agent: string }>({
    status: 403,
    summary: "A DRP message's signature does not verify with the agent's key from the discovery document.",
    message: (p) => `the signature does not verify with the verify key of agent "${p.agent}"`,
    fix: "Sign the exact bytes you send with the agent's private key whose public half is in the discovery document; do not change the JSON after signing.",
  }),
  STW_DRP_BAD_CLAIM: define<{ claim: string; detail: string; allowed?: readonly string[] | undefined }>({
    status: 400,
    summary: "A claim of a DRP message is missing or has a value the protocol does not allow.",
    message: (p) =>
      `claim "${p.claim}" ${p.detail}` + (p.allowed && p.allowed.length > 0 ? `; allowed: ${list(p.allowed)}` : ""),
    fix: "Send the claims of DRP 1.0 §2.01 (agent-id, business-id, issued-at, expires-at, drp.version, exercise) with the values it lists.",
  }),
  STW_DRP_WRONG_BUSINESS: define<{ business: string; expected: string }>({
    status: 403,
    summary: "A DRP message is meant for another covered business.",
    message: (p) => `the message is for business "${p.business}", this is "${p.expected}"`,
    fix: "Send it with the business-id of this company's entry in the business discovery document (`steward drp business-document`).",
  }),
  STW_DRP_WRONG_AGENT: define<{ agent: string; expected: string; where: string }>({
    status: 403,
    summary: "The agent-id of a DRP message differs from the agent its bearer token or URL names.",
    message: (p) => `the message names agent "${p.agent}" but the ${p.where} is agent "${p.expected}"'s`,
    fix: "Each agent signs its own messages and presents its own token; a message of one agent cannot be reused by another.",
  }),
  STW_DRP_NOT_YET_VALID: define<{ issued: string; now: string }>({
    status: 400,
    summary: "A DRP message was issued after the server's current time (the agent's clock runs fast).",
    message: (p) => `the message was issued at ${p.issued}, after the server's time ${p.now}`,
    fix: "Set issued-at to the time of signing from a clock kept in step (NTP), and send the message again.",
  }),
  STW_DRP_EXPIRED: define<{ expires: string; now: string }>({
    status: 400,
    summary: "A DRP message arrived after its expires-at.",
    message: (p) => `the message expired at ${p.expires}; the server's time is ${p.now}`,
    fix: "Sign a new message with a fresh issued-at and an expires-at a few minutes later (DRP 1.0 recommends at most 10).",
  }),
  STW_DRP_VALIDITY_TOO_LONG: define<{ issued: string; expires: string; seconds: number; max: number }>({
    status: 400,
    summary: "A DRP message is valid for longer than this server takes (from issued-at to expires-at).",
    message: (p) =>
      `the message is valid from ${p.issued} to ${p.expires}, ${p.seconds} s; this server takes at most ${p.max} s (STEWARD_DRP_MAX_VALIDITY_SECONDS)`,
    fix: "Sign a new message whose expires-at is a few minutes after its issued-at (DRP 1.0 recommends at most 10 minutes).",
  }),
  STW_DRP_REPLAYED: define<{ agent: string; issued: string }>({
    status: 409,
    summary: "The same signed DRP exercise (same agent, issued-at and body) was already received.",
    message: (p) => `this message of agent "${p.agent}" issued at ${p.issued} was already received`,
    fix: "A signed request is used once; to ask again, sign a new message. The first one's status is at GET /v1/data-rights-request/{id}.",
  }),
  STW_DRP_TOKEN_INVALID: define<Record<string, never>>({
    status: 403,
    summary: "A DRP request carries no bearer token or one this server did not issue.",
    message: () => "the bearer token is missing or not one this server issued to an agent",
    fix: "Present `Authorization: Bearer <token>` with the token from POST /v1/agent/{agent-id} (pair-wise key setup).",
  }),
  STW_DRP_NOT_YOURS: define<{ id: string }>({
    status: 403,
    summary: "An agent asked about a data rights request another agent made (or none).",
    message: (p) => `request "${p.id}" is not one this agent made`,
    fix: "Use the request_id the exercise answered with, and the token of the agent that sent it.",
  }),
  STW_DRP_UNSUPPORTED_ACTION: define<{ action: string; allowed: readonly string[] }>({
    status: 400,
    summary: "A DRP exercise asks for a right this business does not take through the protocol.",
    message: (p) => `unsupported rights action "${p.action}"; supported: ${list(p.allowed)}`,
    fix: "Send one of the supported actions (the business discovery document lists them).",
  }),
  STW_DRP_OPT_IN_NOT_OFFERED: define<{ why: string; allowed: readonly string[] }>({
    status: 400,
    summary: "A DRP sale:opt-in where the manifest offers no choice about the sale and sharing of personal data.",
    message: (p) => `"sale:opt-in" is not taken here: ${p.why}; supported: ${list(p.allowed)}`,
    fix: "Send one of the supported actions (the business discovery document lists them); an opt-in is taken where a purpose sells or shares data and the CCPA's rights offer opt_out_sale_sharing.",
  }),
  STW_DRP_CANNOT_VERIFY: define<{ level: string; type: string }>({
    status: 400,
    summary: "A DRP request needs a proof of identity an agent cannot give and the person cannot give through a link.",
    message: (p) =>
      `a ${p.type} request here needs verification "${p.level}", which the person can give only by signing in to the service`,
    fix: "The person makes this request signed in, in the privacy center; the agent can send the request types whose verification is email or none.",
  }),
  STW_DRP_CALLBACK_FAILED: define<{ host: string; detail: string }>({
    status: 502,
    summary: "A status callback to an agent was not answered with a 2xx; it is tried again with backoff.",
    message: (p) => `the status callback to ${p.host} failed: ${p.detail}`,
    fix: "Nothing to do on Steward's side: the delivery is retried with backoff and every attempt is in the audit trail; tell the agent's technical contact if it keeps failing.",
  }),
  // ── deadlines ───────────────────────────────────────────────────────────────────────────────────
  STW_DEADLINE_UNKNOWN_JURISDICTION: define<{ jurisdiction: string; allowed: readonly string[] }>({
    status: 400,
    summary: "A jurisdiction has no deadline rule pack and the manifest gives no rights to take its deadline from.",
    message: (p) =>
      `no deadline rule for jurisdiction "${p.jurisdiction}": no rule pack covers it and no \`rights\` entry was given; rule packs: ${list(p.allowed)}`,
    fix: "Add a `rights` entry for the jurisdiction with its `deadline` (and `extension`), or use a rule pack's key.",
  }),
  STW_DEADLINE_BAD_INPUT: define<{ field: string; value: string; detail: string }>({
    status: 400,
    summary: "A date, time zone or holiday given to the deadline calculation is not valid.",
    message: (p) => `invalid ${p.field} ${p.value}: ${p.detail}`,
    fix: "Pass valid dates, an IANA time zone such as Europe/Amsterdam and holidays written YYYY-MM-DD; a pause must end after it starts.",
  }),
  STW_DEADLINE_NO_EXTENSION: define<{ jurisdiction: string; law: string }>({
    status: 409,
    summary: "A request was extended under a law that allows no extension.",
    message: (p) =>
      `a request under ${p.law} (jurisdiction "${p.jurisdiction}") cannot be extended: the law gives no more time`,
    fix: "Answer by the first due date; only a rule with an `extension` can be extended.",
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
  "account",
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

/**
 * The error an API answer carries (`{code, message}`), as the registry's error again: the CLI going through a server
 * prints exactly what it would print had it run the service itself.
 */
export function stewardErrorFromBody(status: number, body: { code?: unknown; message?: unknown }): StewardError {
  const code = typeof body.code === "string" && body.code in ERRORS ? (body.code as ErrorCode) : undefined;
  const message = typeof body.message === "string" ? body.message : `HTTP ${status}`;
  if (!code) return stewardError("STW_INTERNAL", { detail: message });
  const fix = ERRORS[code].fix;
  const detail = message.endsWith(`. ${fix}`) ? message.slice(0, -(fix.length + 2)) : message;
  return new StewardError(code, status, detail, fix);
}

export function isStewardError(value: unknown): value is StewardError {
  return value instanceof StewardError;
}
