import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { BASE } from "../manifest/helpers.ts";
import { steward } from "./run-cli.ts";

function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "stw-cli-"));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

describe("steward check (the CLI)", () => {
  it("exits 0 on a clean manifest and prints the summary", () => {
    const r = steward(["check", folder(BASE)]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("0 errors, 0 warnings");
  });

  it("exits 1 with findings, and --json gives {errors, warnings, summary} with codes and locations", () => {
    const dir = folder({ ...BASE, "purposes.yml": BASE["purposes.yml"].replace("    dpa: DPA-1\n", "") });
    const r = steward(["check", dir, "--json"]);
    expect(r.code).toBe(1);
    const json = JSON.parse(r.stdout);
    expect(Object.keys(json)).toEqual(["errors", "warnings", "summary"]);
    expect(json.errors).toEqual([
      expect.objectContaining({ code: "SC008", severity: "error", location: expect.objectContaining({ line: 10 }) }),
    ]);
    expect(json.summary).toMatchObject({ usable: true, errors: 1 });
  });

  it("exits 2 on unusable input, with every loading error coded and located", () => {
    const dir = folder({
      "a.yml": "purposes:\n  - key: p\n    name: P\n    description: D\n    data_use: essential.servce\n",
    });
    const r = steward(["check", dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("error STW_MANIFEST_UNKNOWN_REFERENCE: ");
    expect(r.stderr).toContain('a.yml:5:15: unknown data use "essential.servce" — did you mean "essential.service"?');
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    const json = JSON.parse(steward(["check", dir, "--json"]).stdout);
    expect(json.summary.usable).toBe(false);
  });

  it("turns a missing folder, an unknown command and a bad option into coded errors", () => {
    expect(steward(["check", "/no/such/dir"])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining("STW_MANIFEST_DIR_NOT_FOUND"),
    });
    expect(steward(["chek"])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining("STW_CLI_USAGE: unknown command 'chek'"),
    });
    expect(steward(["export", folder(BASE), "--format", "xml"]).stderr).toContain(
      'STW_CLI_BAD_OPTION: option --format does not take "xml"',
    );
  });

  it("import fides writes Steward datasets that check reads, and refuses to overwrite", () => {
    const out = mkdtempSync(join(tmpdir(), "stw-import-"));
    const fixture = join(import.meta.dirname, "..", "fixtures", "fides", "bookshop.yml");
    const r = steward(["import", "fides", fixture, "--out", out]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("imported 1 dataset(s), 4 collection(s)");
    const check = steward(["check", out, "--json"]);
    expect(JSON.parse(check.stdout).summary).toMatchObject({ usable: true, datasets: 1, collections: 4 });
    expect(steward(["import", "fides", fixture, "--out", out])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining("STW_FILE_EXISTS"),
    });
  });
});
