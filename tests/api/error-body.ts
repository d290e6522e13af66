import { expect } from "vitest";

/** Every error answer is exactly `{code, message}` (plus `location` for manifest errors) and shows no stack. */
export function expectCodedError(body: string, code: string): { code: string; message: string } {
  const parsed = JSON.parse(body) as Record<string, unknown>;
  expect(parsed["code"]).toBe(code);
  expect(typeof parsed["message"]).toBe("string");
  expect(Object.keys(parsed).filter((k) => k !== "location")).toEqual(["code", "message"]);
  expect(body).not.toMatch(/stack|\.ts:\d+|node_modules|\n\s+at /);
  return parsed as { code: string; message: string };
}
