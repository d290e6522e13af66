/** The order a split store's keys are shared out in: whole numbers by value (as text or numbers), the rest as text. */
import { describe, expect, it } from "vitest";
import { compareKeys } from "../../src/engine/write-changes.ts";

describe("compareKeys", () => {
  it("orders whole numbers by value, as BigInt would", () => {
    const keys = ["10", "9", "-3", "-12", "0", "-0", "007", "123456789012345678901234567890", 5, -1, "2"];
    const byValue = [...keys].sort((a, b) => {
      const d = BigInt(String(a)) - BigInt(String(b));
      return d < 0n ? -1 : d > 0n ? 1 : 0;
    });
    expect([...keys].sort(compareKeys).map((k) => BigInt(String(k)))).toEqual(byValue.map((k) => BigInt(String(k))));
    expect(compareKeys("-0", "0")).toBe(0);
    expect(compareKeys("007", "7")).toBe(0);
  });

  it("orders anything else as text", () => {
    expect(["b", "a", "10a", "c"].sort(compareKeys)).toEqual(["10a", "a", "b", "c"]);
  });
});
