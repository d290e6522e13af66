import { readFile } from "node:fs/promises";
import type mysql from "mysql2/promise";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_DDL_DIR } from "../../src/demo/demo-ddl.ts";
import { type SeedDemoResult, seedDemo } from "../../src/demo/seed-demo.ts";
import { ANALYTICS_TABLES, APP_TABLES } from "../../src/demo/seed-plan.ts";
import { demoDatabases, myChecksums, myCounts, pgChecksums, pgCounts } from "./demo-databases.ts";

const dbs = demoDatabases("seed");
let first: SeedDemoResult;
let client: pg.Client;
let my: mysql.Connection;

const seed = (s: number) => seedDemo({ learners: 200, seed: s, postgresUrl: dbs.pgUrl, mysqlUrl: dbs.myUrl });

async function checksums() {
  return { ...(await pgChecksums(client, APP_TABLES)), ...(await myChecksums(my, ANALYTICS_TABLES)) };
}

async function scalar(sql: string): Promise<number> {
  return Number((await client.query(sql)).rows[0].n);
}

async function myScalar(sql: string): Promise<number> {
  const [rows] = await my.query<mysql.RowDataPacket[]>(sql);
  return Number(rows[0]?.["n"]);
}

describe("steward demo seed into real PostgreSQL and MariaDB (200 learners)", () => {
  beforeAll(async () => {
    first = await seed(7);
    client = await dbs.pg();
    my = await dbs.my();
  });
  afterAll(async () => {
    await client?.end();
    await my?.end();
    await dbs.drop();
  });

  it("creates the databases and loads every table, with the row counts the plan gives", async () => {
    const counts = { ...(await pgCounts(client, APP_TABLES)), ...(await myCounts(my, ANALYTICS_TABLES)) };
    expect(Object.keys(counts).sort()).toEqual([...APP_TABLES, ...ANALYTICS_TABLES].sort());
    expect(counts).toEqual(first.plan.rows);
    for (const t of first.tables) expect(t.rows).toBe(counts[t.table]);
    expect(counts["users"]).toBe(200);
    expect(counts["profiles"]).toBe(200);
    // Realistic ratios: several enrolments per learner, many clickstream events.
    expect(counts["enrollments"]).toBeGreaterThan(400);
    expect(counts["clickstream_events"]).toBeGreaterThan(600);
    for (const table of ["peer_reviews", "forum_posts", "identity_verifications", "recorded_lectures"]) {
      expect(counts[table], table).toBeGreaterThan(0);
    }
  });

  it("adds every foreign key and unique constraint, validated against the loaded rows", async () => {
    const fks = await scalar(
      "SELECT count(*) AS n FROM pg_constraint WHERE contype = 'f' AND convalidated AND connamespace = 'public'::regnamespace",
    );
    const declared = (await readFile(`${DEMO_DDL_DIR}/postgres.sql`, "utf8")).match(/FOREIGN KEY/g)?.length;
    expect(fks).toBe(declared);
    expect(fks).toBeGreaterThanOrEqual(30);
    expect(await scalar("SELECT count(*) AS n FROM pg_constraint WHERE contype = 'f' AND NOT convalidated")).toBe(0);
    await expect(
      client.query(
        "INSERT INTO users (email, password_hash, first_name, last_name, country, language, created_at) SELECT email, 'x', 'a', 'b', 'US', 'en', now() FROM users LIMIT 1",
      ),
    ).rejects.toThrow(/users_email_key/);
    await expect(
      client.query("INSERT INTO enrollments (user_id, course_id, enrolled_at) VALUES (999999, 1, now())"),
    ).rejects.toThrow(/enrollments_user_id_fkey/);
  });

  it("lets the application insert after the loaded ids (identity sequences moved past them)", async () => {
    const { rows } = await client.query(
      "INSERT INTO courses (slug, title, content_provider, language, launched_on) VALUES ('new-course', 'New', 'X', 'en', now()) RETURNING id",
    );
    expect(Number(rows[0].id)).toBe(first.plan.rows.courses + 1);
    await client.query("DELETE FROM courses WHERE slug = 'new-course'");
  });

  it("ties two different learners to each peer review and keeps some forum posts without an author", async () => {
    expect(await scalar("SELECT count(*) AS n FROM peer_reviews WHERE reviewer_id = reviewee_id")).toBe(0);
    expect(
      await scalar(
        "SELECT count(*) AS n FROM peer_reviews r JOIN assignment_submissions s ON s.id = r.submission_id WHERE s.user_id <> r.reviewee_id",
      ),
    ).toBe(0);
    expect(await scalar("SELECT count(DISTINCT reviewer_id) AS n FROM peer_reviews")).toBeGreaterThan(50);
    expect(await scalar("SELECT count(*) AS n FROM enrollments WHERE for_credit AND degree_program_id IS NULL")).toBe(
      0,
    );
    expect(await scalar("SELECT count(*) AS n FROM forum_posts WHERE author_id IS NOT NULL")).toBeGreaterThan(0);
  });

  it("only refers to learners and lectures that exist, across the two databases", async () => {
    const users = await scalar("SELECT max(id) AS n FROM users");
    const lectures = await scalar("SELECT max(id) AS n FROM recorded_lectures");
    expect(await scalar("SELECT min(id) AS n FROM users")).toBe(1);
    expect(await scalar("SELECT count(*) AS n FROM users")).toBe(users); // ids are 1..n without gaps
    for (const table of ANALYTICS_TABLES) {
      expect(await myScalar(`SELECT count(*) AS n FROM ${table} WHERE user_id < 1 OR user_id > ${users}`), table).toBe(
        0,
      );
    }
    expect(await myScalar(`SELECT count(*) AS n FROM lecture_views WHERE lecture_id > ${lectures}`)).toBe(0);
    // The audience's hashed e-mail is the SHA-256 of the learner's real address.
    const [[member]] = (await my.query("SELECT user_id, hashed_email FROM marketing_audience_members LIMIT 1")) as [
      mysql.RowDataPacket[],
      unknown,
    ];
    const email = (
      await client.query("SELECT encode(sha256(email::bytea), 'hex') AS h FROM users WHERE id = $1", [
        member?.["user_id"],
      ])
    ).rows[0].h;
    expect(member?.["hashed_email"]).toBe(email);
  });

  it("gives identical rows for the same seed and different rows for another seed", async () => {
    const before = await checksums();
    await seed(7);
    expect(await checksums()).toEqual(before);
    await seed(8);
    const other = await checksums();
    for (const table of ["users", "enrollments", "peer_reviews", "clickstream_events", "recommendation_features"]) {
      expect(other[table], table).not.toBe(before[table]);
    }
  });
});
