import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type mysql from "mysql2/promise";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { seedDemo } from "../../src/demo/seed-demo.ts";
import { TOP_LEVEL_SCHEMAS } from "../../src/manifest/schema.ts";
import { demoDatabases } from "./demo-databases.ts";

const DATASETS = join(import.meta.dirname, "..", "..", "examples", "learning-platform", "datasets");
const dbs = demoDatabases("cover");

interface YamlField {
  name: string;
  data_categories?: string[];
  fides_meta?: { identity?: string; primary_key?: boolean; references?: { dataset: string; field: string }[] };
}
interface YamlCollection {
  name: string;
  fields: YamlField[];
}
interface YamlDataset {
  fides_key: string;
  collections: YamlCollection[];
}

async function dataset(key: string): Promise<YamlDataset> {
  const doc = parse(await readFile(join(DATASETS, `${key}.yml`), "utf8")) as { dataset: unknown[] };
  expect(TOP_LEVEL_SCHEMAS.dataset.safeParse(doc.dataset).success).toBe(true);
  return doc.dataset[0] as YamlDataset;
}

/** "table.column" of every field the YAML declares. */
const yamlColumns = (d: YamlDataset): string[] =>
  d.collections.flatMap((c) => c.fields.map((f) => `${c.name}.${f.name}`)).sort();

let pgColumns: string[];
let myColumns: string[];

describe("the example datasets describe exactly the demo DDL", () => {
  beforeAll(async () => {
    // One learner is the smallest data set: no peer reviews and no lectures, and the load still succeeds.
    await seedDemo({ learners: 1, seed: 1, postgresUrl: dbs.pgUrl, mysqlUrl: dbs.myUrl });
    const client = await dbs.pg();
    const { rows } = await client.query(
      "SELECT table_name || '.' || column_name AS c FROM information_schema.columns WHERE table_schema = 'public'",
    );
    pgColumns = rows.map((r) => r.c as string).sort();
    await client.end();
    const my: mysql.Connection = await dbs.my();
    const [columns] = await my.query<mysql.RowDataPacket[]>(
      "SELECT CONCAT(table_name, '.', column_name) AS c FROM information_schema.columns WHERE table_schema = ?",
      [dbs.name],
    );
    myColumns = columns.map((r) => String(r["c"])).sort();
    await my.end();
  });
  afterAll(() => dbs.drop());

  it("learning_app.yml lists every PostgreSQL column and no other", async () => {
    expect(pgColumns.length).toBeGreaterThan(150);
    expect(yamlColumns(await dataset("learning_app"))).toEqual(pgColumns);
  });

  it("learning_analytics.yml lists every MariaDB column and no other", async () => {
    expect(myColumns.length).toBeGreaterThan(40);
    expect(yamlColumns(await dataset("learning_analytics"))).toEqual(myColumns);
  });

  it("classifies every field and links every user id to learning_app users.id", async () => {
    for (const d of [await dataset("learning_app"), await dataset("learning_analytics")]) {
      for (const c of d.collections) {
        for (const f of c.fields) {
          const where = `${d.fides_key}.${c.name}.${f.name}`;
          expect(f.data_categories?.length, where).toBeGreaterThan(0);
          if (/^(user|author|reviewer|reviewee|instructor)_id$/.test(f.name)) {
            expect(f.fides_meta?.references, where).toContainEqual(
              expect.objectContaining({ dataset: "learning_app", field: "users.id" }),
            );
          }
        }
      }
    }
    const users = (await dataset("learning_app")).collections.find((c) => c.name === "users");
    expect(users?.fields.find((f) => f.name === "email")?.fides_meta?.identity).toBe("email");
    expect(users?.fields.find((f) => f.name === "id")?.fides_meta?.primary_key).toBe(true);
  });
});
