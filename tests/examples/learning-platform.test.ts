import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { runChecks } from "../../src/check/run-checks.ts";
import { readManifestFiles } from "../../src/fs/load-manifest-dir.ts";
import { parseManifest } from "../../src/manifest/parse-manifest.ts";
import type { Manifest } from "../../src/manifest/types.ts";

const dir = join(import.meta.dirname, "..", "..", "examples", "learning-platform");
/**
 * The seed notice sits in the shared folder beside the checkout; a clone made elsewhere (e.g. in /tmp) finds it through
 * STEWARD_SHARED_DIR or the machine's /work/shared.
 */
const seedPath =
  [process.env["STEWARD_SHARED_DIR"], join(import.meta.dirname, "..", "..", "..", "shared"), "/work/shared"]
    .filter((d): d is string => Boolean(d))
    .map((d) => join(d, "seed", "privacy-notice.md"))
    .find((p) => existsSync(p)) ?? join(import.meta.dirname, "..", "..", "..", "shared", "seed", "privacy-notice.md");

let manifest: Manifest;
beforeAll(async () => {
  const result = parseManifest(await readManifestFiles(dir), dir);
  expect(result.errors.map((e) => e.message)).toEqual([]);
  manifest = result.manifest!;
});

/** Every string value in a YAML document (descriptions, reasons, prose). */
function strings(value: unknown): string[] {
  // A URL is an address, not prose: the seed's links (policies, DPF record) are facts the manifest must keep.
  if (typeof value === "string") return /^https?:\/\/\S+$/.test(value) ? [] : [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === "object") return Object.values(value).flatMap(strings);
  return [];
}

const words = (text: string) => text.toLowerCase().match(/[a-z0-9']+/g) ?? [];

describe("the reference deployment (examples/learning-platform)", () => {
  it("passes `steward check` with no error", () => {
    const report = runChecks(manifest);
    expect(report.errors.map((f) => `${f.code} ${f.message}`)).toEqual([]);
  });

  it("has no warning either: every deadline states its law's figure (SC015)", () => {
    expect(runChecks(manifest).warnings.map((f) => `${f.code} ${f.message}`)).toEqual([]);
  });

  it("lets people opt out and withdraw consent without an identity check, and asks for one for the rest", () => {
    const ca = manifest.rights.find((r) => r.jurisdiction === "us_ca")!;
    expect(ca.requests).toContain("opt_out_sale_sharing");
    expect(ca.verification).toMatchObject({ opt_out_sale_sharing: "none", access: "email", erasure: "email" });
    const eea = manifest.rights.find((r) => r.jurisdiction === "eea")!;
    expect(eea.deadline).toEqual({ amount: 1, unit: "months" });
    expect(eea.verification).toMatchObject({ withdraw_consent: "none", access: "email", erasure: "email" });
  });

  it("encodes the notice's facts: controller, representatives, authorities, transfers, children, processor role", () => {
    const org = manifest.organization!;
    expect(org.address.country).toBe("US");
    expect(org.representatives.map((r) => r.region).sort()).toEqual(["EU", "UK"]);
    expect(org.supervisory_authorities.map((a) => a.country).sort()).toEqual(["GB", "NL"]);
    expect(org.transfers?.mechanisms).toEqual(
      expect.arrayContaining(["eu_us_dpf", "uk_extension_dpf", "swiss_us_dpf"]),
    );
    expect(org.minimum_age).toBe(13);
    expect(manifest.purposes.some((p) => p.processor_for === "partner_universities")).toBe(true);
    expect(manifest.notice?.effective_date).toBe("2025-01-01");
    expect(manifest.notice?.sections).toHaveLength(18);
    const photoRule = manifest.retention.find(
      (r) => r.trigger.kind === "event" && r.trigger.event === "identity_verification.succeeded",
    );
    expect(photoRule?.data_categories).toContain("user.government_id.identity_document");
  });

  it("holds the datasets over two databases, PostgreSQL and MariaDB, with a cross-database reference", () => {
    expect(manifest.datasets.map((d) => [d.fides_key, d.connection?.kind])).toEqual(
      expect.arrayContaining([
        ["learning_app", "postgres"],
        ["learning_analytics", "mysql"],
      ]),
    );
    const analytics = manifest.datasets.find((d) => d.fides_key === "learning_analytics")!;
    const crossRefs = analytics.collections
      .flatMap((c) => c.fields.flatMap((f) => f.references))
      .filter((r) => r.dataset === "learning_app");
    expect(crossRefs.length).toBeGreaterThan(0);
  });

  it("is written in our own words: no run of 10 words is copied from the seed notice", () => {
    const seed = words(readFileSync(seedPath, "utf8"));
    const shingles = new Set<string>();
    for (let i = 0; i + 10 <= seed.length; i++) shingles.add(seed.slice(i, i + 10).join(" "));
    const copied: string[] = [];
    for (const file of readdirSync(dir, { recursive: true }) as string[]) {
      if (!/\.ya?ml$/.test(file)) continue;
      for (const text of strings(parse(readFileSync(join(dir, file), "utf8")))) {
        const w = words(text);
        for (let i = 0; i + 10 <= w.length; i++) {
          const run = w.slice(i, i + 10).join(" ");
          if (shingles.has(run)) copied.push(`${file}: "${run}"`);
        }
      }
    }
    expect(copied).toEqual([]);
  });
});

describe("TRACEABILITY.md", () => {
  const table = readFileSync(join(dir, "TRACEABILITY.md"), "utf8");
  const docs = new Map<string, unknown>();
  const doc = (file: string) => {
    if (!docs.has(file)) docs.set(file, parse(readFileSync(join(dir, file), "utf8")));
    return docs.get(file);
  };

  /** Resolves `file#key.path`: the first segment names a resource of a list (or a key of a single resource). */
  function resolves(file: string, path: string): boolean {
    const top = doc(file) as Record<string, unknown>;
    const [section] = Object.keys(top);
    let node: unknown = top[section!];
    const segments = path.split(".");
    if (Array.isArray(node)) {
      // keys may contain dots (taxonomy-like keys): take the longest resource key that prefixes the path
      const items = node as Record<string, unknown>[];
      const id = (i: Record<string, unknown>) => String(i["key"] ?? i["fides_key"] ?? i["jurisdiction"]);
      const match = items
        .filter((i) => path === id(i) || path.startsWith(`${id(i)}.`))
        .sort((a, b) => id(b).length - id(a).length)[0];
      if (!match) return false;
      node = match;
      segments.splice(0, id(match).split(".").length);
    }
    for (const s of segments) {
      if (node && typeof node === "object" && s in (node as object)) node = (node as Record<string, unknown>)[s];
      else if (Array.isArray(node) && node.some((x) => x?.key === s || x === s))
        node = node.find((x) => x?.key === s || x === s);
      else return false;
    }
    return true;
  }

  it("has a row for every clause, and every manifest element it names exists", () => {
    const rows = table.split("\n").filter((l) => /^\|\s*\d+\s*\|/.test(l));
    expect(rows.length).toBeGreaterThan(150);
    const broken: string[] = [];
    let checked = 0;
    for (const row of rows) {
      let file = "";
      for (const [, ref] of row.matchAll(/`([a-z_./]*#[a-zA-Z0-9_.-]+)`/g)) {
        const [f, path] = ref!.split("#") as [string, string];
        if (f) file = f;
        if (!file || file.includes("*") || !file.endsWith(".yml")) continue;
        checked++;
        if (!resolves(file, path)) broken.push(`${file}#${path}`);
      }
    }
    expect(checked).toBeGreaterThan(150);
    expect(broken).toEqual([]);
  });
});
