import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { ERRORS, isStewardError } from "../../src/errors.ts";
import { parseManifest } from "../../src/manifest/parse-manifest.ts";
import { BASE } from "./helpers.ts";

const codes = new Set(Object.keys(ERRORS));

/** Parsing never throws; it returns a manifest or coded errors, each with a location. */
function expectCodedOutcome(files: { path: string; text: string }[]) {
  const result = parseManifest(files, "fuzz");
  if (result.manifest) {
    expect(result.errors).toHaveLength(0);
    return;
  }
  expect(result.errors.length).toBeGreaterThan(0);
  for (const e of result.errors) {
    expect(isStewardError(e)).toBe(true);
    expect(codes.has(e.code)).toBe(true);
    expect(e.location?.file).toBeDefined();
  }
}

const keyish = fc.constantFrom(
  "organization",
  "taxonomy",
  "purposes",
  "systems",
  "sources",
  "exemptions",
  "dataset",
  "retention",
  "rights",
  "notice",
  "key",
  "name",
  "fides_key",
  "collections",
  "fields",
  "data_categories",
  "fides_meta",
  "references",
  "erasure",
  "legal_basis",
  "period",
  "from",
  "x",
);

describe("the loader under fuzzing", () => {
  it("arbitrary text never crashes it", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => expectCodedOutcome([{ path: "a.yml", text }])),
      { numRuns: 300 },
    );
  });

  it("arbitrary YAML structures built from manifest keys never crash it", () => {
    const value = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: "small" },
        fc.string({ maxLength: 12 }),
        fc.integer(),
        fc.boolean(),
        fc.constant(null),
        fc.array(tie("node"), { maxLength: 4 }),
        fc.dictionary(keyish, tie("node"), { maxKeys: 5 }),
      ),
    })).node;
    fc.assert(
      fc.property(fc.dictionary(keyish, value, { maxKeys: 4 }), (doc) =>
        expectCodedOutcome([{ path: "a.yml", text: stringify(doc) }]),
      ),
      { numRuns: 400 },
    );
  });

  it("mutations of a valid manifest (deleted or duplicated lines, swapped characters) never crash it", () => {
    const files = Object.entries(BASE).map(([path, text]) => ({ path, text: text as string }));
    fc.assert(
      fc.property(
        fc.nat({ max: files.length - 1 }),
        fc.nat(),
        fc.constantFrom("delete", "duplicate", "swap", "indent"),
        (fileIndex, lineSeed, op) => {
          const file = files[fileIndex]!;
          const lines = file.text.split("\n");
          const i = lineSeed % lines.length;
          const line = lines[i]!;
          if (op === "delete") lines.splice(i, 1);
          else if (op === "duplicate") lines.splice(i, 0, line);
          else if (op === "indent") lines[i] = ` ${line}`;
          else lines[i] = line.split("").reverse().join("");
          const mutated = files.map((f, j) => (j === fileIndex ? { ...f, text: lines.join("\n") } : f));
          expectCodedOutcome(mutated);
        },
      ),
      { numRuns: 400 },
    );
  });

  it("a YAML alias bomb is refused, not expanded", () => {
    const bomb = `a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n`;
    expectCodedOutcome([{ path: "bomb.yml", text: bomb }]);
  });
});
