import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type ColumnShape, columnTypeOf, isMasked, type MaskRequest, maskValue } from "../../src/engine/mask.ts";
import { MASK_STRATEGIES } from "../../src/manifest/types.ts";

const secret = new Uint8Array(32).fill(7);
const text = (over: Partial<ColumnShape> = {}): ColumnShape => ({
  type: "string",
  nullable: true,
  unique: false,
  reference: false,
  ...over,
});
const mask = (strategy: MaskRequest["strategy"], value?: string): MaskRequest => ({
  strategy,
  secret,
  ...(value !== undefined ? { value } : {}),
});

describe("maskValue", () => {
  it("null clears a nullable column and invents a valid value for a NOT NULL one", () => {
    expect(maskValue("ada@example.com", text(), mask("null"), "k")).toEqual({ kind: "set", value: null });
    const notNull = maskValue("ada@example.com", text({ nullable: false }), mask("null"), "k");
    expect(notNull.kind === "set" && String(notNull.value)).toMatch(/^~r[0-9a-f]{22}$/);
    expect(notNull.kind === "set" && notNull.note).toMatch(/NOT NULL/);
  });

  it("fixed writes the value, cut to the column, and stays distinct per row on a UNIQUE column", () => {
    expect(maskValue("Ada", text({ maxLength: 5 }), mask("fixed", "REDACTED"), "k")).toEqual({
      kind: "set",
      value: "REDAC",
    });
    const a = maskValue("a@x", text({ unique: true }), mask("fixed", "gone"), "row1");
    const b = maskValue("b@x", text({ unique: true }), mask("fixed", "gone"), "row2");
    expect(a.kind === "set" && String(a.value)).toMatch(/^gone~[0-9a-f]{12}$/);
    expect(a).not.toEqual(b);
  });

  it("hash and hmac are deterministic per value; hmac depends on the request's secret", () => {
    const h1 = maskValue("ada@example.com", text(), mask("hash"), "k");
    const h2 = maskValue("ada@example.com", text(), mask("hash"), "other-row");
    expect(h1).toEqual(h2);
    expect(h1.kind === "set" && String(h1.value)).toMatch(/^~h[0-9a-f]{64}$/);
    const k1 = maskValue("ada@example.com", text(), mask("hmac"), "k");
    const k2 = maskValue("ada@example.com", text(), { strategy: "hmac", secret: new Uint8Array(32) }, "k");
    expect(k1.kind === "set" && String(k1.value)).toMatch(/^~k[0-9a-f]{64}$/);
    expect(k1).not.toEqual(k2);
    expect(maskValue("ada@example.com", text({ maxLength: 10 }), mask("hash"), "k")).toMatchObject({
      value: expect.stringMatching(/^~h[0-9a-f]{8}$/),
    });
  });

  it("numbers, dates and booleans: NULL where allowed, a neutral value where not, kept where neither is valid", () => {
    const int = (over: Partial<ColumnShape>): ColumnShape => ({ ...text(over), type: "integer" });
    expect(maskValue(42, int({}), mask("hash"), "k")).toMatchObject({ kind: "set", value: null });
    expect(maskValue(42, int({ nullable: false }), mask("null"), "k")).toMatchObject({ kind: "set", value: 0 });
    expect(maskValue(42, int({ nullable: false, reference: true }), mask("null"), "k")).toMatchObject({
      kind: "retain",
      why: expect.stringMatching(/reference/),
    });
    expect(maskValue(42, int({ nullable: false, unique: true }), mask("null"), "k").kind).toBe("retain");
    const date: ColumnShape = { ...text({ nullable: false }), type: "date" };
    expect(maskValue(new Date("1990-04-01"), date, mask("null"), "k")).toMatchObject({ value: "1970-01-01" });
    expect(maskValue(new Date(0), date, mask("null"), "k")).toEqual({ kind: "unchanged" });
    // A DATE read back by a driver as local midnight of the epoch day is already masked, in any time zone.
    expect(maskValue(new Date(1970, 0, 1), date, mask("null"), "k")).toEqual({ kind: "unchanged" });
  });

  it("a personal value that starts like a mask is still masked", () => {
    for (const value of ["~robert", "~rab", "~h", "~k12"])
      expect(maskValue(value, text(), mask("hash"), "k")).toMatchObject({ kind: "set" });
    expect(maskValue("~", text({ maxLength: 5 }), mask("null"), "k")).toEqual({ kind: "set", value: null });
    // A mask cut to fit a short column is recognised there.
    expect(maskValue("~r3f9", text({ maxLength: 5, nullable: false }), mask("random"), "k")).toEqual({
      kind: "unchanged",
    });
  });

  it("maps store and manifest type names to what masking needs", () => {
    expect(columnTypeOf("character varying(100)")).toBe("string");
    expect(columnTypeOf("tinyint(1)")).toBe("boolean");
    expect(columnTypeOf("bigint unsigned")).toBe("integer");
    expect(columnTypeOf("decimal(4,3)")).toBe("number");
    expect(columnTypeOf("timestamp with time zone")).toBe("date");
    expect(columnTypeOf("jsonb")).toBe("json");
    expect(columnTypeOf(undefined)).toBe("string");
  });

  it("property: every mask is a valid value for its column and a fixed point — masking again changes nothing", () => {
    const shape = fc.record({
      type: fc.constantFrom<ColumnShape["type"]>("string", "integer", "number", "boolean", "date", "json"),
      nullable: fc.boolean(),
      unique: fc.boolean(),
      reference: fc.boolean(),
      maxLength: fc.option(fc.integer({ min: 2, max: 80 }), { nil: undefined }),
    });
    fc.assert(
      fc.property(
        shape,
        fc.constantFrom(...MASK_STRATEGIES),
        fc.string({ minLength: 1, maxLength: 40 }).filter((s) => !s.startsWith("~")),
        fc.string({ maxLength: 12 }),
        (rawShape, strategy, value, fixed) => {
          const column: ColumnShape = {
            type: rawShape.type,
            nullable: rawShape.nullable,
            unique: rawShape.unique,
            reference: rawShape.reference,
            ...(rawShape.maxLength !== undefined ? { maxLength: rawShape.maxLength } : {}),
          };
          const request = mask(strategy, fixed);
          const current = column.type === "string" ? value.slice(0, column.maxLength ?? 40) : 17;
          const outcome = maskValue(current, column, request, `row-${value}`);
          if (outcome.kind !== "set") return;
          if (outcome.value === null) expect(column.nullable).toBe(true);
          if (typeof outcome.value === "string" && column.type === "string" && column.maxLength !== undefined)
            expect(outcome.value.length).toBeLessThanOrEqual(column.maxLength);
          if (outcome.value !== "" || strategy !== "fixed")
            expect(maskValue(outcome.value, column, request, `row-${value}`)).toEqual({ kind: "unchanged" });
          expect(isMasked(outcome.value, column, request) || outcome.value === "").toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });
});
