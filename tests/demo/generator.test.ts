import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { demoSources } from "../../src/demo/demo-sources.ts";
import { People } from "../../src/demo/people.ts";
import { Prng } from "../../src/demo/prng.ts";
import { planSeed } from "../../src/demo/seed-plan.ts";
import { day, dt, text, tsz } from "../../src/demo/tsv.ts";

/** md5 of every table's encoded rows, and the rows themselves split into fields. */
function generate(learners: number, seed: number) {
  const plan = planSeed(learners, seed);
  const { app, analytics } = demoSources(plan);
  const tables = new Map<string, { hash: string; rows: string[][]; columns: readonly string[] }>();
  for (const source of [...app, ...analytics]) {
    const hash = createHash("md5");
    const rows: string[][] = [];
    for (const chunk of source.chunks()) {
      hash.update(chunk.bytes);
      const lines = chunk.bytes.toString("utf8").split("\n");
      expect(lines.pop()).toBe(""); // every row ends with a newline
      expect(lines.length).toBe(chunk.rows);
      for (const line of lines) rows.push(line.split("\t"));
    }
    tables.set(source.table, { hash: hash.digest("hex"), rows, columns: source.columns });
  }
  return { plan, tables };
}

describe("the demo data generator", () => {
  it("writes exactly the planned rows, each with one field per column", () => {
    const { plan, tables } = generate(500, 3);
    for (const [table, { rows, columns }] of tables) {
      expect(rows.length, table).toBe(plan.rows[table as keyof typeof plan.rows]);
      for (const row of rows) expect(row.length, table).toBe(columns.length);
    }
  });

  it("is deterministic: the same seed gives the same bytes, another seed other bytes", () => {
    const a = generate(300, 11);
    const b = generate(300, 11);
    const c = generate(300, 12);
    for (const [table, { hash }] of a.tables) {
      expect(b.tables.get(table)?.hash, table).toBe(hash);
      if (a.plan.rows[table as keyof typeof a.plan.rows] > 20) expect(c.tables.get(table)?.hash, table).not.toBe(hash);
    }
  });

  it("keeps the ratios of a real platform as it scales", () => {
    const plan = planSeed(20_000, 5);
    const per = (table: keyof typeof plan.rows) => plan.rows[table] / plan.learners;
    expect(per("enrollments")).toBeGreaterThan(2);
    expect(per("clickstream_events")).toBeGreaterThan(4);
    expect(per("identity_verifications")).toBeGreaterThan(0.05);
    expect(per("identity_verifications")).toBeLessThan(0.3);
    expect(plan.courses).toBe(100);
    let forCredit = 0;
    for (let i = 0; i < plan.learners; i++) if (plan.degreeProgram[i] !== 0) forCredit++;
    expect(forCredit / plan.learners).toBeGreaterThan(0.01);
    expect(forCredit / plan.learners).toBeLessThan(0.04);
  });

  it("gives every learner a distinct e-mail address and the same facts on every call", () => {
    const people = new People(9, 50_000);
    const emails = new Set<string>();
    for (let u = 1; u <= 50_000; u++) emails.add(people.email(u));
    expect(emails.size).toBe(50_000);
    expect(people.email(123)).toBe(new People(9, 10).email(123));
    expect(people.email(123)).toMatch(/^[a-z]+\.[a-z]+123@[a-z.]+$/);
  });

  it("formats timestamps exactly as Date#toISOString does", () => {
    const ms = fc.integer({ min: Date.UTC(1900, 0, 1), max: Date.UTC(2100, 0, 1) });
    fc.assert(
      fc.property(ms, (t) => {
        const iso = new Date(t).toISOString();
        expect(tsz(t)).toBe(iso);
        expect(dt(t)).toBe(`${iso.slice(0, 10)} ${iso.slice(11, 23)}`);
        expect(day(t)).toBe(iso.slice(0, 10));
      }),
    );
  });

  it("escapes tabs, newlines and backslashes so that a value stays one field", () => {
    expect(text("a\tb\nc\\d\re")).toBe("a\\tb\\nc\\\\d\\re");
    expect(text(undefined)).toBe("\\N");
    expect(text("plain")).toBe("plain");
    fc.assert(
      fc.property(fc.string(), (s) => {
        expect(text(s)).not.toMatch(/[\t\n\r]/);
      }),
    );
  });

  it("draws integers in range from a seeded stream", () => {
    const rng = new Prng(1, 2);
    const seen = new Set<number>();
    for (let i = 0; i < 10_000; i++) {
      const n = rng.range(3, 7);
      expect(n).toBeGreaterThanOrEqual(3);
      expect(n).toBeLessThanOrEqual(7);
      seen.add(n);
    }
    expect(seen.size).toBe(5);
    expect(new Prng(1, 2).next()).toBe(new Prng(1, 2).next());
    expect(new Prng(1, 2).next()).not.toBe(new Prng(1, 3).next());
  });
});
