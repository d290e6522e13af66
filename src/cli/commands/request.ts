/**
 * `steward request access|erasure|rectification [DIR] --identity TYPE=VALUE … [--identities FILE] [--set F=V …]
 * [--connection DATASET=URL …] [--out PATH] [--json]` — runs a request straight against the data stores, without a
 * server, and prints the counts per collection. With `--identities` (one person per line) it is a batch: an erasure
 * of every person in one set-based pass; an access request writes one package per person.
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Command } from "commander";
import { redactUrl } from "../../connectors/connection-url.ts";
import { EventLog } from "../../engine/events.ts";
import {
  knownIdentityTypes,
  type Person,
  parseIdentityLines,
  parseIdentityPairs,
  unite,
} from "../../engine/identities.ts";
import { checkRectification, rectifiableFields } from "../../engine/rectification-sets.ts";
import {
  type Rectification,
  type RequestOutcome,
  runAccess,
  runErasure,
  runRectification,
} from "../../engine/run-request.ts";
import { Stores } from "../../engine/stores.ts";
import { stewardError } from "../../errors.ts";
import { loadManifestDir } from "../../fs/load-manifest-dir.ts";
import type { Manifest } from "../../manifest/types.ts";
import { EXIT, oneOf, runAction } from "../run-action.ts";

const collect = (value: string, previous: string[]) => [...previous, value];
const ACTIONS = ["access", "erasure", "rectification"] as const;

interface RequestOptions {
  identity: string[];
  identities?: string;
  set: string[];
  connection: string[];
  category: string[];
  out?: string;
  json?: boolean;
  batchSize?: string;
}

export function register(program: Command): void {
  program
    .command("request")
    .description("Run an access, erasure or rectification request directly against the data stores.")
    .argument("<action>", ACTIONS.join(" | "))
    .argument("[dir]", "manifest folder", ".")
    .option("--identity <TYPE=VALUE>", "an identity of the person (repeatable)", collect, [])
    .option("--identities <file>", "a batch: one person per line (TYPE=VALUE, several separated by spaces)")
    .option("--set <FIELD=VALUE>", "rectification: DATASET.COLLECTION.FIELD=VALUE or CATEGORY=VALUE", collect, [])
    .option("--connection <DATASET=URL>", "connection URL of a dataset, instead of its ${ENV_VAR}", collect, [])
    .option("--category <key>", "access: only these data categories (repeatable)", collect, [])
    .option("--out <path>", "access: the package .zip (a folder for a batch)")
    .option("--batch-size <n>", "keys per statement (default 1000)")
    .option("--json", "print the outcome as JSON")
    .action(
      runAction(async (actionName: string, dir: string, o: RequestOptions) => {
        const action = oneOf("<action>", actionName, ACTIONS);
        const manifest = await loadManifestDir(dir);
        const known = knownIdentityTypes(manifest);
        const people = await peopleOf(o, known);
        const stores = new Stores(manifest, { connections: connectionsOf(o.connection, manifest) });
        const progress = process.stderr.isTTY && !o.json ? progressPrinter() : undefined;
        const events = new EventLog(progress);
        const options = {
          events,
          categories: o.category,
          ...(o.batchSize !== undefined ? { batchSize: positiveInteger("--batch-size", o.batchSize) } : {}),
        };
        try {
          let outcome: RequestOutcome;
          if (action === "erasure") outcome = await runErasure(manifest, unite(people), stores, options);
          else if (action === "rectification")
            outcome = await runRectification(manifest, unite(people), stores, setsOf(o.set, manifest), options);
          else outcome = await accessAll(manifest, people, stores, options, o.out);
          process.stdout.write(o.json ? `${JSON.stringify(summary(outcome), null, 2)}\n` : report(outcome));
          const partial =
            outcome.unreached.some((u) => !u.why.startsWith("no identity")) ||
            outcome.failed !== undefined ||
            (outcome.proof !== undefined && !outcome.proof.complete);
          return partial ? EXIT.findings : EXIT.ok;
        } finally {
          await stores.closeAll();
        }
      }),
    );
}

function positiveInteger(option: string, value: string): number {
  if (!/^[1-9]\d{0,6}$/.test(value))
    throw stewardError("STW_CLI_BAD_OPTION", { option, value, allowed: ["a whole number from 1 to 9999999"] });
  return Number(value);
}

async function peopleOf(o: RequestOptions, known: readonly string[]): Promise<Person[]> {
  const people: Person[] = [];
  if (o.identity.length > 0) people.push(parseIdentityPairs(o.identity, known));
  if (o.identities) {
    const file = o.identities;
    const text = await readFile(file, "utf8").catch((e: NodeJS.ErrnoException) => {
      throw stewardError("STW_CLI_USAGE", {
        detail: `cannot read --identities file "${file}": ${e.code ?? e.message}`,
      });
    });
    people.push(...parseIdentityLines(text, file, known));
  }
  if (people.length === 0)
    throw stewardError("STW_CLI_USAGE", {
      detail: `a request needs --identity TYPE=VALUE or --identities FILE; identity types: ${known.join(", ")}`,
    });
  return people;
}

export function connectionsOf(pairs: readonly string[], manifest: Manifest): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf("=");
    if (at <= 0)
      throw stewardError("STW_CLI_BAD_OPTION", {
        option: "--connection",
        value: redactUrl(pair),
        allowed: manifest.datasets.map((d) => `${d.fides_key}=URL`),
      });
    out[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return out;
}

function setsOf(pairs: readonly string[], manifest: Manifest): Rectification[] {
  if (pairs.length === 0)
    throw stewardError("STW_CLI_USAGE", { detail: "rectification needs at least one --set FIELD=VALUE" });
  return checkRectification(
    manifest,
    pairs.map((pair) => {
      const at = pair.indexOf("=");
      if (at <= 0) throw stewardError("STW_ENGINE_BAD_SET", { value: pair, allowed: rectifiableFields(manifest) });
      return { target: pair.slice(0, at), value: pair.slice(at + 1) };
    }),
  );
}

async function accessAll(
  manifest: Manifest,
  people: readonly Person[],
  stores: Stores,
  options: Parameters<typeof runAccess>[3],
  out: string | undefined,
): Promise<RequestOutcome> {
  const outcomes: RequestOutcome[] = [];
  if (out && people.length > 1) await mkdir(out, { recursive: true });
  for (const person of people) {
    const outcome = await runAccess(manifest, person, stores, options);
    outcomes.push(outcome);
    if (!out || !outcome.access) continue;
    const path = people.length > 1 ? join(out, `${outcome.request}.zip`) : out;
    const { buildAccessPackage } = await import("../../access-package/build-access-package.ts");
    const zip = await buildAccessPackage(manifest, outcome.access);
    await writeFile(path, zip).catch((e: NodeJS.ErrnoException) => {
      throw stewardError("STW_FILE_NOT_WRITABLE", { path, detail: e.code ?? e.message });
    });
    process.stderr.write(`wrote ${path}\n`);
  }
  if (outcomes.length === 1) return outcomes[0]!;
  // A batch of access requests: the counts add up; each person's data is in their own package.
  const first = outcomes[0]!;
  const collections: RequestOutcome["collections"] = {};
  for (const o of outcomes)
    for (const [c, n] of Object.entries(o.collections)) {
      const sum = collections[c] ?? { read: 0, deleted: 0, masked: 0, kept: 0, updated: 0 };
      sum.read += n.read;
      collections[c] = sum;
    }
  return { ...first, collections, unreached: first.unreached };
}

/** The `--json` shape: counts per collection, unreached, proof (and notes, failure) — never a row value. */
function summary(o: RequestOutcome): unknown {
  return {
    request: o.request,
    action: o.action,
    collections: Object.fromEntries(
      Object.entries(o.collections).map(([c, n]) => [
        c,
        o.action === "rectification"
          ? { read: n.read, updated: n.updated, kept: n.kept }
          : {
              read: n.read,
              deleted: n.deleted,
              masked: n.masked,
              kept: n.kept,
              ...(n.cascaded ? { cascaded: n.cascaded } : {}),
            },
      ]),
    ),
    unreached: o.unreached,
    ...(o.findings ? { findings: o.findings } : {}),
    ...(o.proof ? { proof: o.proof } : {}),
    ...(Object.keys(o.notes).length > 0 ? { notes: o.notes } : {}),
    ...(o.failed ? { failed: o.failed } : {}),
  };
}

function report(o: RequestOutcome): string {
  const rows = Object.entries(o.collections);
  const width = Math.max(10, ...rows.map(([c]) => c.length));
  const head =
    o.action === "rectification"
      ? ["read", "updated", "kept"]
      : o.action === "erasure"
        ? ["read", "deleted", "masked", "kept"]
        : ["read"];
  const lines = [
    `${o.action} request ${o.request}`,
    `${"collection".padEnd(width)}  ${head.map((h) => h.padStart(8)).join("")}`,
    ...rows.map(
      ([c, n]) => `${c.padEnd(width)}  ${head.map((h) => String(n[h as keyof typeof n]).padStart(8)).join("")}`,
    ),
  ];
  for (const [c, notes] of Object.entries(o.notes)) for (const n of notes) lines.push(`note ${c}: ${n}`);
  for (const f of o.findings ?? []) lines.push(`${f.severity} ${f.code}: ${f.message}`);
  // One line per reason: a store that does not answer is one problem, not one per collection.
  const byWhy = new Map<string, string[]>();
  for (const u of o.unreached) byWhy.set(u.why, [...(byWhy.get(u.why) ?? []), u.collection]);
  for (const [why, list] of byWhy) lines.push(`unreached ${list.join(", ")}: ${why}`);
  if (o.failed) {
    lines.push(`FAILED ${o.failed.dataset}: ${o.failed.why}`);
    if (o.failed.skipped.length > 0)
      lines.push(`not written (rolled back with it, or not started): ${o.failed.skipped.join(", ")}`);
  }
  if (o.proof) {
    const residual = Object.values(o.proof.collections).reduce((n, c) => n + c.residual, 0);
    lines.push(
      o.proof.complete
        ? "proof: searched again with every key used — nothing left but what is kept on purpose"
        : `proof: INCOMPLETE — ${residual} row(s) still found${o.proof.unreached.length > 0 ? `; not searched: ${o.proof.unreached.join(", ")}` : ""}`,
    );
  }
  if (o.action === "access" && o.access && !o.access.collections.some((c) => c.rows.length > 0))
    lines.push("no personal data found for these identities");
  return `${lines.join("\n")}\n`;
}

function progressPrinter(): (event: import("../../engine/events.ts").EngineEvent) => void {
  return (event) => {
    if (event.kind === "collection_read") process.stderr.write(`  read ${event.collection}: ${event.rows}\n`);
    if (event.kind === "store_committed")
      process.stderr.write(
        `  committed ${event.dataset}${event.transactions ? ` (${event.transactions} transactions at once)` : ""}\n`,
      );
    if (event.kind === "store_failed") process.stderr.write(`  FAILED ${event.dataset}\n`);
  };
}
