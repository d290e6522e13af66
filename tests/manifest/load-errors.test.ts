import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadManifestDir } from "../../src/fs/load-manifest-dir.ts";
import { verificationFor } from "../../src/manifest/verification-for.ts";
import { BASE, load, parse } from "./helpers.ts";

/** The single error a broken manifest gives (the test fails if there are more or none). */
function onlyError(files: Record<string, string>) {
  const { manifest, errors } = parse(files);
  expect(manifest).toBeUndefined();
  expect(errors.map((e) => e.message)).toHaveLength(1);
  return errors[0]!;
}

const withPurposes = (yaml: string) => ({
  ...BASE,
  "purposes.yml": BASE["purposes.yml"].replace(/purposes:\n[\s\S]*?systems:/, `purposes:\n${yaml}systems:`),
});

describe("loading a manifest", () => {
  it("loads the base manifest, merging resources spread over files, with the default taxonomy", () => {
    const m = load(BASE);
    expect(m.organization?.legal_name).toBe("Acme Learning Ltd");
    expect(m.purposes.map((p) => p.key)).toEqual(["accounts"]);
    expect(m.datasets[0]?.collections.map((c) => c.name)).toEqual(["users", "posts"]);
    expect(m.taxonomy.data_categories.get("user.contact.email")?.is_default).toBe(true);
    expect(m.purposes[0]?.at).toEqual({ file: "purposes.yml", line: 2, column: 5 });
    expect(Object.isFrozen(m.purposes[0])).toBe(true);
  });

  it("names a missing folder", async () => {
    await expect(loadManifestDir("/no/such/folder")).rejects.toMatchObject({ code: "STW_MANIFEST_DIR_NOT_FOUND" });
    const empty = mkdtempSync(join(tmpdir(), "stw-empty-"));
    await expect(loadManifestDir(empty)).rejects.toMatchObject({ code: "STW_MANIFEST_DIR_NOT_FOUND" });
  });

  it("reads a folder from disk and reports the file path of an error", async () => {
    const dir = mkdtempSync(join(tmpdir(), "stw-dir-"));
    writeFileSync(
      join(dir, "a.yml"),
      "purposes:\n  - key: x\n    name: X\n    description: D\n    data_use: essential.service\n    nme: X\n",
    );
    const error = await loadManifestDir(dir).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: "STW_MANIFEST_UNKNOWN_KEY",
      location: { file: join(dir, "a.yml"), line: 6, column: 5 },
    });
  });

  it("reports YAML syntax errors with line and column", () => {
    const { errors } = parse({ "a.yml": "purposes:\n  - key: x\n   name: [unclosed\n" });
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.every((x) => x.code === "STW_MANIFEST_YAML_SYNTAX")).toBe(true);
    const e = errors[0]!;
    expect(e.location?.file).toBe("a.yml");
    expect(e.location?.line).toBeGreaterThan(1);
  });

  it("rejects a file whose top level is not a mapping", () => {
    expect(onlyError({ "a.yml": "- 1\n- 2\n" }).code).toBe("STW_MANIFEST_NOT_A_MAPPING");
  });

  it("rejects an unknown top-level key with a did-you-mean", () => {
    const e = onlyError({ "a.yml": "purpose:\n  - key: x\n" });
    expect(e.code).toBe("STW_MANIFEST_UNKNOWN_KEY");
    expect(e.message).toContain('did you mean "purposes"');
    expect(e.location).toEqual({ file: "a.yml", line: 1, column: 1 });
  });

  it("rejects an unknown nested key, listing the allowed keys", () => {
    const e = onlyError(
      withPurposes(
        "  - key: p\n    name: P\n    description: D\n    data_use: essential.service\n    legal_basis: contract\n    recipents: [mailer]\n",
      ),
    );
    expect(e.code).toBe("STW_MANIFEST_UNKNOWN_KEY");
    expect(e.message).toContain('"recipents" — did you mean "recipients"');
    expect(e.message).toContain('"legal_basis"');
    expect(e.location).toMatchObject({ file: "purposes.yml", line: 7, column: 5 });
  });

  it("rejects a value outside an enumeration, naming the allowed values", () => {
    const e = onlyError(
      withPurposes(
        "  - key: p\n    name: P\n    description: D\n    data_use: essential.service\n    legal_basis: consnt\n",
      ),
    );
    expect(e.code).toBe("STW_MANIFEST_INVALID_VALUE");
    expect(e.message).toContain('"consnt"');
    expect(e.message).toContain('did you mean "consent"');
    expect(e.message).toContain('"legitimate_interests"');
    expect(e.location).toMatchObject({ line: 6, column: 18 });
  });

  it("rejects a value of the wrong type", () => {
    const e = onlyError(
      withPurposes(
        "  - key: p\n    name: P\n    description: D\n    data_use: essential.service\n    data_categories: user.contact.email\n",
      ),
    );
    expect(e.code).toBe("STW_MANIFEST_INVALID_VALUE");
    expect(e.message).toContain("data_categories");
  });

  it("names a missing required key and where it is missing", () => {
    const e = onlyError(withPurposes("  - key: p\n    name: P\n    data_use: essential.service\n"));
    expect(e.code).toBe("STW_MANIFEST_MISSING_KEY");
    expect(e.message).toContain('"description"');
    expect(e.message).toContain("purposes.0");
  });

  it("rejects an erasure setting of no known form", () => {
    const files = {
      ...BASE,
      "datasets/app.yml": BASE["datasets/app.yml"].replace(
        "      - name: posts\n",
        "      - name: posts\n        erasure: {action: shred}\n",
      ),
    };
    const e = onlyError(files);
    expect(e.code).toBe("STW_MANIFEST_INVALID_VALUE");
    expect(e.message).toContain("{action: mask, strategy: …}");
  });

  it("rejects a retention rule with no trigger, two triggers, or a period without `from`", () => {
    const rule = (body: string) => ({
      ...BASE,
      "r.yml": `retention:\n  - key: r\n    description: D\n    reason: R\n    data_categories: [user]\n${body}`,
    });
    expect(onlyError(rule("")).code).toBe("STW_MANIFEST_INVALID_VALUE");
    expect(onlyError(rule("    until: x.y\n    legal: tax law\n")).message).toContain("until + legal");
    expect(onlyError(rule("    period: P1Y\n")).code).toBe("STW_MANIFEST_MISSING_KEY");
    expect(onlyError(rule("    period: 1 year\n    from: created_at\n")).message).toContain("ISO 8601");
  });

  it.each([
    [
      "a second purpose with the same key",
      { "more.yml": "purposes:\n  - {key: accounts, name: A, description: D, data_use: essential.service}\n" },
      "purpose",
    ],
    ["organization given twice", { "more.yml": BASE["org.yml"].replace(/notice:[\s\S]*/, "") }, "top-level key"],
    [
      "a custom category that redefines a default one",
      { "t.yml": "taxonomy:\n  data_categories:\n    - {key: user.contact.email, name: E, description: D}\n" },
      "data_categorie",
    ],
  ])("rejects duplicates: %s", (_name, extra, kind) => {
    const e = onlyError({ ...BASE, ...extra });
    expect(e.code).toBe("STW_MANIFEST_DUPLICATE_KEY");
    expect(e.message).toContain(kind);
  });

  it("rejects duplicate collections and fields inside a dataset", () => {
    const dupField = BASE["datasets/app.yml"].replace(
      "          - name: body\n",
      "          - name: body\n            data_categories: [user]\n          - name: body\n",
    );
    expect(onlyError({ ...BASE, "datasets/app.yml": dupField }).message).toContain('field "posts.body"');
    const dupCollection = `${BASE["datasets/app.yml"]}      - name: posts\n        fields: [{name: x, data_categories: [system.operations]}]\n`;
    expect(onlyError({ ...BASE, "datasets/app.yml": dupCollection }).message).toContain('collection "app.posts"');
  });

  it.each([
    ["a data category", "user.contact.emial", 'did you mean "user.contact.email"'],
    ["a data category in a dataset", "user.content.pubic", 'did you mean "user.content.public"'],
  ])("rejects an unknown %s with a did-you-mean", (_what, bad, hint) => {
    const files = _what.includes("dataset")
      ? { ...BASE, "datasets/app.yml": BASE["datasets/app.yml"].replace("user.content.public", bad) }
      : { ...BASE, "purposes.yml": BASE["purposes.yml"].replace("[user.contact.email]", `[${bad}]`) };
    const e = onlyError(files);
    expect(e.code).toBe("STW_MANIFEST_UNKNOWN_REFERENCE");
    expect(e.message).toContain(`unknown data category "${bad}" ${hint.startsWith("did") ? "— " : ""}${hint}`);
    expect(e.location?.line).toBeGreaterThan(1);
  });

  it.each([
    ["data use", (y: string) => y.replace("essential.service", "essential.servce"), "purposes.yml"],
    ["system", (y: string) => y.replace("recipients: [mailer]", "recipients: [mailr]"), "purposes.yml"],
    [
      "controller system",
      (y: string) => y.replace("legal_basis: contract", "legal_basis: contract\n    processor_for: mailer"),
      "purposes.yml",
    ],
    [
      "data subject",
      (y: string) => y.replace("legal_basis: contract", "legal_basis: contract\n    data_subjects: [custmer]"),
      "purposes.yml",
    ],
  ])("rejects an unknown %s", (kind, edit, file) => {
    const files = { ...BASE, [file]: edit(BASE[file as keyof typeof BASE]) };
    const e = onlyError(files);
    expect(e.code).toBe("STW_MANIFEST_UNKNOWN_REFERENCE");
    expect(e.message).toContain(`unknown ${kind} `);
  });

  it.each([
    ["dataset", "dataset: app, field: users.id", "dataset: ap, field: users.id", 'unknown dataset "ap"'],
    ["collection", "dataset: app, field: users.id", "dataset: app, field: user.id", 'unknown collection of app "user"'],
    ["field", "dataset: app, field: users.id", "dataset: app, field: users.uid", 'unknown field of app.users "uid"'],
  ])("rejects a reference to an unknown %s", (_kind, from, to, message) => {
    const e = onlyError({ ...BASE, "datasets/app.yml": BASE["datasets/app.yml"].replace(from, to) });
    expect(e.code).toBe("STW_MANIFEST_UNKNOWN_REFERENCE");
    expect(e.message).toContain(message);
  });

  it("rejects unknown exemptions, exemption columns, retention targets and ordering hints", () => {
    const ds = BASE["datasets/app.yml"].replace(
      "      - name: posts\n",
      "      - name: posts\n        exemptions: [{exemption: legal_hold, where: {pinned: true}}]\n        fides_meta: {after: [app.userz]}\n",
    );
    const extra =
      "exemptions:\n  - {key: legal_hold, name: Hold, reason: A court order., basis: legal_hold, applies_to: [erasure]}\n";
    const { errors } = parse({
      ...BASE,
      "datasets/app.yml": ds,
      "x.yml": extra,
      "r.yml":
        "retention:\n  - {key: r2, description: D, reason: R, data_categories: [user], collections: [app.postz], period: P1Y, from: created_at}\n",
    });
    const messages = errors.map((e) => e.message).join("\n");
    expect(messages).toContain('unknown field of app.posts "pinned"');
    expect(messages).toContain('unknown collection "app.userz"');
    expect(messages).toContain('unknown collection "app.postz"');
    const ok = parse({
      ...BASE,
      "x.yml": extra,
      "r.yml":
        "retention:\n  - {key: r2, description: D, reason: R, data_categories: [user], collections: [app.posts], period: P1Y, from: created}\n",
    });
    expect(ok.errors.map((e) => e.message).join()).toContain('unknown timestamp field of app.posts "created"');
  });

  it("refuses a literal connection URL (a secret must never sit in the manifest)", () => {
    const e = onlyError({
      ...BASE,
      "datasets/app.yml": BASE["datasets/app.yml"].replace("${APP_DATABASE_URL}", "postgres://admin:hunter2@db/app"),
    });
    expect(e.code).toBe("STW_MANIFEST_SECRET_LITERAL");
    expect(e.message).not.toContain("hunter2");
  });

  it("reports every error of a run, not only the first", () => {
    const { errors } = parse({ "a.yml": "purpose: []\n", "b.yml": "systms: []\n", "c.yml": "notice: {title: T}\n" });
    expect(errors.length).toBeGreaterThanOrEqual(3);
  });

  it("accepts the older `fidesops_meta` spelling of real Fides files", () => {
    const m = load({
      ...BASE,
      "datasets/app.yml": BASE["datasets/app.yml"].replace(
        "fides_meta: {identity: email}",
        "fidesops_meta: {identity: email}",
      ),
    });
    expect(m.datasets[0]?.collections[0]?.fields[1]?.identity).toBe("email");
  });
});

describe("rights: deadlines in the law's unit, and verification by request type", () => {
  const withRights = (fields: string) => ({
    ...BASE,
    "rights.yml": `rights:\n  - jurisdiction: us_ca\n    name: California\n    law: CCPA\n    requests: [access, erasure, opt_out_sale_sharing]\n${fields}`,
  });

  it("reads worded periods and the older day counts", () => {
    const worded = load(withRights("    deadline: 1 month\n    extension: 2 months\n    verification: email\n"));
    expect(worded.rights[0]).toMatchObject({
      deadline: { amount: 1, unit: "months" },
      extension: { amount: 2, unit: "months" },
    });
    const business = load(withRights("    deadline: 15 business days\n    verification: email\n")).rights[0]!;
    expect(business.deadline).toEqual({ amount: 15, unit: "business_days" });
    expect(business.extension).toBeUndefined();
    const older = load(withRights("    deadline_days: 45\n    extension_days: 45\n    verification: email\n"));
    expect(older.rights[0]).toMatchObject({
      deadline: { amount: 45, unit: "days" },
      extension: { amount: 45, unit: "days" },
    });
    const noExtension = load(withRights("    deadline_days: 45\n    extension_days: 0\n    verification: email\n"));
    expect(noExtension.rights[0]!.extension).toBeUndefined();
  });

  it("gives every offered request type a level: one for all, or by type with a default", () => {
    const single = load(withRights("    deadline: 45 days\n    verification: account\n")).rights[0]!;
    expect(single.verification).toEqual({ access: "account", erasure: "account", opt_out_sale_sharing: "account" });
    const map = load(
      withRights("    deadline: 45 days\n    verification: {default: email, opt_out_sale_sharing: none}\n"),
    ).rights[0]!;
    expect(verificationFor(map, "access")).toBe("email");
    expect(verificationFor(map, "opt_out_sale_sharing")).toBe("none");
    expect(verificationFor(map, "restriction")).toBeUndefined(); // not offered in this jurisdiction
  });

  it.each<[string, string, string, string]>([
    [
      "a deadline as a bare number",
      "    deadline: 30\n    verification: email\n",
      "STW_MANIFEST_INVALID_VALUE",
      'written like "1 month"',
    ],
    ["a misspelt unit", "    deadline: 1 moth\n    verification: email\n", "STW_MANIFEST_INVALID_VALUE", '"1 moth"'],
    [
      "both forms of the deadline",
      "    deadline: 45 days\n    deadline_days: 45\n    verification: email\n",
      "STW_MANIFEST_INVALID_VALUE",
      "not both",
    ],
    ["no deadline", "    verification: email\n", "STW_MANIFEST_MISSING_KEY", '"deadline" in rights "us_ca"'],
    [
      "a misspelt level",
      "    deadline: 45 days\n    verification: emial\n",
      "STW_MANIFEST_INVALID_VALUE",
      'did you mean "email"',
    ],
    [
      "a misspelt request type in the map",
      "    deadline: 45 days\n    verification: {default: email, opt_out_sale_sharng: none}\n",
      "STW_MANIFEST_UNKNOWN_KEY",
      'did you mean "opt_out_sale_sharing"',
    ],
    [
      "a bad level in the map",
      "    deadline: 45 days\n    verification: {default: email, access: nobody}\n",
      "STW_MANIFEST_INVALID_VALUE",
      '"nobody": "access" must be one of',
    ],
    [
      "a map that leaves a request type without a level",
      "    deadline: 45 days\n    verification: {access: email, erasure: email}\n",
      "STW_MANIFEST_MISSING_KEY",
      '"opt_out_sale_sharing" in rights "us_ca".verification',
    ],
  ])("rejects %s", (_case, fields, code, text) => {
    const e = onlyError(withRights(fields));
    expect(e.code).toBe(code);
    expect(e.message).toContain(text);
    expect(e.location?.file).toBe("rights.yml");
  });
});
