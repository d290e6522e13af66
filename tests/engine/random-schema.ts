/**
 * Random cases for the request-engine property test (property.test.ts): a schema (a `people` root and 1–5 tables that
 * reference it or each other, as a tree or a DAG, with or without real foreign keys, NOT NULL or nullable — now and
 * then by the account's UNIQUE `handle` instead of its key — and now and then a link to any row of an earlier table,
 * not followed, or a `to` reference to a row of the same owner, which lookups follow), random columns (text, varchar(1–12), integer, date, boolean; NULL or
 * not; some UNIQUE), the manifest that describes it (categories on every column, the identity, the references, random
 * erasure settings per table and field, sometimes a legal-hold exemption), and data in which every row belongs to one
 * person through its reference chain — or to nobody (a NULL reference). Who owns a row is kept here (`Row.owner`),
 * never in the database.
 *
 * Half the cases are split over two datasets: some tables move to a second store — the other server, another database
 * on the same server, or the same database as a second dataset (then foreign keys may cross them; between databases
 * a reference is the manifest's alone) — so that writing several stores at once, their commit order and the proof of
 * each store are under test too.
 *
 * The generator draws plain numbers and flags and resolves them into a valid case deterministically, so fast-check
 * shrinks the numbers and every shrunk case is still valid (a pick that names no row of the right owner drops the row
 * or leaves a nullable reference NULL). A resolved case prints as DDL + manifest + data (`renderCase`).
 */
import fc from "fast-check";
import { Document, isMap, isScalar, isSeq, visit } from "yaml";

export type Dialect = "postgres" | "mariadb";
export type ColumnType = "text" | "varchar" | "integer" | "date" | "boolean";
export type Strategy = "null" | "fixed" | "random" | "hash" | "hmac";
export type Erasure =
  | { readonly action: "delete" }
  | { readonly action: "mask"; readonly strategy: Strategy; readonly value?: string }
  | { readonly action: "keep"; readonly reason: string };

export interface Column {
  readonly name: string;
  readonly type: ColumnType;
  /** varchar(n) */
  readonly length?: number;
  readonly nullable: boolean;
  readonly unique: boolean;
  /** One data category: `user.*` (personal) or `system.operations`. */
  readonly category: string;
  readonly primaryKey?: true;
  readonly identity?: "email";
  readonly erasure?: Erasure;
  /**
   * A reference to `table.id` (or `table.<column>`, a UNIQUE column that is not the key): `from` = the owner chain
   * (followed by lookups); `to` = a link to any row, not followed (`steward: {follow: false}`) — or, `followed`, a
   * link to a row of the same owner, which a lookup follows to the row it names.
   */
  readonly reference?: {
    readonly table: string;
    readonly column?: string;
    readonly direction: "from" | "to";
    readonly foreignKey: boolean;
    readonly followed?: true;
  };
}

export interface Table {
  readonly name: string;
  readonly columns: readonly Column[];
  readonly erasure?: Erasure;
  /** Rows kept under the `legal_hold` exemption: every row, or those whose `hold` column is true. */
  readonly exemption?: "all" | "hold";
  /** In the second dataset (`OTHER_DATASET`), stored where `Case.split` says. */
  readonly elsewhere?: true;
}

export type Value = string | number | boolean | null;

export interface Row {
  readonly table: string;
  readonly id: number;
  /** The person (index) the row belongs to, or null for a row that belongs to nobody. */
  readonly owner: number | null;
  readonly values: Readonly<Record<string, Value>>;
}

/** Where the second dataset lives: a store of that kind, in its own database or in the first dataset's. */
export interface Split {
  readonly dialect: Dialect;
  /** Only with the first dataset's dialect: both datasets in one database (they share its locks and foreign keys). */
  readonly sameDatabase: boolean;
}

export interface Case {
  readonly dialect: Dialect;
  /** Set when some tables are `elsewhere`. */
  readonly split?: Split;
  /** `people` first; every table references only tables before it. */
  readonly tables: readonly Table[];
  /** In insertion order. */
  readonly rows: readonly Row[];
  readonly people: number;
  /** The person the requests are for. */
  readonly subject: number;
}

export const DATASET = "prop";
export const OTHER_DATASET = "prop_other";
/** Which database holds a table: the first dataset's, or the second dataset's own (`other`). */
export type Place = "main" | "other";
export const datasetOf = (t: Table) => (t.elsewhere ? OTHER_DATASET : DATASET);
export const placeOf = (c: Case, t: Table): Place =>
  t.elsewhere && c.split && !c.split.sameDatabase ? "other" : "main";
export const dialectOf = (c: Case, place: Place): Dialect =>
  place === "other" && c.split ? c.split.dialect : c.dialect;
/** Every table's key: personal, so that access returns it and rows can be told apart. */
export const ID: Column = {
  name: "id",
  type: "integer",
  nullable: false,
  unique: true,
  category: "user.unique_id",
  primaryKey: true,
};
/** The column an exemption's `where` looks at. */
const HOLD: Column = { name: "hold", type: "boolean", nullable: false, unique: false, category: "system.operations" };
const EXEMPTION = "legal_hold";
export const EMAIL: Column = {
  name: "email",
  type: "text",
  nullable: false,
  unique: true,
  category: "user.contact.email",
  identity: "email",
};
/** The account's UNIQUE handle, which the owner chain may name the account by instead of its key. */
export const HANDLE: Column = {
  name: "handle",
  type: "varchar",
  length: 12,
  nullable: false,
  unique: true,
  category: "user.account.username",
};
export const isPersonal = (c: Column) => c.category.startsWith("user");
export const emailOf = (person: number) => `person${person}@example.org`;

/** Data words: accents, quotes, control characters, blanks, a long one; now and then a handle that looks like a mask. */
const WORDS = ["ada", "Grace Hopper", "Zoë Ø", "O'Brien", "", "line\nbreak", "  padded  ", "x".repeat(40)];
const word = fc.oneof(
  { arbitrary: fc.constantFrom(...WORDS), weight: 30 },
  { arbitrary: fc.constant("~robert"), weight: 1 },
);
const FIXED = ["REDACTED", "[removed]", "gone"];
const CODES = "abcdefghijklmnop";
const CATEGORIES: Readonly<Record<ColumnType, readonly string[]>> = {
  text: ["user.name", "user.content.private", "user.contact.address.city"],
  varchar: ["user.job_title", "user.contact.address.postal_code", "user.device.cookie_id"],
  integer: ["user.demographic.age_range", "user.financial"],
  date: ["user.demographic.date_of_birth", "user.behavior"],
  boolean: ["user.privacy_preferences", "user.demographic"],
};

const strategy = fc.constantFrom<Strategy>("null", "fixed", "random", "hash", "hmac");
const mask = fc
  .record({ strategy, value: fc.constantFrom(...FIXED) })
  .map(({ strategy, value }): Erasure => ({ action: "mask", strategy, ...(strategy === "fixed" ? { value } : {}) }));
const tableErasure = fc.option(fc.oneof(fc.constant<Erasure>({ action: "delete" }), mask), { freq: 3 });
const fieldErasure = fc.option(
  fc.oneof({ arbitrary: mask, weight: 3 }, { arbitrary: fc.constant<Erasure>(keep("kept on purpose")), weight: 1 }),
  { freq: 4 },
);
const rare = fc.integer({ min: 0, max: 4 }).map((n) => n === 4);
const cell = fc.record({
  isNull: fc.boolean(),
  word,
  n: fc.integer({ min: -999, max: 999 }),
});
const cells = fc.array(cell, { minLength: 4, maxLength: 4 });
const rawColumn = fc.record({
  type: fc.constantFrom<ColumnType>("text", "varchar", "integer", "date", "boolean"),
  length: fc.integer({ min: 1, max: 12 }),
  nullable: fc.boolean(),
  unique: fc.boolean(),
  technical: rare,
  erasure: fieldErasure,
});
// Small picks: they are taken modulo a handful of candidates, and small ranges shrink in a few steps.
const pick = fc.nat({ max: 7 });
const rawRow = fc.record({
  hold: fc.boolean(),
  owner: pick,
  orphan: rare,
  pick,
  secondPick: pick,
  secondNull: fc.boolean(),
  link: fc.option(pick),
  cells,
});
const rawReference = {
  parent: pick,
  nullable: fc.boolean(),
  foreignKey: fc.boolean(),
  personal: fc.boolean(),
  byHandle: fc.boolean(),
};
const rawTable = fc.record({
  ...rawReference,
  second: fc.option(fc.record(rawReference), { freq: 3 }),
  link: fc.option(fc.record({ target: pick, foreignKey: fc.boolean() }), { freq: 3 }),
  mine: fc.option(fc.record({ target: pick, foreignKey: fc.boolean() }), { freq: 3 }),
  columns: fc.array(rawColumn, { maxLength: 4 }),
  erasure: tableErasure,
  exemption: fc.oneof(
    { arbitrary: fc.constant(undefined), weight: 11 },
    { arbitrary: fc.constantFrom("hold" as const, "all" as const), weight: 1 },
  ),
  offset: fc.integer({ min: 1, max: 20 }),
  rows: fc.array(rawRow, { maxLength: 8 }),
  elsewhere: fc.boolean(),
});
const rawPeople = fc.record({
  count: fc.integer({ min: 2, max: 6 }),
  nameNullable: fc.boolean(),
  phone: fc.boolean(),
  handle: fc.boolean(),
  emailKept: rare,
  columns: fc.array(rawColumn, { maxLength: 2 }),
  erasure: tableErasure,
  offset: fc.integer({ min: 1, max: 20 }),
  rows: fc.array(cells, { minLength: 6, maxLength: 6 }),
});

type RawColumn = typeof rawColumn extends fc.Arbitrary<infer T> ? T : never;
type RawCell = typeof cell extends fc.Arbitrary<infer T> ? T : never;
type RawTable = typeof rawTable extends fc.Arbitrary<infer T> ? T : never;
type RawPeople = typeof rawPeople extends fc.Arbitrary<infer T> ? T : never;

function keep(reason: string): Erasure {
  return { action: "keep", reason };
}

/** Random cases; `dialects` lists the stores to draw from (repeat one to weight it; shrinking prefers the first). */
export function caseArbitrary(dialects: readonly Dialect[]): fc.Arbitrary<Case> {
  return fc
    .record({
      dialect: fc.constantFrom(...dialects),
      split: fc.option(fc.record({ dialect: fc.constantFrom(...dialects), sameDatabase: fc.boolean() }), { freq: 2 }),
      people: rawPeople,
      tables: fc.array(rawTable, { minLength: 1, maxLength: 5 }),
      subject: pick,
    })
    .map(({ dialect, split, people, tables, subject }) => {
      const where = split && { ...split, sameDatabase: split.sameDatabase && split.dialect === dialect };
      const resolved = resolve(dialect, where, people, tables, subject % people.count);
      return Object.assign(resolved, { [fc.toStringMethod]: () => renderCase(resolved) });
    });
}

function resolve(dialect: Dialect, split: Split | null, p: RawPeople, raw: readonly RawTable[], subject: number): Case {
  const tables: Table[] = [];
  const rows: Row[] = [];
  const peopleColumns: Column[] = [
    ID,
    { ...EMAIL, ...(p.emailKept ? { erasure: keep("the address stays on the suppression list") } : {}) },
    { name: "name", type: "text", nullable: p.nameNullable, unique: false, category: "user.name" },
    ...(p.phone
      ? [
          {
            name: "phone",
            type: "varchar",
            length: 20,
            nullable: true,
            unique: true,
            category: "user.contact.phone_number",
          },
        ]
      : []),
    ...p.columns.map((c, j) => columnOf(c, `c${j + 1}`, j)),
    // Last: it takes no cell of the drawn row.
    ...(p.handle ? [HANDLE] : []),
  ] as Column[];
  tables.push({ name: "people", columns: peopleColumns, ...(p.erasure ? { erasure: p.erasure } : {}) });
  for (let i = 0; i < p.count; i++) {
    const values: Record<string, Value> = { id: p.offset + i, email: emailOf(i) };
    peopleColumns.slice(2).forEach((c, j) => {
      values[c.name] =
        c.name === "phone"
          ? phoneOf(i, p.rows[i]![j]!)
          : c.name === HANDLE.name
            ? `handle${i}`
            : cellValue(c, p.rows[i]![j]!, i);
    });
    rows.push({ table: "people", id: p.offset + i, owner: i, values });
  }

  raw.forEach((t, k) => {
    const name = `t${k + 1}`;
    const earlier = tables.map((x) => x.name);
    const parent = earlier[t.parent % earlier.length]!;
    const second = t.second ? earlier[t.second.parent % earlier.length] : undefined;
    const target = t.link ? earlier[t.link.target % earlier.length]! : undefined;
    const elsewhere = split !== null && t.elsewhere;
    // A foreign key only within one database.
    const sameDatabase = (table: string) =>
      split?.sameDatabase === true || elsewhere === (tables.find((x) => x.name === table)?.elsewhere === true);
    // The owner chain names the account by its UNIQUE handle now and then, not by its key.
    const byHandle = (table: string, r: { byHandle: boolean }) =>
      table === "people" && r.byHandle && peopleColumns.includes(HANDLE);
    const refColumn = (table: string, r: typeof t | NonNullable<typeof t.second>): Column =>
      byHandle(table, r)
        ? {
            name: `${table}_handle`,
            type: "varchar",
            length: HANDLE.length!,
            nullable: r.nullable,
            unique: false,
            category: r.personal ? "user.account.username" : "system.operations",
            reference: {
              table,
              column: HANDLE.name,
              direction: "from",
              foreignKey: r.foreignKey && sameDatabase(table),
            },
          }
        : {
            name: `${table}_id`,
            type: "integer",
            nullable: r.nullable,
            unique: false,
            category: r.personal ? "user.unique_id" : "system.operations",
            reference: { table, direction: "from", foreignKey: r.foreignKey && sameDatabase(table) },
          };
    const main = refColumn(parent, t);
    const extra = second && second !== parent && t.second ? refColumn(second, t.second) : undefined;
    const link: Column | undefined =
      target && t.link
        ? {
            name: `link_${target}`,
            type: "integer",
            nullable: true,
            unique: false,
            category: "system.operations",
            reference: { table: target, direction: "to", foreignKey: t.link.foreignKey && sameDatabase(target) },
          }
        : undefined;
    const mineTarget = t.mine ? earlier[t.mine.target % earlier.length]! : undefined;
    const mine: Column | undefined =
      mineTarget && t.mine && mineTarget !== parent && mineTarget !== second && mineTarget !== target
        ? {
            name: `mine_${mineTarget}`,
            type: "integer",
            nullable: true,
            unique: false,
            category: "system.operations",
            reference: {
              table: mineTarget,
              direction: "to",
              followed: true,
              foreignKey: t.mine.foreignKey && sameDatabase(mineTarget),
            },
          }
        : undefined;
    const own = t.columns.map((c, j) => columnOf(c, `c${j + 1}`, j));
    const hold: Column[] = t.exemption === "hold" ? [HOLD] : [];
    const columns: Column[] = [
      ID,
      main,
      ...(extra ? [extra] : []),
      ...(link ? [link] : []),
      ...(mine ? [mine] : []),
      ...hold,
      ...own,
    ];
    tables.push({
      name,
      columns,
      ...(t.erasure ? { erasure: t.erasure } : {}),
      ...(t.exemption ? { exemption: t.exemption } : {}),
      ...(elsewhere ? { elsewhere: true as const } : {}),
    });

    /** A row of `owner` in `table`, by `pick`: the value of `column` (default its id) the reference holds. */
    const owned = (table: string, owner: number, pick: number, column = "id"): Value | undefined => {
      const candidates = rows.filter((r) => r.table === table && r.owner === owner);
      const row = candidates[pick % Math.max(1, candidates.length)];
      return row && (column === "id" ? row.id : row.values[column]);
    };
    t.rows.forEach((r, i) => {
      const owner = r.owner % p.count;
      const mainRef = main.nullable && r.orphan ? null : (owned(parent, owner, r.pick, main.reference!.column) ?? null);
      if (mainRef === null && !main.nullable) return;
      const extraRef = !extra
        ? null
        : extra.nullable && r.secondNull
          ? null
          : (owned(extra.reference!.table, owner, r.secondPick, extra.reference!.column) ?? null);
      if (extra && extraRef === null && !extra.nullable) return;
      const targets = target ? rows.filter((x) => x.table === target) : [];
      const id = t.offset + i;
      const values: Record<string, Value> = { id, [main.name]: mainRef };
      if (extra) values[extra.name] = extraRef;
      if (link)
        values[link.name] = r.link === null ? null : (targets[r.link % Math.max(1, targets.length)]?.id ?? null);
      // The same owner's row (of an owned row only): a followed `to` link adds no one else's data.
      if (mine)
        values[mine.name] =
          mainRef === null && extraRef === null ? null : (owned(mine.reference!.table, owner, r.pick + 1) ?? null);
      if (hold.length > 0) values.hold = r.hold;
      own.forEach((c, j) => {
        values[c.name] = cellValue(c, r.cells[j]!, i);
      });
      rows.push({ table: name, id, owner: mainRef === null && extraRef === null ? null : owner, values });
    });
  });
  const used = split !== null && tables.some((t) => t.elsewhere);
  return { dialect, ...(used ? { split } : {}), tables, rows, people: p.count, subject };
}

function columnOf(c: RawColumn, name: string, j: number): Column {
  const category = c.technical ? "system.operations" : CATEGORIES[c.type][j % CATEGORIES[c.type].length]!;
  return {
    name,
    type: c.type,
    ...(c.type === "varchar" ? { length: c.length } : {}),
    nullable: c.nullable,
    // Booleans and dates cannot stay distinct over a few rows; a UNIQUE number is rarer than a UNIQUE string (the
    // unused length roll decides: 1 in 4).
    unique: c.unique && (c.type === "text" || c.type === "varchar" || (c.type === "integer" && c.length > 9)),
    category,
    ...(c.erasure && !c.technical ? { erasure: c.erasure } : {}),
  };
}

/** A cell's value for a column; distinct per row index on UNIQUE columns (the last character differs). */
function cellValue(c: Column, cell: RawCell, i: number): Value {
  if (c.nullable && cell.isNull) return null;
  switch (c.type) {
    case "text":
    case "varchar": {
      const room = c.length === undefined ? undefined : c.unique ? c.length - 1 : c.length;
      const word = room === undefined ? cell.word : cell.word.slice(0, room);
      return c.unique ? `${word}${CODES[i]}` : word;
    }
    case "integer":
      return c.unique ? cell.n * 10 + i : cell.n;
    case "date":
      return new Date(cell.n * 20 * 86_400_000).toISOString().slice(0, 10);
    case "boolean":
      return cell.n > 0;
  }
}

const phoneOf = (i: number, cell: RawCell): Value => (cell.isNull ? null : `+3161234${String(i).padStart(4, "0")}`);

/** The manifest's dataset file for a case: categories on every column, the reference chain, the erasure settings. */
export function manifestYaml(c: Case): string {
  const kind = (d: Dialect) => (d === "postgres" ? "postgres" : "mysql");
  const tablesByName = new Map(c.tables.map((t) => [t.name, t]));
  const datasetFor = (fides_key: string, dialect: Dialect, variable: string, tables: readonly Table[]) => ({
    fides_key,
    connection: { kind: kind(dialect), url: `\${${variable}}` },
    collections: tables.map((t) => ({
      name: t.name,
      ...(t.erasure ? { erasure: t.erasure } : {}),
      ...(t.exemption
        ? { exemptions: [{ exemption: EXEMPTION, ...(t.exemption === "hold" ? { where: { hold: true } } : {}) }] }
        : {}),
      fields: t.columns.map((col) => {
        const meta = {
          ...(col.primaryKey ? { primary_key: true } : {}),
          ...(col.identity ? { identity: col.identity } : {}),
          ...(col.reference
            ? {
                references: [
                  {
                    dataset: datasetOf(tablesByName.get(col.reference.table)!),
                    field: `${col.reference.table}.${col.reference.column ?? "id"}`,
                    direction: col.reference.direction,
                    // A link to any row names someone else's row: not followed, only ordering erasure.
                    ...(col.reference.direction === "to" && !col.reference.followed
                      ? { steward: { follow: false } }
                      : {}),
                  },
                ],
              }
            : {}),
        };
        return {
          name: col.name,
          data_categories: [col.category],
          ...(col.erasure ? { erasure: col.erasure } : {}),
          ...(Object.keys(meta).length > 0 ? { fides_meta: meta } : {}),
        };
      }),
    })),
  });
  const datasets = [
    datasetFor(
      DATASET,
      c.dialect,
      "PROP_DATABASE_URL",
      c.tables.filter((t) => !t.elsewhere),
    ),
  ];
  if (c.split)
    datasets.push(
      datasetFor(
        OTHER_DATASET,
        c.split.dialect,
        "PROP_OTHER_DATABASE_URL",
        c.tables.filter((t) => t.elsewhere),
      ),
    );
  // Short mappings and lists of scalars on one line, so that a failing case stays readable.
  const exemptions = [
    {
      key: EXEMPTION,
      name: "Legal hold",
      basis: "legal_hold",
      reason: "Needed for a legal claim.",
      applies_to: ["erasure"],
    },
  ];
  const doc = new Document(
    { ...(c.tables.some((t) => t.exemption) ? { exemptions } : {}), dataset: datasets },
    { aliasDuplicateObjects: false },
  );
  visit(doc, {
    Map(_, node) {
      if (node.items.every((i) => isScalar(i.value) || (isSeq(i.value) && i.value.items.every(isScalar))))
        node.flow = true;
    },
    Seq(_, node) {
      if (node.items.every((i) => isScalar(i) || isMap(i))) node.flow = node.items.every(isScalar);
    },
  });
  return doc.toString({ lineWidth: 140 });
}

/** CREATE TABLE statements of the tables in one database (default: the first dataset's), parents first. */
export function ddl(c: Case, place: Place = "main"): string[] {
  const dialect = dialectOf(c, place);
  const q = dialect === "postgres" ? (n: string) => `"${n}"` : (n: string) => `\`${n}\``;
  return c.tables
    .filter((t) => placeOf(c, t) === place)
    .map((t) => {
      const columns = t.columns.map((col) => {
        const type =
          col.type === "varchar"
            ? `varchar(${col.length})`
            : col.type === "integer" && dialect === "mariadb"
              ? "int"
              : col.type;
        const constraint = col.primaryKey ? "PRIMARY KEY" : col.nullable ? "NULL" : "NOT NULL";
        return `${q(col.name)} ${type} ${constraint}${col.unique && !col.primaryKey ? " UNIQUE" : ""}`;
      });
      const keys = t.columns.flatMap((col) =>
        col.reference?.foreignKey
          ? [`FOREIGN KEY (${q(col.name)}) REFERENCES ${q(col.reference.table)} (${q(col.reference.column ?? "id")})`]
          : [],
      );
      return `CREATE TABLE ${q(t.name)} (${[...columns, ...keys].join(", ")})`;
    });
}

/** The case as a reader wants it in a failure: store, subject, DDL, manifest, and the rows with their owners. */
export function renderCase(c: Case): string {
  const data = c.rows.map(
    (r) => `  ${r.table} ${JSON.stringify(r.values)}  owner=${r.owner === null ? "nobody" : `person${r.owner}`}`,
  );
  const split = c.split
    ? `; ${OTHER_DATASET}: ${c.tables
        .filter((t) => t.elsewhere)
        .map((t) => t.name)
        .join(", ")} on ${c.split.sameDatabase ? "the same database" : `its own ${c.split.dialect} database`}`
    : "";
  return [
    `store: ${c.dialect}${split}; ${c.people} people; subject: person${c.subject} (${emailOf(c.subject)})`,
    ...ddl(c).map((s) => `${s};`),
    ...(c.split && !c.split.sameDatabase ? ["-- the second database:", ...ddl(c, "other").map((s) => `${s};`)] : []),
    manifestYaml(c).trimEnd(),
    "rows:",
    ...data,
  ].join("\n");
}
