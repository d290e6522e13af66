import { describe, expect, it } from "vitest";
import { batchSizeFor, chunkKeys } from "../../src/connectors/chunk-keys.ts";
import { redactUrl } from "../../src/connectors/connection-url.ts";

describe("chunkKeys", () => {
  it("splits keys into chunks of the size, duplicates removed, order kept", () => {
    expect([...chunkKeys([1, 2, 2, 3, 4, 5], 2)]).toEqual([[1, 2], [3, 4], [5]]);
    expect([...chunkKeys([], 3)]).toEqual([]);
    expect(() => [...chunkKeys([1], 0)]).toThrow(RangeError);
  });

  it("takes keys the caller says are distinct as they are", () => {
    expect([...chunkKeys([1, 2, 3, 4, 5], 2, true)]).toEqual([[1, 2], [3, 4], [5]]);
    expect([...chunkKeys([], 2, true)]).toEqual([]);
  });

  it("never lets a batch exceed what the store accepts", () => {
    expect(batchSizeFor(undefined, 65_535)).toBe(1000);
    expect(batchSizeFor(1_000_000, 65_535)).toBe(65_535);
    expect(batchSizeFor(0, 10)).toBe(1);
  });
});

describe("redactUrl", () => {
  it("hides the password and keeps the rest", () => {
    expect(redactUrl("postgres://alice:s3cret@db:5432/app")).toBe("postgres://alice:***@db:5432/app");
    expect(redactUrl("postgres://alice@db/app")).toBe("postgres://alice@db/app");
  });
});
