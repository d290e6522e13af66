import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import mysql from "mysql2/promise";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CONNECTOR_SCHEMES } from "../../src/connectors/open-connector.ts";
import { loadManifestDir } from "../../src/fs/load-manifest-dir.ts";
import { steward } from "../cli/run-cli.ts";

const NAME = `stw_discover_${process.pid}_${Date.now().toString(36)}`;
const PG_SERVER = "postgres://postgres@127.0.0.1:5432";
const MY_SERVER = "mysql://root@127.0.0.1:3306";
const HAS_SQLITE = CONNECTOR_SCHEMES.includes("sqlite://");

/** A shop: people with contact details, their orders with a card number, and products (no personal data). */
const USERS = Array.from({ length: 24 }, (_, i) => ({
  id: i + 1,
  email: `shopper${i + 1}@example.com`,
  phone: `+44 20 7946 ${String(1000 + i)}`,
  dob: `${1950 + i}-0${(i % 9) + 1}-1${i % 10}`,
  first_name: ["Olivia", "Lukas", "Fatima", "Hiroshi", "Camila", "Noah"][i % 6]!,
}));
const CARDS = ["4111111111111111", "5500005555555559", "340000000000009", "6011000990139424", "4012888888881881"];
const ORDERS = USERS.map((u, i) => ({ id: i + 1, user_id: u.id, card_number: CARDS[i % CARDS.length]! }));
/** Everything sampled that is personal: none of it may appear in any output. */
const PERSONAL = [...USERS.flatMap((u) => [u.email, u.phone, u.dob]), ...CARDS];

const lit = (v: string | number) => (typeof v === "number" ? String(v) : `'${v}'`);
const SHOP_SQL = [
  `CREATE TABLE users (id int PRIMARY KEY, email varchar(255) NOT NULL UNIQUE, phone varchar(32), dob date,
     first_name varchar(60), created_at timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP, is_admin boolean NOT NULL DEFAULT false)`,
  `CREATE TABLE orders (id int PRIMARY KEY, user_id int NOT NULL, card_number varchar(19), total decimal(10,2),
     status varchar(20), CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id))`,
  "CREATE TABLE products (id int PRIMARY KEY, name varchar(100), price decimal(10,2))",
  `INSERT INTO users (id, email, phone, dob, first_name) VALUES ${USERS.map((u) => `(${[u.id, u.email, u.phone, u.dob, u.first_name].map(lit).join(", ")})`).join(", ")}`,
  `INSERT INTO orders (id, user_id, card_number, total, status) VALUES ${ORDERS.map((o) => `(${[o.id, o.user_id, o.card_number].map(lit).join(", ")}, 9.99, 'paid')`).join(", ")}`,
  "INSERT INTO products (id, name, price) VALUES (1, 'Machine Learning', 49), (2, 'Databases', 39)",
];

interface Backend {
  readonly name: string;
  readonly url: string;
  readonly create: () => Promise<void>;
  readonly drop: () => Promise<void>;
}

async function pgRun(database: string, statements: readonly string[]): Promise<void> {
  const client = new pg.Client({ connectionString: `${PG_SERVER}/${database}` });
  await client.connect();
  try {
    for (const sql of statements) await client.query(sql);
  } finally {
    await client.end();
  }
}

async function myRun(database: string | undefined, statements: readonly string[]): Promise<void> {
  const connection = await mysql.createConnection({ uri: `${MY_SERVER}/${database ?? ""}` });
  try {
    for (const sql of statements) await connection.query(sql);
  } finally {
    await connection.end();
  }
}

const POSTGRES: Backend = {
  name: "PostgreSQL",
  url: `${PG_SERVER}/${NAME}`,
  create: async () => {
    await pgRun("postgres", [`CREATE DATABASE "${NAME}"`]);
    await pgRun(NAME, SHOP_SQL);
  },
  drop: () => pgRun("postgres", [`DROP DATABASE IF EXISTS "${NAME}" WITH (FORCE)`]),
};

const MARIADB: Backend = {
  name: "MariaDB",
  url: `${MY_SERVER}/${NAME}`,
  create: async () => {
    await myRun(undefined, [`CREATE DATABASE \`${NAME}\``]);
    await myRun(NAME, SHOP_SQL);
  },
  drop: () => myRun(undefined, [`DROP DATABASE IF EXISTS \`${NAME}\``]),
};

const SQLITE_DIR = mkdtempSync(join(tmpdir(), "stw-discover-sqlite-"));
const SQLITE: Backend = {
  name: "SQLite",
  url: `sqlite:${join(SQLITE_DIR, `${NAME}.db`)}`,
  create: async () => {
    // Loaded only here: the driver belongs to the SQLite connector, which may not be installed yet.
    const { default: Database } = await import("better-sqlite3");
    const db = new Database(join(SQLITE_DIR, `${NAME}.db`));
    try {
      for (const sql of SHOP_SQL) db.exec(sql);
    } finally {
      db.close();
    }
  },
  drop: async () => rmSync(SQLITE_DIR, { recursive: true, force: true }),
};

function discoverSuite(backend: Backend): void {
  const out = mkdtempSync(join(tmpdir(), "stw-discover-"));
  const file = join(out, "datasets", "shop.yml");
  let run: ReturnType<typeof steward>;

  beforeAll(async () => {
    await backend.create();
    run = steward(["discover", backend.url, "--out", file, "--dataset", "shop"]);
  });
  afterAll(async () => {
    await backend.drop();
    rmSync(out, { recursive: true, force: true });
  });

  it("writes a dataset file that loads, with keys, types, references and the identity", async () => {
    expect(run.stderr).toContain("discovered 3 table(s), 15 column(s)");
    expect(run.code).toBe(0);
    expect(run.stdout).toBe("");
    const manifest = await loadManifestDir(out);
    const [dataset] = manifest.datasets;
    expect(dataset?.fides_key).toBe("shop");
    expect(dataset?.connection).toEqual({ kind: backend.url.split(":")[0], url: "${SHOP_DATABASE_URL}" });
    const field = (c: string, f: string) =>
      dataset?.collections.find((x) => x.name === c)?.fields.find((x) => x.name === f);
    expect(field("users", "email")).toMatchObject({
      identity: "email",
      data_categories: ["user.contact.email"],
      data_type: "string",
      length: 255,
    });
    expect(field("users", "id")).toMatchObject({ primary_key: true, data_type: "integer" });
    expect(field("orders", "user_id")?.references).toEqual([{ dataset: "shop", field: "users.id", direction: "from" }]);
    expect(field("orders", "card_number")?.data_categories).toEqual(["user.financial.credit_card"]);
    expect(field("users", "dob")?.data_categories).toEqual(["user.demographic.date_of_birth"]);
    expect(field("products", "name")?.data_categories).toEqual([]);
  });

  it("prints no sampled value anywhere: not on stdout, not on stderr, not in the file", () => {
    const text = readFileSync(file, "utf8");
    expect(run.stderr).toContain("24/24 sampled values look like e-mail addresses");
    for (const value of PERSONAL) {
      expect(text).not.toContain(value);
      expect(run.stderr).not.toContain(value);
    }
  });

  it("`steward check` on the folder lists the suggestions to review (SC014) and the fields left (SC001)", () => {
    const check = steward(["check", out, "--json"]);
    expect(check.code).toBe(1);
    const { errors } = JSON.parse(check.stdout) as { errors: { code: string; message: string }[] };
    const fields = (code: string) =>
      errors
        .filter((e) => e.code === code)
        .map((e) => /field "shop\.([^"]+)"/.exec(e.message)?.[1])
        .sort();
    expect(fields("SC014")).toEqual([
      "orders.card_number",
      "orders.user_id",
      "users.dob",
      "users.email",
      "users.first_name",
      "users.id",
      "users.phone",
    ]);
    expect(fields("SC001")).toEqual([
      "orders.id",
      "orders.status",
      "orders.total",
      "products.id",
      "products.name",
      "products.price",
      "users.created_at",
      "users.is_admin",
    ]);
    expect(errors.filter((e) => e.code === "SC005")).toEqual([]);
  });
}

describe("steward discover on PostgreSQL", () => discoverSuite(POSTGRES));
describe("steward discover on MariaDB", () => discoverSuite(MARIADB));
describe.skipIf(!HAS_SQLITE)(
  `steward discover on SQLite${HAS_SQLITE ? "" : " — SKIPPED: no connector registers the sqlite: scheme yet"}`,
  () => discoverSuite(SQLITE),
);

describe("steward discover: output forms and errors", () => {
  const empty = `${NAME}_empty`;
  beforeAll(async () => {
    await POSTGRES.create();
    await pgRun("postgres", [`CREATE DATABASE "${empty}"`]);
  });
  afterAll(async () => {
    await POSTGRES.drop();
    await pgRun("postgres", [`DROP DATABASE IF EXISTS "${empty}" WITH (FORCE)`]);
  });

  it("--json prints the suggestions and, without --out, the file itself; names only with --sample 0", () => {
    const r = steward(["discover", POSTGRES.url, "--json", "--sample", "0"]);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json).toMatchObject({
      dataset: NAME,
      kind: "postgres",
      file: null,
      summary: { tables: 3, columns: 15, identities: 1 },
    });
    expect(json.suggestions).toContainEqual({
      field: "users.email",
      data_categories: ["user.contact.email"],
      identity: "email",
      reasons: ['the column is named "email"', 'the column is unique, so it is marked as the "email" identity'],
    });
    expect(json.unclassified).toContain("products.name");
    expect(json.yaml).toContain("categories suggested from column names only (no rows sampled)");
    expect(r.stderr).toBe("");
  });

  it("prints the file on stdout and the summary on stderr by default", () => {
    const r = steward(["discover", POSTGRES.url]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^# Discovered by `steward discover`/);
    expect(r.stdout).toContain(`- fides_key: ${NAME}\n`);
    expect(r.stderr).toContain("7 suggestion(s) to review, 1 of them marking an identity:");
    expect(r.stderr).toContain("8 column(s) left unclassified: orders.id, orders.total, orders.status");
    for (const value of PERSONAL) expect(r.stdout + r.stderr).not.toContain(value);
  });

  it("refuses to overwrite a file without --force, and replaces it with --force", () => {
    const file = join(mkdtempSync(join(tmpdir(), "stw-discover-")), "shop.yml");
    writeFileSync(file, "# mine\n");
    const again = steward(["discover", POSTGRES.url, "--out", file]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain(`error STW_FILE_EXISTS: "${file}" already exists`);
    expect(readFileSync(file, "utf8")).toBe("# mine\n");
    expect(steward(["discover", POSTGRES.url, "--out", file, "--force", "--sample", "0"]).code).toBe(0);
    expect(readFileSync(file, "utf8")).toContain(`- fides_key: ${NAME}\n`);
  });

  it("turns every problem into a coded error, never showing a password", () => {
    expect(steward(["discover", `${PG_SERVER}/${empty}`]).stderr).toContain(
      `error STW_DISCOVER_NO_TABLES: the database at ${PG_SERVER}/${empty} has no tables to describe`,
    );
    const unreachable = steward(["discover", "postgres://alice:s3cret@127.0.0.1:1/app"]);
    expect(unreachable.code).toBe(2);
    expect(unreachable.stderr).toContain(
      "error STW_DB_UNREACHABLE: cannot connect to postgres://alice:***@127.0.0.1:1/app",
    );
    expect(unreachable.stderr).not.toContain("s3cret");
    expect(steward(["discover", POSTGRES.url, "--sample", "lots"]).stderr).toContain(
      'error STW_CLI_BAD_OPTION: option --sample does not take "lots"; allowed: "a whole number from 0 to 100000"',
    );
    expect(steward(["discover", POSTGRES.url, "--dataset", "Shop DB"]).stderr).toContain(
      'error STW_CLI_BAD_OPTION: option --dataset does not take "Shop DB"',
    );
    expect(steward(["discover", "postgres://127.0.0.1:5432"]).stderr).toContain(
      'error STW_CLI_USAGE: cannot tell the dataset\'s name from "postgres://127.0.0.1:5432"; pass --dataset KEY',
    );
  });
});
