import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { isStewardError } from "../../src/errors.ts";
import { redactUrl, resolveStoreTarget } from "../../src/store/store-options.ts";

const env = { STEWARD_DATABASE_URL: "postgres://steward:pw@db.internal:5432/steward" };

describe("resolveStoreTarget", () => {
  it("defaults to an embedded store in .steward/", () => {
    expect(resolveStoreTarget({}, {})).toMatchObject({ backend: "pglite", dir: resolve(".steward/pglite") });
  });
  it("uses STEWARD_DATABASE_URL when no flag says otherwise, without the password in its display", () => {
    const target = resolveStoreTarget({}, env);
    expect(target).toMatchObject({ backend: "postgres", url: env.STEWARD_DATABASE_URL });
    expect(target.display).toBe("postgres://steward@db.internal:5432/steward");
  });
  it("lets --data-dir and in-memory win over the environment", () => {
    expect(resolveStoreTarget({ dataDir: "/srv/steward" }, env)).toMatchObject({
      backend: "pglite",
      dir: "/srv/steward/pglite",
    });
    expect(resolveStoreTarget({ inMemory: true }, env)).toMatchObject({ backend: "pglite", dir: undefined });
  });
  it("refuses a URL that is not PostgreSQL, naming the allowed schemes and hiding the password", () => {
    let caught: unknown;
    try {
      resolveStoreTarget({ databaseUrl: "mysql://root:hunter2@127.0.0.1/x" }, {});
    } catch (error) {
      caught = error;
    }
    expect(isStewardError(caught) && caught.code).toBe("STW_DB_BAD_URL");
    expect(String((caught as Error).message)).toContain("postgres://");
    expect(String((caught as Error).message)).not.toContain("hunter2");
  });
  it("redacts passwords from URLs", () => {
    expect(redactUrl("postgres://a:b@h/d")).toBe("postgres://a@h/d");
    expect(redactUrl("not a url")).toBe("(unparsable database URL)");
  });
});
