/**
 * Rows addressed by their values (a table without a key, a composite key) on PostgreSQL and MariaDB, where some of
 * those values do not come back exactly: a `timestamptz` or `datetime(6)` keeps microseconds, a JS Date milliseconds. Writes address such rows by the
 * other columns, so the erasure reaches them; and a write by key that matches fewer rows than it addressed (here: a
 * row the application changed between the read and the write) fails the store's transaction with
 * STW_ENGINE_WRITE_SHORT instead of leaving the row as it was unseen. (Found in review: the WHERE compared the
 * timestamp to the millisecond, matched nothing, and the erasure reported success.)
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import mysql from "mysql2/promise";
import pg from "pg";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Connector, TransactionOptions } from "../../src/connectors/connector.ts";
import { runErasure } from "../../src/engine/run-request.ts";
import { Stores } from "../../src/engine/stores.ts";
import { loadManifestDir } from "../../src/fs/load-manifest-dir.ts";
import type { Manifest } from "../../src/manifest/types.ts";
import { MY_SERVER, PG_SERVER, pgAdmin } from "../scratch-databases.ts";

const NAME = `stw_inexact_${process.pid}_${Date.now().toString(36)}`;
let dir: string;
let manifest: Manifest;

const DATASET = `dataset:
  - fides_key: app
    collections:
      - name: visits
        fields:
          - { name: user_id, data_categories: [system.operations], fides_meta: { identity: user_id } }
          - { name: page, data_categories: [user.behavior] }
      - name: logins
        erasure: delete
        fields:
          - { name: user_id, data_categories: [system.operations], fides_meta: { identity: user_id } }
          - { name: ip, data_categories: [user.device.ip_address] }
      - name: sessions
        erasure: delete
        fields:
          - { name: user_id, data_categories: [system.operations], fides_meta: { identity: user_id } }
          - { name: device, data_categories: [user.device] }
      - name: notes
        fields:
          - { name: user_id, data_categories: [system.operations], fides_meta: { identity: user_id } }
          - { name: body, data_categories: [user.content] }
`;

/** A store kind: its URL, its DDL and rows, and a way to run one statement on it outside Steward. */
interface Kind {
  readonly url: string;
  readonly ddl: readonly string[];
  readonly rows: readonly string[];
  /** How the store prints a timestamp's microseconds. */
  readonly micro: (column: string) => string;
  sql(statement: string): Promise<Record<string, unknown>[]>;
  open(): Promise<void>;
  close(): Promise<void>;
}

const ROWS = (zone: string) => [
  `INSERT INTO visits VALUES (1, '/a', '2024-01-01 10:00:00.123456${zone}', 0.1), (1, '/b', '2024-01-01 10:00:01.654321${zone}', 0.3),
    (2, '/a', '2024-01-01 10:00:00.123456${zone}', 0.1)`,
  `INSERT INTO logins VALUES (1, '10.0.0.1', '2024-01-01 10:00:00.123456${zone}'), (2, '10.0.0.2', '2024-01-01 10:00:00.123456${zone}')`,
  `INSERT INTO sessions VALUES (1, '2024-01-01 10:00:00.000001${zone}', 'phone'), (1, '2024-01-02 10:00:00.999999${zone}', 'laptop'),
    (2, '2024-01-01 10:00:00.000001${zone}', 'phone')`,
  "INSERT INTO notes VALUES (1, 'hello', 'a'), (1, 'again', 'b'), (2, 'hello', 'a')",
];
const TABLES = (stamp: string, double: string) => [
  `CREATE TABLE visits (user_id int NOT NULL, page text, at ${stamp}, score ${double})`,
  `CREATE TABLE logins (user_id int NOT NULL, ip text, at ${stamp})`,
  `CREATE TABLE sessions (user_id int NOT NULL, started ${stamp} NOT NULL, device varchar(10), PRIMARY KEY (user_id, started))`,
  "CREATE TABLE notes (user_id int NOT NULL, body text, tag text)",
];

let pgc: pg.Client;
let my: mysql.Connection;
const KINDS: Record<"postgres" | "mariadb", Kind> = {
  postgres: {
    url: `${PG_SERVER}/${NAME}`,
    ddl: TABLES("timestamptz", "double precision"),
    rows: ROWS("+00"),
    micro: (column) => `to_char(${column}, 'US')`,
    sql: async (statement) => (await pgc.query(statement)).rows,
    async open() {
      await pgAdmin(`CREATE DATABASE "${NAME}"`);
      pgc = new pg.Client({ connectionString: this.url });
      await pgc.connect();
    },
    async close() {
      await pgc?.end();
      await pgAdmin(`DROP DATABASE IF EXISTS "${NAME}" WITH (FORCE)`);
    },
  },
  mariadb: {
    url: `${MY_SERVER}/${NAME}`,
    ddl: TABLES("datetime(6)", "double"),
    rows: ROWS(""),
    micro: (column) => `DATE_FORMAT(${column}, '%f')`,
    sql: async (statement) => (await my.query(statement))[0] as Record<string, unknown>[],
    async open() {
      my = await mysql.createConnection({ uri: MY_SERVER });
      await my.query(`CREATE DATABASE \`${NAME}\``);
      await my.query(`USE \`${NAME}\``);
    },
    async close() {
      await my?.query(`DROP DATABASE IF EXISTS \`${NAME}\``);
      await my?.end();
    },
  },
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "stw-inexact-"));
  await writeFile(join(dir, "d.yml"), DATASET);
  manifest = await loadManifestDir(dir);
  for (const kind of Object.values(KINDS)) {
    await kind.open();
    for (const statement of kind.ddl) await kind.sql(statement);
  }
});

afterAll(async () => {
  for (const kind of Object.values(KINDS)) await kind.close();
  await rm(dir, { recursive: true, force: true });
});

/** Stores whose connector runs `change` once, outside the erasure, just before its transaction starts. */
class ChangingStores extends Stores {
  private change: (() => Promise<unknown>) | undefined;
  constructor(url: string, change?: () => Promise<unknown>) {
    super(manifest, { connections: { app: url } });
    this.change = change;
  }
  override async get(dataset: string): Promise<Connector> {
    const real = await super.get(dataset);
    const take = () => {
      const change = this.change;
      this.change = undefined;
      return change;
    };
    return new Proxy(real, {
      get(target, property, receiver) {
        if (property !== "transaction") return Reflect.get(target, property, receiver);
        return async <T>(fn: (tx: Connector) => Promise<T>, options?: TransactionOptions) => {
          await take()?.();
          return target.transaction(fn, options);
        };
      },
    });
  }
}

const erase = async (stores: Stores) =>
  runErasure(manifest, new Map([["user_id", [1]]]), stores).finally(() => stores.closeAll());

for (const [name, kind] of Object.entries(KINDS))
  describe(`rows addressed by values that do not come back exactly (${name})`, () => {
    beforeEach(async () => {
      for (const table of ["visits", "logins", "sessions", "notes"]) await kind.sql(`DELETE FROM ${table}`);
      for (const statement of kind.rows) await kind.sql(statement);
    });

    it("masks and deletes the subject's rows of tables without a key whose timestamps hold microseconds", async () => {
      const outcome = await erase(new ChangingStores(kind.url));
      expect(outcome.failed, outcome.failed?.why).toBeUndefined();
      expect(outcome.proof).toMatchObject({ complete: true });
      expect(outcome.collections["app.visits"]).toMatchObject({ read: 2, masked: 2 });
      expect(outcome.collections["app.logins"]).toMatchObject({ read: 1, deleted: 1 });
      expect(outcome.collections["app.sessions"]).toMatchObject({ read: 2, deleted: 2 });
      expect(
        await kind.sql(`SELECT user_id, page, ${kind.micro("at")} AS us, score FROM visits ORDER BY user_id, at`),
      ).toEqual([
        { user_id: 1, page: null, us: "123456", score: 0.1 },
        { user_id: 1, page: null, us: "654321", score: 0.3 },
        { user_id: 2, page: "/a", us: "123456", score: 0.1 },
      ]);
      expect(await kind.sql("SELECT user_id FROM logins")).toEqual([{ user_id: 2 }]);
      expect(await kind.sql("SELECT user_id, device FROM sessions")).toEqual([{ user_id: 2, device: "phone" }]);
    });

    it("fails, rolled back, when a write by key matches fewer rows than it addressed; the request run again finishes", async () => {
      // The application changes one of the subject's notes after the erasure read it: the mask by (user_id, body,
      // tag) no longer finds it.
      const change = () => kind.sql("UPDATE notes SET tag = 'z' WHERE body = 'again'");
      const first = await erase(new ChangingStores(kind.url, change));
      expect(first.failed?.dataset).toBe("app");
      expect(first.failed?.why).toMatch(
        /^STW_ENGINE_WRITE_SHORT: writing app\.notes: the update by \(user_id, body, tag\) matched 1 of the 2 row\(s\) it addressed, .*rolled back.*primary key/,
      );
      // Nothing of the store was written: the visits masked before the notes are back as they were.
      expect(await kind.sql("SELECT page FROM visits WHERE user_id = 1 ORDER BY at")).toEqual([
        { page: "/a" },
        { page: "/b" },
      ]);
      expect((await kind.sql("SELECT user_id FROM logins ORDER BY user_id")).length).toBe(2);

      const second = await erase(new ChangingStores(kind.url));
      expect(second.failed, second.failed?.why).toBeUndefined();
      expect(second.proof).toMatchObject({ complete: true });
      expect(await kind.sql("SELECT user_id, body, tag FROM notes ORDER BY user_id, tag")).toEqual([
        { user_id: 1, body: null, tag: "a" },
        { user_id: 1, body: null, tag: "z" },
        { user_id: 2, body: "hello", tag: "a" },
      ]);
    });
  });
