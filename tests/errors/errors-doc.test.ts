import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { renderChecksDoc, renderErrorsDoc } from "../../scripts/errors-doc.ts";
import { CHECK_RULES } from "../../src/check/rules.ts";
import { ERRORS, type ErrorCode, stewardError } from "../../src/errors.ts";

const root = join(import.meta.dirname, "..", "..");

describe("the error registry and its docs", () => {
  it("docs/errors.md is the registry's rendering (run `npm run docs:errors` after changing src/errors.ts)", () => {
    expect(readFileSync(join(root, "docs", "errors.md"), "utf8")).toBe(renderErrorsDoc());
  });
  it("docs/checks.md is the lint rules' rendering", () => {
    expect(readFileSync(join(root, "docs", "checks.md"), "utf8")).toBe(renderChecksDoc());
  });
  it("codes are unique and well formed", () => {
    for (const code of Object.keys(ERRORS)) expect(code).toMatch(/^STW_[A-Z0-9_]+$/);
    const checkCodes = Object.values(CHECK_RULES).map((r) => r.code);
    expect(new Set(checkCodes).size).toBe(checkCodes.length);
  });
  it("every error carries its code, status and fix in the message", () => {
    for (const [code, definition] of Object.entries(ERRORS)) {
      expect(definition.fix.length).toBeGreaterThan(10);
      expect(definition.status).toBeGreaterThanOrEqual(400);
      const e = stewardError(
        code as ErrorCode,
        new Proxy({}, { get: (_t, k) => (k === "allowed" ? ["A", "B"] : "VALUE") }) as never,
      );
      expect(e.code).toBe(code);
      expect(e.message).toContain(definition.fix);
      expect(e.toJSON()).toMatchObject({ code });
    }
  });
});
