import { describe, expect, it } from "vitest";
import { openConnector } from "../../src/connectors/open-connector.ts";

describe("openConnector", () => {
  it.each([
    ["postgres://postgres@127.0.0.1:5432/test", "postgres", true],
    ["mysql://root@127.0.0.1:3306/test", "mysql", false],
  ])("opens %s as a %s connector", async (url, kind, returning) => {
    const db = await openConnector(url);
    try {
      expect(db.kind).toBe(kind);
      expect(db.capabilities.supportsReturning).toBe(returning);
      expect(db.capabilities.maxParameters).toBeGreaterThan(0);
    } finally {
      await db.close();
    }
  });

  it("refuses an unknown scheme with STW_DB_BAD_URL, naming the allowed ones and hiding the password", async () => {
    const error = await openConnector("sqlserver://sa:s3cret@127.0.0.1/app").catch((e: Error) => e);
    expect(error).toMatchObject({ code: "STW_DB_BAD_URL" });
    expect((error as Error).message).toContain("postgres://");
    expect((error as Error).message).not.toContain("s3cret");
  });
});
