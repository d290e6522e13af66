/**
 * Erasure honours every real foreign key, declared or not, on each SQL store kind. The same schema on PostgreSQL,
 * MariaDB and SQLite:
 *
 * - `device_sessions.device_token → devices.token`: a key to a UNIQUE column that is not the primary key (declared);
 * - `devices.user_id → users.id ON DELETE RESTRICT` (declared);
 * - `logins.user_id → users.id`: a real key the manifest does not declare (SC016: ordered anyway, reported);
 * - `prefs.user_id → users.id ON DELETE CASCADE`: a table the manifest does not describe (SC017), whose rows the
 *   database deletes with the user's — counted in the outcome.
 *
 * And on PostgreSQL a cycle of NOT NULL keys that no order satisfies: reported before anything is written.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runErasure } from "../../src/engine/run-request.ts";
import { loadManifestDir } from "../../src/fs/load-manifest-dir.ts";
import type { Manifest } from "../../src/manifest/types.ts";
import { steward } from "../cli/run-cli.ts";
import { scratchDatabases, sqliteRun } from "../scratch-databases.ts";
import { withStores } from "../with-stores.ts";

const scratch = scratchDatabases("fks");
const cycle = scratchDatabases("fks_cycle");
const KINDS = ["postgres", "mariadb", "sqlite"] as const;
type Kind = (typeof KINDS)[number];
let dir: string;
let manifest: Manifest;
const urls: Record<Kind | "cycle", string> = {
  postgres: scratch.pgUrl,
  mariadb: scratch.myUrl,
  sqlite: "",
  cycle: cycle.pgUrl,
};

const DDL = [
  "CREATE TABLE users (id int PRIMARY KEY, email varchar(60) NOT NULL UNIQUE)",
  `CREATE TABLE devices (id int PRIMARY KEY, token varchar(20) NOT NULL UNIQUE, user_id int NOT NULL,
     FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE RESTRICT)`,
  `CREATE TABLE device_sessions (id int PRIMARY KEY, device_token varchar(20) NOT NULL, ip varchar(45),
     FOREIGN KEY (device_token) REFERENCES devices (token))`,
  `CREATE TABLE logins (id int PRIMARY KEY, email varchar(60) NOT NULL, user_id int NOT NULL,
     FOREIGN KEY (user_id) REFERENCES users (id))`,
  `CREATE TABLE prefs (id int PRIMARY KEY, user_id int NOT NULL, theme varchar(10),
     FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE)`,
  "INSERT INTO users VALUES (1, 'ada@example.com'), (2, 'alan@example.com')",
  "INSERT INTO devices VALUES (1, 'tok-a', 1), (2, 'tok-b', 2)",
  "INSERT INTO device_sessions VALUES (1, 'tok-a', '10.0.0.1'), (2, 'tok-a', '10.0.0.2'), (3, 'tok-b', '10.0.0.3')",
  "INSERT INTO logins VALUES (1, 'ada@example.com', 1), (2, 'alan@example.com', 2)",
  "INSERT INTO prefs VALUES (1, 1, 'dark'), (2, 1, 'large'), (3, 2, 'light')",
];

const dataset = (key: string) => `  - fides_key: ${key}
    collections:
      - name: users
        erasure: { action: delete }
        fields:
          - { name: id, data_categories: [user.unique_id], fides_meta: { primary_key: true } }
          - { name: email, data_categories: [user.contact.email], fides_meta: { identity: email } }
      - name: devices
        erasure: { action: delete }
        fields:
          - { name: id, data_categories: [system.operations], fides_meta: { primary_key: true } }
          - { name: token, data_categories: [user.device.device_id] }
          - name: user_id
            data_categories: [user.unique_id]
            fides_meta: { references: [{ dataset: ${key}, field: users.id, direction: from }] }
      - name: device_sessions
        erasure: { action: delete }
        fields:
          - { name: id, data_categories: [system.operations], fides_meta: { primary_key: true } }
          - name: device_token
            data_categories: [user.device.device_id]
            fides_meta: { references: [{ dataset: ${key}, field: devices.token, direction: from }] }
          - { name: ip, data_categories: [user.device.ip_address] }
      - name: logins
        erasure: { action: delete }
        fields:
          - { name: id, data_categories: [system.operations], fides_meta: { primary_key: true } }
          - { name: email, data_categories: [user.contact.email], fides_meta: { identity: email } }
          - { name: user_id, data_categories: [user.unique_id] }
`;

const CYCLE = `  - fides_key: cycle
    collections:
      - name: a
        erasure: { action: delete }
        fields:
          - { name: id, data_categories: [system.operations], fides_meta: { primary_key: true } }
          - { name: email, data_categories: [user.contact.email], fides_meta: { identity: email } }
          - name: b_id
            data_categories: [system.operations]
            fides_meta: { references: [{ dataset: cycle, field: b.id, direction: to }] }
      - name: b
        erasure: { action: delete }
        fields:
          - { name: id, data_categories: [system.operations], fides_meta: { primary_key: true } }
          - name: a_id
            data_categories: [user.unique_id]
            fides_meta: { references: [{ dataset: cycle, field: a.id, direction: from }] }
`;

async function count(kind: Kind, table: string): Promise<number> {
  const sql = `SELECT count(*) AS n FROM ${table}`;
  if (kind === "postgres") {
    const c = await scratch.pg();
    const n = Number((await c.query(sql)).rows[0].n);
    await c.end();
    return n;
  }
  if (kind === "mariadb") {
    const c = await scratch.my();
    const [rows] = await c.query(sql);
    await c.end();
    return Number((rows as { n: number }[])[0]!.n);
  }
  const c = new Database(join(dir, "app.db"), { readonly: true });
  const n = Number((c.prepare(sql).get() as { n: number }).n);
  c.close();
  return n;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "stw-fks-"));
  urls.sqlite = `sqlite://${join(dir, "app.db")}`;
  await writeFile(join(dir, "datasets.yml"), `dataset:\n${KINDS.map(dataset).join("")}${CYCLE}`);
  manifest = await loadManifestDir(dir);
  await scratch.createPg(DDL);
  // Rows first, keys after: with both keys NOT NULL, no order of inserts (or deletes) satisfies them.
  await cycle.createPg([
    "CREATE TABLE a (id int PRIMARY KEY, email text NOT NULL, b_id int NOT NULL)",
    "CREATE TABLE b (id int PRIMARY KEY, a_id int NOT NULL)",
    "INSERT INTO a VALUES (1, 'ada@example.com', 1)",
    "INSERT INTO b VALUES (1, 1)",
    "ALTER TABLE a ADD FOREIGN KEY (b_id) REFERENCES b (id)",
    "ALTER TABLE b ADD FOREIGN KEY (a_id) REFERENCES a (id)",
  ]);
  await scratch.createMy(DDL);
  sqliteRun(join(dir, "app.db"), DDL);
});

afterAll(async () => {
  await scratch.drop();
  await cycle.drop();
  await rm(dir, { recursive: true, force: true });
});

const connectionArgs = (kinds: readonly (Kind | "cycle")[]) =>
  kinds.flatMap((k) => ["--connection", `${k}=${urls[k]}`]);

describe("foreign keys the erasure must honour", () => {
  it("`steward plan --connection` orders by the live keys and prints what the manifest misses", () => {
    const r = steward([
      "plan",
      dir,
      "--identity",
      "email=x@example.com",
      "--action",
      "erasure",
      ...connectionArgs(KINDS),
    ]);
    expect(r.code, r.stderr).toBe(0);
    for (const kind of KINDS) {
      const order = [...r.stdout.matchAll(/^\s+\d+\. (\S+)$/gm)]
        .map((m) => m[1]!)
        .filter((c) => c.startsWith(`${kind}.`));
      const at = (c: string) => order.indexOf(`${kind}.${c}`);
      expect(at("device_sessions"), kind).toBeLessThan(at("devices"));
      expect(at("devices"), kind).toBeLessThan(at("users"));
      expect(at("logins"), kind).toBeLessThan(at("users"));
    }
    expect(r.stdout).toMatch(
      /warning SC016: the database has a foreign key logins\(user_id\) → users\(id\) in dataset "postgres"/,
    );
    expect(r.stdout).toMatch(
      /warning SC017: table "prefs" of dataset "mariadb" is not in the manifest.*ON DELETE CASCADE/,
    );
  });

  it("`steward check --connection` reports the unsatisfiable NOT NULL cycle as SC018 and exits 1", () => {
    const r = steward(["check", dir, "--json", ...connectionArgs(["postgres", "cycle"])]);
    expect(r.code, r.stderr).toBe(1);
    const report = JSON.parse(r.stdout) as {
      errors: { code: string; message: string }[];
      warnings: { code: string }[];
    };
    // (The bare datasets draw the manifest-only findings too, SC006 and others: only the live-schema ones here.)
    const live = (list: { code: string }[]) => list.filter((f) => /^SC01[678]$/.test(f.code));
    expect(live(report.errors).map((e) => e.code)).toEqual(["SC018"]);
    expect(live(report.errors)[0]).toMatchObject({
      message: expect.stringMatching(/cycle\.a, cycle\.b|cycle\.b, cycle\.a/),
    });
    expect(
      live(report.warnings)
        .map((w) => w.code)
        .sort(),
    ).toEqual(["SC016", "SC017"]);
  });

  it("erases in an order every store accepts, counts what ON DELETE CASCADE removed, and stops before a cycle", async () => {
    const ada = new Map([["email", ["ada@example.com"]]]);
    let outcome = await withStores(manifest, urls, (stores) => runErasure(manifest, ada, stores));
    // The cycle's dataset is refused as a whole before anything is written, with the fix; nothing anywhere is written.
    expect(outcome.failed?.why).toMatch(/^STW_ENGINE_KEY_CYCLE: erasure deletes rows of cycle\.(a|b), cycle\.(a|b)/);
    expect(await count("postgres", "users")).toBe(2);

    // Without the cycle, the same request goes through on every store.
    const clean: Manifest = { ...manifest, datasets: manifest.datasets.filter((d) => d.fides_key !== "cycle") };
    const { cycle: _, ...rest } = urls;
    outcome = await withStores(clean, rest, (stores) => runErasure(clean, ada, stores));
    expect(outcome.failed, outcome.failed?.why).toBeUndefined();
    expect(outcome.proof).toMatchObject({ complete: true });
    for (const kind of KINDS) {
      expect(outcome.collections[`${kind}.device_sessions`], kind).toMatchObject({ deleted: 2 });
      expect(outcome.collections[`${kind}.devices`], kind).toMatchObject({ deleted: 1 });
      expect(outcome.collections[`${kind}.logins`], kind).toMatchObject({ deleted: 1 });
      expect(outcome.collections[`${kind}.users`], kind).toMatchObject({
        deleted: 1,
        cascaded: { [`${kind}.prefs`]: 2 },
      });
      expect(outcome.notes[`${kind}.users`]!.join(" "), kind).toMatch(
        /delete 2 row\(s\) of .*prefs with them \(ON DELETE CASCADE\)/,
      );
      expect(
        [await count(kind, "users"), await count(kind, "devices"), await count(kind, "device_sessions")],
        kind,
      ).toEqual([1, 1, 1]);
      expect([await count(kind, "logins"), await count(kind, "prefs")], kind).toEqual([1, 1]);
    }
    expect(outcome.findings?.map((f) => f.code).sort()).toEqual(["SC016", "SC016", "SC016", "SC017", "SC017", "SC017"]);
  });
});
