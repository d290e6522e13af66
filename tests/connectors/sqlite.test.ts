import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Connector, Row } from "../../src/connectors/connector.ts";
import { openConnector } from "../../src/connectors/open-connector.ts";
import { createSqliteConnector, quoteSqlite as q } from "../../src/connectors/sqlite/index.ts";
import { ITEM_COUNT, ODD_KEY, ODD_TABLE, ODD_VALUE, runConformance } from "./conformance.case.ts";

const DIR = mkdtempSync(join(tmpdir(), "stw-conn-sqlite-"));
const FILE = join(DIR, "conformance.db");

/** Runs `sql` on the file through a connection of its own, as another program would. */
function exec(file: string, sql: string): void {
  const db = new Database(file);
  try {
    db.exec(sql);
  } finally {
    db.close();
  }
}

const series = (n: number, select: string, into: string): string =>
  `WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < ${n}) INSERT INTO ${into} SELECT ${select} FROM s;`;

// `INTEGER PRIMARY KEY` is SQLite's rowid alias: the idiomatic key, and one that cannot hold NULL.
const FIXTURE = `
DROP TABLE IF EXISTS child; DROP TABLE IF EXISTS parent; DROP TABLE IF EXISTS item; DROP TABLE IF EXISTS event; DROP TABLE IF EXISTS ${q(ODD_TABLE)};
CREATE TABLE parent (id INTEGER PRIMARY KEY, email varchar(100) NOT NULL UNIQUE, nickname varchar(50));
CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER NOT NULL REFERENCES parent (id), note varchar(50));
CREATE TABLE item (id INTEGER PRIMARY KEY, label varchar(20) NOT NULL);
CREATE TABLE event (id INTEGER PRIMARY KEY, kind varchar(10) NOT NULL, flagged boolean, at text NOT NULL);
CREATE TABLE ${q(ODD_TABLE)} (${q(ODD_KEY)} INTEGER PRIMARY KEY, ${q(ODD_VALUE)} varchar(20));
${series(5, "i, 'p' || i || '@example.test', CASE WHEN i < 5 THEN 'n' || i END", "parent")}
${series(10, "i, ((i - 1) % 5) + 1, 'c' || i", "child")}
${series(ITEM_COUNT, "i, 'item-' || i", "item")}
${series(20, "i, CASE WHEN i % 2 = 1 THEN 'a' ELSE 'b' END, CASE WHEN i % 5 = 0 THEN 1 WHEN i % 7 = 0 THEN NULL ELSE 0 END, strftime('%Y-%m-%d %H:%M:%S', '2025-01-01', '+' || i || ' days')", "event")}
${series(3, "i, 'v' || i", q(ODD_TABLE))}`;

beforeAll(() => exec(FILE, "")); // creates the file: the connector never does unless told to
afterAll(() => rmSync(DIR, { recursive: true, force: true }));

runConformance({
  name: "sqlite",
  connect: () => createSqliteConnector(`sqlite:${FILE}`),
  reset: async () => exec(FILE, FIXTURE),
  create: createSqliteConnector,
  unreachableUrl: `sqlite:${join(DIR, "no-such-dir", "app.db")}`,
  skip: [
    {
      reason:
        "a sqlite: URL names a file and carries no user or password, so there is none to hide; " +
        "'sqlite connector specifics' checks that a missing file or directory gives STW_DB_UNREACHABLE naming the path",
      cases: ["an unreachable server gives STW_DB_UNREACHABLE without the password"],
    },
  ],
});

/** A new database file holding `sql`, and its URL. */
let files = 0;
function database(sql: string): { file: string; url: string } {
  const file = join(DIR, `specific-${++files}.db`);
  exec(file, sql);
  return { file, url: `sqlite:${file}` };
}

async function rows(db: Connector, table: string, keys: readonly unknown[], columns: string[]): Promise<Row[]> {
  const out: Row[] = [];
  for await (const batch of db.readByKeys(table, columns[0] ?? "id", keys, columns)) out.push(...batch);
  return out;
}

async function failure(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => {
      throw new Error("expected a failure");
    },
    (e: Error) => e,
  );
}

describe("sqlite connector specifics", () => {
  it("quotes an identifier by doubling its double quotes", () => {
    expect(q('we"ird')).toBe('"we""ird"');
    expect(() => q("a\0b")).toThrow(RangeError);
  });

  it("opens every URL form, through openConnector too", async () => {
    const { file } = database("CREATE TABLE t (id INTEGER PRIMARY KEY); INSERT INTO t VALUES (7);");
    const spaced = join(DIR, "with space.db");
    exec(spaced, "CREATE TABLE t (id INTEGER PRIMARY KEY); INSERT INTO t VALUES (7);");
    const urls = [
      `sqlite:${file}`,
      `sqlite://${file}`,
      `sqlite:${relative(process.cwd(), file)}`,
      `sqlite:${spaced.replace(" ", "%20")}`,
      `sqlite:${file}?mode=ro`,
    ];
    for (const url of urls) {
      const db = await openConnector(url);
      try {
        expect(db.kind).toBe("sqlite");
        expect(await rows(db, "t", [7], ["id"])).toEqual([{ id: 7 }]);
      } finally {
        await db.close();
      }
    }
    const memory = await openConnector("sqlite::memory:");
    expect(await memory.introspect()).toEqual([]);
    await memory.close();
  });

  it("never creates a missing file unless the URL says mode=rwc; the error names the path", async () => {
    const missing = join(DIR, "missing.db");
    const error = await failure(createSqliteConnector(`sqlite:${missing}`));
    expect(error).toMatchObject({ code: "STW_DB_UNREACHABLE" });
    expect(error.message).toContain(missing);
    expect(error.message).toContain("mode=rwc");
    expect(() => new Database(missing, { fileMustExist: true })).toThrow(); // still not there

    const inMissingDir = join(DIR, "no-such-dir", "app.db");
    const dirError = await failure(createSqliteConnector(`sqlite:${inMissingDir}?mode=rwc`));
    expect(dirError).toMatchObject({ code: "STW_DB_UNREACHABLE" });
    expect(dirError.message).toContain(inMissingDir);
    expect(dirError.message).toContain("does not exist");

    const created = await createSqliteConnector(`sqlite:${missing}?mode=rwc`);
    expect(await created.introspect()).toEqual([]);
    await created.close();
    expect(() => new Database(missing, { fileMustExist: true }).close()).not.toThrow();
  });

  it("refuses a file that is not a database with STW_DB_UNREACHABLE", async () => {
    const text = join(DIR, "notes.txt");
    writeFileSync(text, "this is not a database, just some text that is long enough to have a header");
    const error = await failure(createSqliteConnector(`sqlite:${text}`));
    expect(error).toMatchObject({ code: "STW_DB_UNREACHABLE" });
    expect(error.message).toContain(text);
  });

  it("refuses other URLs with STW_DB_BAD_URL, naming the forms and hiding a password", async () => {
    for (const url of ["sqlite:", "sqlite://host/app.db", "sqlite:/a.db?mode=bogus", "sqlite:/a.db?cache=shared"]) {
      const error = await failure(createSqliteConnector(url));
      expect(error).toMatchObject({ code: "STW_DB_BAD_URL" });
      expect(error.message).toContain("sqlite::memory:");
    }
    const error = await failure(createSqliteConnector("sqlite://bob:s3cret@host/app.db"));
    expect(error).toMatchObject({ code: "STW_DB_BAD_URL" });
    expect(error.message).not.toContain("s3cret");
  });

  it("reports the build's parameter limit and turns foreign keys on", async () => {
    const { url, file } = database(`
      CREATE TABLE p (id INTEGER PRIMARY KEY); CREATE TABLE c (id INTEGER PRIMARY KEY, p_id int REFERENCES p);
      INSERT INTO p VALUES (1); INSERT INTO c VALUES (1, 1);`);
    const raw = new Database(file);
    const limit = raw
      .prepare("SELECT compile_options FROM pragma_compile_options WHERE compile_options LIKE 'MAX_VARIABLE_NUMBER=%'")
      .pluck()
      .get() as string | undefined;
    raw.close();
    const db = await createSqliteConnector(url);
    try {
      expect(db.capabilities.maxParameters).toBe(Number(limit?.split("=")[1] ?? 32_766));
      await expect(db.deleteByKeys("p", "id", [1])).rejects.toThrow(/FOREIGN KEY/);
      expect(await rows(db, "p", [1], ["id"])).toEqual([{ id: 1 }]);
    } finally {
      await db.close();
    }
  });

  it("introspects SQLite's own shapes: implicit FK targets, composite and WITHOUT ROWID keys, partial indexes", async () => {
    const { url } = database(`
      CREATE TABLE pair (x int, y int, z, PRIMARY KEY (x, y)) WITHOUT ROWID;
      CREATE TABLE loose (code text PRIMARY KEY, tag nvarchar(12), slug text, g text AS (upper(tag)));
      CREATE UNIQUE INDEX loose_slug ON loose (slug) WHERE slug IS NOT NULL;
      CREATE TABLE ref (id INTEGER PRIMARY KEY, code text REFERENCES loose, a int, b int,
        FOREIGN KEY (a, b) REFERENCES pair (x, y));
      CREATE VIEW v AS SELECT 1 AS one;`);
    const db = await createSqliteConnector(url);
    try {
      const tables = await db.introspect();
      // A view is listed, marked: it can be read, not written.
      expect(tables.map((t) => [t.name, t.kind ?? "table"])).toEqual([
        ["loose", "table"],
        ["pair", "table"],
        ["ref", "table"],
        ["v", "view"],
      ]);
      const [loose, pair, ref] = tables;
      expect(loose?.columns).toEqual([
        // A rowid table's text key may hold NULL; SQLite spells its standard type names (TEXT, INT, …) in capitals.
        { name: "code", type: "TEXT", nullable: true, unique: true },
        { name: "tag", type: "nvarchar(12)", nullable: true, unique: false, maxLength: 12 },
        { name: "slug", type: "TEXT", nullable: true, unique: false },
        { name: "g", type: "TEXT", nullable: true, unique: false },
      ]);
      expect(pair?.primaryKey).toEqual(["x", "y"]);
      expect(pair?.columns.map((c) => [c.name, c.nullable, c.unique])).toEqual([
        ["x", false, false],
        ["y", false, false],
        ["z", true, false],
      ]);
      expect(ref?.foreignKeys).toEqual([
        {
          name: "ref_a_b_fkey",
          columns: ["a", "b"],
          referencedTable: "pair",
          referencedColumns: ["x", "y"],
          onDelete: "no_action",
        },
        {
          name: "ref_code_fkey",
          columns: ["code"],
          referencedTable: "loose",
          referencedColumns: ["code"],
          onDelete: "no_action",
        },
      ]);
    } finally {
      await db.close();
    }
  });

  it("returns integers beyond 2^53 as exact strings that work as keys again; binds booleans and dates", async () => {
    const big = "9007199254740993"; // 2^53 + 1: a number would round it
    const { url } = database(`CREATE TABLE t (id INTEGER PRIMARY KEY, n int, flag int, at text);
      INSERT INTO t (id, n) VALUES (${big}, -${big}), (1, 42);`);
    const db = await createSqliteConnector(url);
    try {
      expect(await rows(db, "t", [big, 1], ["id", "n"])).toEqual(
        expect.arrayContaining([
          { id: big, n: `-${big}` },
          { id: 1, n: 42 },
        ]),
      );
      expect(await db.updateEach("t", "id", [{ key: big, set: { flag: true } }])).toBe(1);
      const at = new Date("2025-01-01T00:00:00.000Z");
      expect(await db.updateByKeys("t", "id", [1], { flag: false, at })).toBe(1);
      expect(await rows(db, "t", [big, 1], ["id", "flag", "at"])).toEqual(
        expect.arrayContaining([
          { id: big, flag: 1, at: null },
          { id: 1, flag: 0, at: "2025-01-01T00:00:00.000Z" },
        ]),
      );
      expect(await db.deleteByKeys("t", "id", [big])).toBe(1);
    } finally {
      await db.close();
    }
  });

  it("runs concurrent transactions one after the other on its one connection", async () => {
    const { url } = database("CREATE TABLE t (id INTEGER PRIMARY KEY, n int); INSERT INTO t VALUES (1, 0);");
    const db = await createSqliteConnector(url);
    try {
      const increment = () =>
        db.transaction(async (tx) => {
          const [row] = await rows(tx, "t", [1], ["id", "n"]);
          await new Promise((resolve) => setImmediate(resolve)); // let the others try to start meanwhile
          return tx.updateByKeys("t", "id", [1], { n: Number(row?.["n"]) + 1 });
        });
      expect(await Promise.all([increment(), increment(), increment()])).toEqual([1, 1, 1]);
      expect(await rows(db, "t", [1], ["id", "n"])).toEqual([{ id: 1, n: 3 }]);
    } finally {
      await db.close();
    }
  });

  it("makes calls from outside an open transaction wait, so they are not rolled back with it", async () => {
    const { url } = database(`CREATE TABLE t (id INTEGER PRIMARY KEY, v text);
      INSERT INTO t VALUES (1, 'a'), (2, 'b');`);
    const db = await createSqliteConnector(url);
    try {
      let entered = (): void => {};
      const inside = new Promise<void>((resolve) => {
        entered = resolve;
      });
      let release = (): void => {};
      const held = new Promise<void>((resolve) => {
        release = resolve;
      });
      const failed = db.transaction(async (tx) => {
        await tx.updateByKeys("t", "id", [1], { v: "tx" });
        await db.updateByKeys("t", "id", [2], { v: "joined" }); // the outer handle, inside fn: joins, no deadlock
        entered();
        await held;
        throw new Error("boom");
      });
      await inside;
      let outsideDone = false;
      const outside = db.updateByKeys("t", "id", [2], { v: "outside" }).then((n) => {
        outsideDone = true;
        return n;
      });
      await new Promise((resolve) => setImmediate(resolve));
      expect(outsideDone).toBe(false);
      release();
      await expect(failed).rejects.toThrow("boom");
      expect(await outside).toBe(1);
      expect(await rows(db, "t", [1, 2], ["id", "v"])).toEqual([
        { id: 1, v: "a" },
        { id: 2, v: "outside" },
      ]);
    } finally {
      await db.close();
    }
  });
});
