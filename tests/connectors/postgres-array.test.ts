/** A key list written as one PostgreSQL array literal, read back by the server as the same values. */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { arrayParameter } from "../../src/connectors/postgres/postgres-array.ts";

describe("arrayParameter", () => {
  it("writes strings and numbers as one literal, and leaves other lists to pg", () => {
    expect(arrayParameter(["1", "-2", 3, 10n])).toBe("{1,-2,3,10}");
    expect(arrayParameter(["a b", 'q"uote', "back\\slash", "", "NULL", "{x,y}", 1.5])).toBe(
      '{"a b","q\\"uote","back\\\\slash","","NULL","{x,y}","1.5"}',
    );
    expect(arrayParameter([])).toBe("{}");
    const dates = [new Date(0)];
    expect(arrayParameter(dates)).toBe(dates);
    const withNull = ["a", null];
    expect(arrayParameter(withNull)).toBe(withNull);
  });

  describe("on the server", () => {
    let client: pg.Client;
    beforeAll(async () => {
      client = new pg.Client({ connectionString: "postgres://postgres@127.0.0.1:5432/postgres" });
      await client.connect();
    });
    afterAll(() => client.end());

    it("reads back every value as it was", async () => {
      const texts = ["plain", "a b", 'q"uote', "back\\slash", "", "NULL", "{x,y}", "comma,", " lead", "ümlaut", "007"];
      const { rows } = await client.query<{ v: string[] }>("SELECT $1::text[] AS v", [arrayParameter(texts)]);
      expect(rows[0]!.v).toEqual(texts);
      const numbers = await client.query<{ v: string[] }>("SELECT $1::bigint[]::text[] AS v", [
        arrayParameter(["1", -2, 9007199254740993n]),
      ]);
      expect(numbers.rows[0]!.v).toEqual(["1", "-2", "9007199254740993"]);
    });
  });
});
