/**
 * The request engine's safety properties on random schemas, manifests and data (random-schema.ts), against a real
 * PostgreSQL and, for a third of the runs, a real MariaDB. For a random person A:
 *
 * 1. access returns A's rows and no one else's;
 * 2. erasure leaves every other row byte-identical, deletes or masks A's rows as the manifest says (a personal value
 *    of A survives only where the outcome's notes say the field was kept, and why), and proves itself complete;
 * 3. a second erasure changes nothing and reports 0 deleted / 0 masked.
 *
 * A subject's row linked to an exempt row (legal hold) may be kept whole; the exempt rows themselves must stay.
 *
 * Half the cases split the tables over two datasets (another server, another database, or the same database), so the
 * properties also hold when several stores are written at once.
 *
 * Runs: STEWARD_PROPERTY_RUNS (default 25); STEWARD_PROPERTY_STORES (e.g. `mariadb`) picks the stores. A failure prints
 * the shrunk case (DDL, manifest, rows with their owners) and its seed and path; replay it with STEWARD_PROPERTY_SEED
 * and STEWARD_PROPERTY_PATH. SKIPS lists the cases the engine is not held to (its limits, and bugs while they are open).
 */
import fc from "fast-check";
import mysql from "mysql2/promise";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RequestOutcome, runAccess, runErasure } from "../../src/engine/run-request.ts";
import { Stores } from "../../src/engine/stores.ts";
import type { Manifest } from "../../src/manifest/types.ts";
import { load } from "../manifest/helpers.ts";
import {
  type Case,
  type Column,
  caseArbitrary,
  DATASET,
  type Dialect,
  datasetOf,
  ddl,
  dialectOf,
  EMAIL,
  emailOf,
  HANDLE,
  ID,
  isPersonal,
  manifestYaml,
  OTHER_DATASET,
  type Place,
  placeOf,
  type Table,
  type Value,
} from "./random-schema.ts";

const RUNS = Number(process.env.STEWARD_PROPERTY_RUNS ?? 25);
const SEED = process.env.STEWARD_PROPERTY_SEED;
const PATH = process.env.STEWARD_PROPERTY_PATH;
/** The stores to draw from, comma-separated; repeat one to weight it (default: PostgreSQL twice as often as MariaDB). */
const STORES = (process.env.STEWARD_PROPERTY_STORES ?? "postgres,postgres,mariadb").split(",").map((s) => {
  if (s !== "postgres" && s !== "mariadb") throw new Error(`STEWARD_PROPERTY_STORES: ${s}? Use postgres or mariadb.`);
  return s as Dialect;
});
const NAME = `stw_prop_${process.pid}_${Date.now().toString(36)}`;
/** The second dataset's own database, when it has one on the first dataset's server. */
const NAME_2 = `${NAME}_2`;

/** Table → row id → column → value as the store prints it (NULL as null): what "byte-identical" compares. */
type Snapshot = Map<string, Map<string, Record<string, string | null>>>;

let pgAdmin: pg.Client;
/** One client per PostgreSQL database: NAME, NAME_2. */
const pgClients = new Map<string, pg.Client>();
let my: mysql.Connection;

beforeAll(async () => {
  pgAdmin = new pg.Client({ connectionString: "postgres://postgres@127.0.0.1:5432/postgres" });
  await pgAdmin.connect();
  for (const name of [NAME, NAME_2]) {
    await pgAdmin.query(`CREATE DATABASE "${name}"`);
    const client = new pg.Client({ connectionString: `postgres://postgres@127.0.0.1:5432/${name}` });
    await client.connect();
    pgClients.set(name, client);
  }
  my = await mysql.createConnection({ uri: "mysql://root@127.0.0.1:3306" });
});

afterAll(async () => {
  for (const client of pgClients.values()) await client.end();
  for (const name of [NAME, NAME_2]) {
    await pgAdmin?.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await my?.query(`DROP DATABASE IF EXISTS \`${name}\``);
  }
  await pgAdmin?.end();
  await my?.end();
});

/** The database of a place: the first dataset's is NAME on its server; the second's own is NAME_2 on a server of the
 * same kind, or NAME on the other kind. */
function databaseOf(c: Case, place: Place): { dialect: Dialect; name: string } {
  const dialect = dialectOf(c, place);
  return { dialect, name: place === "other" && dialect === c.dialect ? NAME_2 : NAME };
}

const urlOf = (db: { dialect: Dialect; name: string }) =>
  db.dialect === "postgres"
    ? `postgres://postgres@127.0.0.1:5432/${db.name}`
    : `mysql://root@127.0.0.1:3306/${db.name}`;

const places = (c: Case): Place[] => (c.split && !c.split.sameDatabase ? ["main", "other"] : ["main"]);

/** Fresh tables for the case, filled with its rows. */
async function fill(c: Case): Promise<void> {
  for (const place of places(c)) {
    const db = databaseOf(c, place);
    if (db.dialect === "postgres") {
      const client = pgClients.get(db.name)!;
      await client.query("DROP SCHEMA public CASCADE");
      await client.query("CREATE SCHEMA public");
      for (const statement of ddl(c, place)) await client.query(statement);
    } else {
      await my.query(`DROP DATABASE IF EXISTS \`${db.name}\``);
      await my.query(`CREATE DATABASE \`${db.name}\``);
      await my.query(`USE \`${db.name}\``);
      for (const statement of ddl(c, place)) await my.query(statement);
    }
  }
  const tables = new Map(c.tables.map((t) => [t.name, t]));
  for (const row of c.rows) {
    const db = databaseOf(c, placeOf(c, tables.get(row.table)!));
    const names = Object.keys(row.values);
    if (db.dialect === "postgres") {
      const sql = `INSERT INTO "${row.table}" (${names.map((n) => `"${n}"`).join(", ")}) VALUES (${names.map((_, i) => `$${i + 1}`).join(", ")})`;
      await pgClients.get(db.name)!.query(sql, Object.values(row.values));
    } else {
      const sql = `INSERT INTO \`${db.name}\`.\`${row.table}\` (${names.map((n) => `\`${n}\``).join(", ")}) VALUES (${names.map(() => "?").join(", ")})`;
      await my.query(sql, Object.values(row.values));
    }
  }
}

async function snapshot(c: Case): Promise<Snapshot> {
  const out: Snapshot = new Map();
  for (const t of c.tables) {
    const db = databaseOf(c, placeOf(c, t));
    let rows: Record<string, string | null>[];
    if (db.dialect === "postgres") {
      const columns = t.columns.map((col) => `"${col.name}"::text AS "${col.name}"`).join(", ");
      rows = (await pgClients.get(db.name)!.query(`SELECT ${columns} FROM "${t.name}"`)).rows;
    } else {
      const columns = t.columns.map((col) => `CAST(\`${col.name}\` AS CHAR) AS \`${col.name}\``).join(", ");
      rows = (await my.query(`SELECT ${columns} FROM \`${db.name}\`.\`${t.name}\``))[0] as Record<
        string,
        string | null
      >[];
    }
    out.set(t.name, new Map(rows.map((r) => [String(r.id), r])));
  }
  return out;
}

async function request(
  c: Case,
  manifest: Manifest,
  run: typeof runAccess | typeof runErasure,
): Promise<RequestOutcome> {
  const connections: Record<string, string> = { [DATASET]: urlOf(databaseOf(c, "main")) };
  // The second dataset in the first one's database: the same URL, so the two share its locks and foreign keys.
  if (c.split) connections[OTHER_DATASET] = urlOf(databaseOf(c, c.split.sameDatabase ? "main" : "other"));
  const stores = new Stores(manifest, { connections });
  try {
    return await run(manifest, new Map([["email", [emailOf(c.subject)]]]), stores);
  } finally {
    await stores.closeAll();
  }
}

const ownerName = (owner: number | null) => (owner === null ? "nobody" : `person${owner}`);
const show = (v: string | null | undefined) => (v === undefined ? "(no row)" : JSON.stringify(v));

/** The columns of a table whose values erasure must mask (when it does not delete the row). */
const erasable = (t: Table) =>
  t.columns.filter((col) => isPersonal(col) && !col.primaryKey && col.erasure?.action !== "keep");
/** The subject's rows with, for each, its table's erasable columns. */
const subjectRows = (c: Case) =>
  c.rows
    .filter((r) => r.owner === c.subject)
    .map((r) => ({ row: r, columns: erasable(c.tables.find((t) => t.name === r.table)!) }));

/** Access returns exactly the subject's rows (by id), every collection reached. */
function checkAccess(c: Case, outcome: RequestOutcome): string[] {
  const problems: string[] = [];
  const returned = new Map((outcome.access?.collections ?? []).map((col) => [col.name, col.rows]));
  for (const t of c.tables) {
    const rows = c.rows.filter((r) => r.table === t.name);
    const ids = (returned.get(t.name) ?? []).map((r) => String(r.id));
    for (const id of ids) {
      const row = rows.find((r) => String(r.id) === id);
      if (row?.owner !== c.subject)
        problems.push(`access returned ${t.name}#${id} of ${ownerName(row?.owner ?? null)}`);
    }
    if (new Set(ids).size !== ids.length) problems.push(`access returned a row of ${t.name} twice: ${ids.join(", ")}`);
    for (const r of rows)
      if (r.owner === c.subject && !ids.includes(String(r.id))) problems.push(`access missed ${t.name}#${r.id}`);
  }
  if (outcome.unreached.length > 0)
    problems.push(`access left collections unreached: ${JSON.stringify(outcome.unreached)}`);
  return problems;
}

/** A value the type has no "more erased" form of: a mask may leave it as it is. */
function isNeutral(col: Column, value: string | null): boolean {
  if (value === null) return true;
  if (col.type === "integer") return value === "0";
  if (col.type === "boolean") return value === "false" || value === "0";
  if (col.type === "date") return value === "1970-01-01";
  return false;
}

/**
 * No trace of the old value: NULL, a neutral value, or a different value that does not contain it (a hex mark
 * — `~r…`, `~h…`, `~k…` — may contain a short word made of hex letters by chance: "ada").
 */
function isErased(col: Column, before: string | null, after: string | null): boolean {
  if (after === null || isNeutral(col, before)) return after === null || isNeutral(col, after);
  if (after === before) return false;
  if (/^~[rhk]?[0-9a-f]*$/.test(after)) return true;
  return !(before !== null && before.length >= 3 && after.includes(before));
}

const keyOf = (table: string, id: unknown) => `${table}#${id}`;

/** The subject's rows an exemption covers: those its `where` matches. */
function exempt(c: Case): Set<string> {
  const tables = new Map(c.tables.map((t) => [t.name, t]));
  return new Set(
    c.rows
      .filter((r) => r.owner === c.subject)
      .filter((r) => {
        const e = tables.get(r.table)?.exemption;
        return e === "all" || (e === "hold" && r.values.hold === true);
      })
      .map((r) => keyOf(r.table, r.id)),
  );
}

/**
 * The subject's rows erasure may keep whole: the exempt ones and every row of the subject linked to them by a
 * reference, either way, transitively (the engine keeps an exempt row's children and the parents it refers to).
 */
function mayKeep(c: Case): Set<string> {
  const kept = exempt(c);
  const mine = c.rows.filter((r) => r.owner === c.subject);
  const columns = new Map(c.tables.map((t) => [t.name, t.columns.filter((col) => col.reference)]));
  for (let grew = true; grew; ) {
    grew = false;
    for (const r of mine)
      for (const col of columns.get(r.table) ?? []) {
        const column = col.reference!.column;
        const value = r.values[col.name];
        const named = column
          ? mine.find((x) => x.table === col.reference!.table && x.values[column] === value)
          : undefined;
        const target = keyOf(col.reference!.table, named ? named.id : value);
        if (!mine.some((x) => keyOf(x.table, x.id) === target)) continue;
        const here = keyOf(r.table, r.id);
        if (kept.has(here) !== kept.has(target)) {
          kept.add(here);
          kept.add(target);
          grew = true;
        }
      }
  }
  return kept;
}

/** The first erasure: others untouched, the subject's rows deleted or masked as the manifest says, counts and proof. */
function checkErasure(c: Case, before: Snapshot, after: Snapshot, outcome: RequestOutcome): string[] {
  const problems = common("", outcome);
  const exempted = exempt(c);
  const keepable = mayKeep(c);
  for (const t of c.tables) {
    const address = `${datasetOf(t)}.${t.name}`;
    const notes = outcome.notes[address] ?? [];
    let deleted = 0;
    let changed = 0;
    for (const row of c.rows.filter((r) => r.table === t.name)) {
      const id = String(row.id);
      const was = before.get(t.name)!.get(id)!;
      const now = after.get(t.name)?.get(id);
      const diff = t.columns.filter((col) => was[col.name] !== now?.[col.name]);
      if (row.owner !== c.subject) {
        if (!now) problems.push(`${t.name}#${id} of ${ownerName(row.owner)} was deleted`);
        for (const col of now ? diff : [])
          problems.push(
            `${t.name}#${id}.${col.name} of ${ownerName(row.owner)} changed: ${show(was[col.name])} → ${show(now?.[col.name])}`,
          );
        continue;
      }
      if (!now) {
        deleted++;
        if (exempted.has(keyOf(t.name, id))) problems.push(`${t.name}#${id} is exempt but was deleted`);
        continue;
      }
      if (diff.length > 0) changed++;
      const whole = keepable.has(keyOf(t.name, id));
      if (t.erasure?.action === "delete" && notes.length === 0 && !whole)
        problems.push(`${t.name}#${id} was to be deleted, is still there, and no note says why`);
      for (const col of t.columns) {
        const b = was[col.name] ?? null;
        const a = now[col.name] ?? null;
        if (!erasable(t).includes(col)) {
          if (a !== b)
            problems.push(`${t.name}#${id}.${col.name} is not to be erased but changed: ${show(b)} → ${show(a)}`);
        } else if (
          !isErased(col, b, a) &&
          !notes.some((n) => n.startsWith(`${col.name} kept:`)) &&
          !(whole && col.erasure?.action !== "mask")
        )
          problems.push(`${t.name}#${id}.${col.name} still holds the subject's ${show(b)} (now ${show(a)}), no note`);
      }
    }
    for (const id of after.get(t.name)?.keys() ?? [])
      if (!before.get(t.name)!.has(id)) problems.push(`${t.name}#${id} appeared`);
    const counts = outcome.collections[address];
    if (counts && counts.deleted !== deleted)
      problems.push(`${address}: ${deleted} rows deleted, the outcome says ${counts.deleted}`);
    // Rows kept under an exemption may still lose fields: they count as kept, not masked.
    if (counts && (changed < counts.masked || changed > counts.masked + counts.kept))
      problems.push(
        `${address}: ${changed} rows changed, the outcome says ${counts.masked} masked, ${counts.kept} kept`,
      );
  }
  return problems;
}

/** The second erasure: not a byte changes, and the outcome says so. */
function checkSecond(c: Case, before: Snapshot, after: Snapshot, outcome: RequestOutcome): string[] {
  const problems = common("again: ", outcome);
  for (const t of c.tables) {
    for (const [id, was] of before.get(t.name)!) {
      const now = after.get(t.name)?.get(id);
      for (const col of t.columns)
        if (was[col.name] !== now?.[col.name])
          problems.push(
            `again: ${t.name}#${id}.${col.name} changed: ${show(was[col.name])} → ${show(now?.[col.name])}`,
          );
    }
    const counts = outcome.collections[`${datasetOf(t)}.${t.name}`];
    if (counts && (counts.deleted !== 0 || counts.masked !== 0))
      problems.push(`again: ${t.name} reported ${counts.deleted} deleted, ${counts.masked} masked`);
  }
  return problems;
}

/** What every erasure must show: no failed write, nothing unreached, a complete proof. */
function common(prefix: string, outcome: RequestOutcome): string[] {
  const problems: string[] = [];
  if (outcome.failed) problems.push(`the write failed: ${JSON.stringify(outcome.failed)}`);
  if (outcome.unreached.length > 0) problems.push(`unreached: ${JSON.stringify(outcome.unreached)}`);
  if (!outcome.proof) problems.push("the outcome has no proof");
  else if (!outcome.proof.complete) {
    for (const [address, p] of Object.entries(outcome.proof.collections))
      if (p.residual > 0) problems.push(`proof: ${address} has ${p.residual} residual of ${p.found} rows found again`);
    if (outcome.proof.unreached.length > 0) problems.push(`proof: unreached ${outcome.proof.unreached.join(", ")}`);
  }
  return problems.map((p) => `${prefix}${p}`);
}

const summary = (label: string, o: RequestOutcome) =>
  `${label}: counts ${JSON.stringify(o.collections)} notes ${JSON.stringify(o.notes)}`;

interface Skip {
  readonly why: string;
  readonly hits: (c: Case) => boolean;
}

/**
 * Cases the property does not hold the engine to. Its limits by design: a personal value that is itself a Steward mark
 * ("~r"/"~h"/"~k" and hex digits, 10 characters or more, or filling its column; "~" in a one-character column) is
 * taken for masked and kept. And,
 * while one is open, an engine bug the property found, so that the runs go on hunting for others — with an `it.fails`
 * case of its shrunk counterexample beside the fixed ones below; when the fix lands, that case fails: make it a plain
 * `it` and delete the skip.
 */
const SKIPS: readonly Skip[] = [
  {
    why: "a value that is a Steward mark is taken for masked",
    hits: (c) =>
      subjectRows(c).some(({ row, columns }) =>
        columns.some((col) => {
          const v = row.values[col.name];
          return typeof v === "string" && /^~([rhk][0-9a-f]*)?$/.test(v) && (v.length >= 10 || v.length === col.length);
        }),
      ),
  },
];

/** Runs access, erasure and erasure again on the case's fresh tables; every way the engine broke a property. */
async function problemsOf(c: Case): Promise<{ problems: string[]; report: string }> {
  await fill(c);
  const manifest = load({ "datasets/prop.yml": manifestYaml(c) });
  const access = await request(c, manifest, runAccess);
  const problems = checkAccess(c, access);
  const before = await snapshot(c);
  const first = await request(c, manifest, runErasure);
  const after = await snapshot(c);
  problems.push(...checkErasure(c, before, after, first));
  const second = await request(c, manifest, runErasure);
  problems.push(...checkSecond(c, after, await snapshot(c), second));
  return { problems, report: [summary("first erasure", first), summary("second erasure", second)].join("\n") };
}

let checked = 0;
/** Cases checked with two datasets, by where the second one lived. */
const splits = { server: 0, database: 0, same: 0 };

async function holds(c: Case): Promise<void> {
  fc.pre(!SKIPS.some((skip) => skip.hits(c)));
  checked++;
  if (c.split) splits[c.split.sameDatabase ? "same" : c.split.dialect === c.dialect ? "database" : "server"]++;
  const { problems, report } = await problemsOf(c);
  if (problems.length > 0) throw new Error([...problems, report].join("\n"));
}

describe("the request engine on random schemas and data", () => {
  it(
    "access returns only the subject's rows; erasure touches only them, as the manifest says; a second one nothing",
    async () => {
      await fc.assert(fc.asyncProperty(caseArbitrary(STORES), holds), {
        numRuns: RUNS,
        ...(SEED ? { seed: Number(SEED) } : {}),
        ...(PATH ? { path: PATH } : {}),
      });
      expect(checked).toBeGreaterThanOrEqual(RUNS);
      // Half the cases have two datasets: at 25 runs, missing them all would take a 1-in-30-million draw.
      if (RUNS >= 25 && !PATH) expect(splits.server + splits.database + splits.same).toBeGreaterThan(0);
    },
    Math.max(60_000, RUNS * 3_000),
  );
});

/** people(id, email) with two people, and t1(id, people_id → people.id, …columns) holding `rows` of person0. */
function regression(t1: Pick<Table, "columns" | "erasure">, rows: readonly Record<string, Value>[]): Case {
  return {
    dialect: "postgres",
    tables: [
      { name: "people", columns: [ID, EMAIL] },
      {
        name: "t1",
        columns: [
          ID,
          ref("people", { reference: { table: "people", direction: "from", foreignKey: true } }),
          ...t1.columns,
        ],
        ...(t1.erasure ? { erasure: t1.erasure } : {}),
      },
    ],
    rows: [
      { table: "people", id: 1, owner: 0, values: { id: 1, email: emailOf(0) } },
      { table: "people", id: 2, owner: 1, values: { id: 2, email: emailOf(1) } },
      ...rows.map((values, i) => ({
        table: "t1",
        id: i + 1,
        owner: 0,
        values: { id: i + 1, people_id: 1, ...values },
      })),
    ],
    people: 2,
    subject: 0,
  };
}

const column = (name: string, type: Column["type"], more: Partial<Column> = {}): Column => ({
  name,
  type,
  nullable: false,
  unique: false,
  category: "user.name",
  ...more,
});

/** `TABLE_id`, the owner chain to `table` (technical, NOT NULL, no foreign key unless `more` says). */
const ref = (table: string, more: Partial<Column> = {}): Column =>
  column(`${table}_id`, "integer", {
    category: "system.operations",
    reference: { table, direction: "from", foreignKey: false },
    ...more,
  });
/** `link_TABLE`: a nullable link to any row of `table`, not followed by lookups. */
const link = (table: string) =>
  ref(table, { name: `link_${table}`, nullable: true, reference: { table, direction: "to", foreignKey: false } });

const noProblems = async (c: Case) => expect((await problemsOf(c)).problems).toEqual([]);

// Shrunk counterexamples the property found (each showed an engine bug, since fixed), kept as regression cases.
describe("engine bugs the property found, fixed", () => {
  it("two datasets in one database, a foreign key from the first into the second, found through the first", () => {
    // t1 (second dataset) is found through people (first dataset), and t2 (first dataset) through t1, with a real
    // foreign key t2 → t1. Written as two transactions, one dataset had to go first, and either order broke: t1 before
    // t2 violated the key. Datasets reached by the same URL now share one transaction, in the plan's order.
    const c: Case = {
      dialect: "mariadb",
      split: { dialect: "mariadb", sameDatabase: true },
      tables: [
        { name: "people", columns: [ID, EMAIL, column("name", "text")] },
        { name: "t1", columns: [ID, ref("people")], erasure: { action: "delete" }, elsewhere: true },
        {
          name: "t2",
          columns: [ID, ref("t1", { reference: { table: "t1", direction: "from", foreignKey: true } })],
          erasure: { action: "delete" },
        },
      ],
      rows: [
        { table: "people", id: 1, owner: 0, values: { id: 1, email: emailOf(0), name: "ada" } },
        { table: "people", id: 2, owner: 1, values: { id: 2, email: emailOf(1), name: "ada" } },
        { table: "t1", id: 1, owner: 1, values: { id: 1, people_id: 2 } },
        { table: "t2", id: 1, owner: 1, values: { id: 1, t1_id: 1 } },
      ],
      people: 2,
      subject: 1,
    };
    return noProblems(c);
  });

  it("two datasets in one PostgreSQL database, a foreign key from the second into the first, found through the first", () => {
    // t1 (second dataset) names people (first dataset) by a real foreign key and is found through it; t2 (first
    // dataset) is found through people too, with no rows. Seed -1688201497 of the property.
    const c: Case = {
      dialect: "postgres",
      split: { dialect: "postgres", sameDatabase: true },
      tables: [
        { name: "people", columns: [ID, EMAIL, column("name", "text")], erasure: { action: "delete" } },
        {
          name: "t1",
          columns: [ID, ref("people", { reference: { table: "people", direction: "from", foreignKey: true } })],
          erasure: { action: "delete" },
          elsewhere: true,
        },
        { name: "t2", columns: [ID, ref("people")] },
      ],
      rows: [
        { table: "people", id: 1, owner: 0, values: { id: 1, email: emailOf(0), name: "ada" } },
        { table: "people", id: 2, owner: 1, values: { id: 2, email: emailOf(1), name: "ada" } },
        { table: "t1", id: 1, owner: 0, values: { id: 1, people_id: 1 } },
      ],
      people: 2,
      subject: 0,
    };
    return noProblems(c);
  });

  it("a varchar(1) column that no 2-character random mask fits (NOT NULL, default erasure)", () =>
    noProblems(regression({ columns: [column("c1", "varchar", { length: 1 })] }, [{ c1: "a" }])));

  it("two rows of a UNIQUE varchar(2) column, which cannot hold distinct masks (NOT NULL, default erasure)", () =>
    noProblems(
      regression({ columns: [column("c1", "varchar", { length: 2, unique: true })] }, [{ c1: "aa" }, { c1: "ab" }]),
    ));

  it("a row masked with `fixed`, found again by the proof", () =>
    noProblems(
      regression(
        { columns: [column("c1", "text")], erasure: { action: "mask", strategy: "fixed", value: "REDACTED" } },
        [{ c1: "ada" }],
      ),
    ));

  it("outside UTC, a NOT NULL date masked to 1970-01-01, found again by the proof", async () => {
    const zone = process.env.TZ;
    process.env.TZ = "America/New_York";
    try {
      await noProblems(regression({ columns: [column("c1", "date")] }, [{ c1: "1975-06-01" }]));
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
  });

  it("a personal value that starts like a random mark ('~robert')", () =>
    noProblems(regression({ columns: [column("c1", "text", { nullable: true })] }, [{ c1: "~robert" }])));

  it("a row held for an exempt row, which a `to` link of a row masked instead of deleted points at", () => {
    // person1's account is held by an exempt t2 row. Their t1 row must go but person0's t3 row links to it, so it is
    // masked: people_id is nulled, link_people (not personal) still points at the account. The second erasure no
    // longer found that t1 row as person1's, took its link for someone else's reference, and masked the account
    // before it looked at the exempt t2 row.
    const c: Case = {
      dialect: "postgres",
      tables: [
        { name: "people", columns: [ID, EMAIL], erasure: { action: "delete" } },
        {
          name: "t1",
          columns: [ID, ref("people", { nullable: true, category: "user.unique_id" }), link("people")],
          erasure: { action: "delete" },
        },
        { name: "t2", columns: [ID, ref("people")], exemption: "all" },
        { name: "t3", columns: [ID, ref("people"), link("t1")] },
      ],
      rows: [
        { table: "people", id: 1, owner: 0, values: { id: 1, email: emailOf(0) } },
        { table: "people", id: 2, owner: 1, values: { id: 2, email: emailOf(1) } },
        { table: "t1", id: 1, owner: 1, values: { id: 1, people_id: 2, link_people: 2 } },
        { table: "t2", id: 1, owner: 1, values: { id: 1, people_id: 2 } },
        { table: "t3", id: 1, owner: 0, values: { id: 1, people_id: 1, link_t1: 1 } },
      ],
      people: 2,
      subject: 1,
    };
    return noProblems(c);
  });

  it("an account an exempt row links to, below a row the default mask would cut off from the person", () => {
    // person0's t3 row is exempt and links to their account, so the first erasure keeps the account. t3 hangs from a
    // t2 row whose people_id the first erasure nulled (default mask), so the second erasure no longer found t3 as
    // person0's, took t3's link for someone else's reference and masked the account. Now t2 is kept whole.
    const c: Case = {
      dialect: "postgres",
      tables: [
        { name: "people", columns: [ID, EMAIL], erasure: { action: "delete" } },
        { name: "t2", columns: [ID, ref("people", { nullable: true, category: "user.unique_id" })] },
        { name: "t3", columns: [ID, ref("t2"), link("people")], exemption: "all" },
      ],
      rows: [
        { table: "people", id: 1, owner: 0, values: { id: 1, email: emailOf(0) } },
        { table: "people", id: 2, owner: 1, values: { id: 2, email: emailOf(1) } },
        { table: "t2", id: 1, owner: 0, values: { id: 1, people_id: 1 } },
        { table: "t3", id: 1, owner: 0, values: { id: 1, t2_id: 1, link_people: 1 } },
      ],
      people: 2,
      subject: 0,
    };
    return noProblems(c);
  });
  /** people(id, email, name, handle UNIQUE) and t1 naming person1's account by its handle, not its key. */
  const byHandle = (t1: Partial<Column>, people: Partial<Table> = {}, emailKept = false): Case => ({
    dialect: "postgres",
    tables: [
      {
        name: "people",
        columns: [
          ID,
          emailKept
            ? { ...EMAIL, erasure: { action: "keep", reason: "the address stays on the suppression list" } }
            : EMAIL,
          column("name", "text"),
          HANDLE,
        ],
        ...people,
      },
      {
        name: "t1",
        columns: [
          ID,
          column("people_handle", "varchar", {
            length: 12,
            category: "system.operations",
            reference: { table: "people", column: "handle", direction: "from", foreignKey: false },
            ...t1,
          }),
        ],
      },
    ],
    rows: [
      { table: "people", id: 1, owner: 0, values: { id: 1, email: emailOf(0), name: "ada", handle: "handle0" } },
      { table: "people", id: 2, owner: 1, values: { id: 2, email: emailOf(1), name: "ada", handle: "handle1" } },
      { table: "t1", id: 1, owner: 1, values: { id: 1, people_handle: "handle1" } },
    ],
    people: 2,
    subject: 1,
  });

  it("a NOT NULL foreign key to a UNIQUE handle, personal and masked by default: it keeps its value", () =>
    // The default mask gave people_handle a random string the foreign key refused: the erasure failed every time.
    noProblems(
      byHandle({
        category: "user.account.username",
        reference: { table: "people", column: "handle", direction: "from", foreignKey: true },
      }),
    ));

  it("an account masked instead of deleted keeps the handle other rows find it by", () =>
    // t1's row stays (only its key is personal), so the account to delete was masked — handle included, which cut
    // t1 off: the second erasure no longer found t1 and deleted the account.
    // (The e-mail stays on a suppression list, so the second erasure finds the account again.)
    noProblems(byHandle({}, { erasure: { action: "delete" } }, true)));
});
