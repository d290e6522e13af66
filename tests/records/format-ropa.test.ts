import { execFile } from "node:child_process";
import { promisify } from "node:util";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import type { Manifest } from "../../src/manifest/types.ts";
import { buildRopa } from "../../src/records/build-ropa.ts";
import { csvField, csvRecord } from "../../src/records/csv.ts";
import { ROPA_CSV_COLUMNS } from "../../src/records/format-ropa-csv.ts";
import { renderRopa } from "../../src/records/render-ropa.ts";
import type { Ropa } from "../../src/records/ropa-types.ts";
import { FIXTURE_DIR, loadFixture } from "../notice/fixture.ts";
import { parseCsv } from "./parse-csv.ts";

let manifest: Manifest;
let ropa: Ropa;
beforeAll(async () => {
  manifest = await loadFixture();
  ropa = buildRopa(manifest);
});

describe("CSV", () => {
  it("quotes a value with a comma, a quote and a line break", () => {
    expect(csvField('a,"b"\nc')).toBe('"a,""b""\nc"');
    expect(csvField("plain")).toBe("plain");
    expect(parseCsv(csvRecord(['a,"b"\nc', "x", ""]))).toEqual([['a,"b"\nc', "x", ""]]);
  });

  it("reads back any record it writes", () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.string({ unit: "binary" }), { minLength: 1, maxLength: 5 }), {
          minLength: 1,
          maxLength: 5,
        }),
        (rows) => {
          const text = rows.map(csvRecord).join("");
          // A record of one empty field is an empty line; RFC 4180 readers keep it, and so does ours.
          expect(parseCsv(text)).toEqual(rows);
        },
      ),
    );
  });

  it("has one row per activity, with a record column for 30(1) and 30(2)", () => {
    const rows = parseCsv(renderRopa(ropa, "csv"));
    const [head, ...body] = rows;
    expect(head).toEqual([...ROPA_CSV_COLUMNS]);
    expect(body).toHaveLength(manifest.purposes.length);
    for (const r of body) expect(r).toHaveLength(ROPA_CSV_COLUMNS.length);
    const col = (name: (typeof ROPA_CSV_COLUMNS)[number]) => ROPA_CSV_COLUMNS.indexOf(name);
    const byKey = new Map(body.map((r) => [r[col("activity_key")], r]));
    expect(byKey.get("provide_courses")?.[col("description")]).toBe(
      manifest.purposes.find((p) => p.key === "provide_courses")?.description,
    );
    const degree = byKey.get("degree_programs")!;
    expect(degree[col("record")]).toBe("30(2)");
    expect(degree[col("controller")]).toBe("Partner universities");
    expect(degree[col("processor")]).toMatch(/^Example Learning, Inc\., privacy@example-learning\.test/);
    expect(degree[col("stores")]).toBe("app.degree_enrollments");
    const pay = byKey.get("payments")!;
    expect(pay[col("record")]).toBe("30(1)");
    expect(pay[col("recipients")]).toBe(
      "Stripe (service provider acting on our instructions; third country: United States)",
    );
    expect(pay[col("third_country_transfers")]).toBe(
      "Example Learning (own hosting) → United States: EU-U.S. DPF, UK Extension to the EU-U.S. DPF; " +
        "Stripe → United States: EU-U.S. DPF, UK Extension to the EU-U.S. DPF",
    );
    expect(byKey.get("identity_verification")?.[col("erasure_time_limits")]).toContain(
      "Identity document image: until identity verification succeeds, then deleted",
    );
    expect(pay[col("representatives")]).toMatch(/^EU: Example Learning Europe B\.V\., .*; UK: Example Learning UK Ltd/);
  });
});

describe("JSON and Markdown", () => {
  it("JSON is the Ropa structure", () => {
    const parsed = JSON.parse(renderRopa(ropa, "json")) as Ropa;
    expect(parsed).toEqual(ropa);
    expect(Object.keys(parsed)).toEqual(["controller", "activities", "processor"]);
  });

  it("Markdown has both records, one table row per activity", () => {
    const md = renderRopa(ropa, "md");
    expect(md).toContain("## Controller's record (Art. 30(1))");
    expect(md).toContain("## Processor's record (Art. 30(2))");
    for (const p of manifest.purposes)
      expect(md.split("\n").filter((l) => l.startsWith(`| ${p.name} |`))).toHaveLength(1);
    expect(md).toContain("| Representative (UK, Art. 27) | Example Learning UK Ltd,");
    expect(md).toMatch(/\| Partner universities \| https:\/\/university\.example\/privacy \|/);
    expect(md).not.toContain("<script>");
  });

  it("escapes a pipe in a Markdown cell", () => {
    const piped = { ...ropa, activities: [{ ...ropa.activities[0]!, description: "a | b" }] };
    expect(renderRopa(piped, "md")).toContain("| a \\| b |");
  });
});

describe("steward ropa", () => {
  it("prints CSV for the manifest folder", async () => {
    const { stdout } = await promisify(execFile)("npx", [
      "tsx",
      "src/cli/main.ts",
      "ropa",
      FIXTURE_DIR,
      "--format",
      "csv",
    ]);
    expect(stdout).toBe(renderRopa(ropa, "csv"));
  });
});
