/** Which lookups found each row: a bit mask per row, or a set per row where a collection has more lookups than bits. */
import { describe, expect, it } from "vitest";
import { FoundBy } from "../../src/engine/find-rows.ts";

describe("FoundBy", () => {
  for (const lookups of [3, 31, 40]) {
    it(`records and answers for a collection of ${lookups} lookups`, () => {
      const by = new FoundBy(lookups);
      const last = lookups - 1;
      by.push(0);
      by.push(last);
      by.add(0, 2);
      by.add(0, 0);
      by.add(1, last);
      expect(by.of(0)).toEqual([0, 2]);
      expect(by.of(1)).toEqual([last]);
      expect(by.has(0, 2)).toBe(true);
      expect(by.has(0, 1)).toBe(false);
      expect(by.has(1, last)).toBe(true);
      // A row it does not hold was found by nothing.
      expect(by.of(2)).toEqual([]);
      expect(by.has(2, 0)).toBe(false);
      // `every` answers as `of(row).every` does, without the list.
      for (const row of [0, 1, 2])
        for (const test of [(j: number) => j === 0, (j: number) => j !== 1, (j: number) => j >= 2])
          expect(by.every(row, test)).toBe(by.of(row).every(test));
    });
  }
});
