import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse as parseYaml, stringify } from "yaml";
import { datasetToFides } from "../../src/fides/dataset-to-fides.ts";
import { importFides } from "../../src/fides/import-fides.ts";
import { FIDESLANG_DATA_CATEGORIES } from "../../src/manifest/taxonomy/fideslang.ts";
import { manifestToJson } from "../../src/manifest/to-json.ts";
import { load } from "../manifest/helpers.ts";

const known = new Set(FIDESLANG_DATA_CATEGORIES.map((c) => c.key));
const fixture = join(import.meta.dirname, "..", "fixtures", "fides", "bookshop.yml");
const text = readFileSync(fixture, "utf8");
const stripLocations = (m: Parameters<typeof manifestToJson>[0]) => manifestToJson(m)["datasets"];

describe("Fides import and export", () => {
  const first = importFides([{ path: "bookshop.yml", text }], known);

  it("imports a Fides file with both meta spellings, nested fields and pass-through keys", () => {
    expect(first.errors).toEqual([]);
    const ds = first.datasets[0]!;
    expect(ds.collections.map((c) => c.name)).toEqual(["members", "orders", "gift_cards", "reading_lists"]);
    const members = ds.collections[0]!;
    expect(members.fields.find((f) => f.name === "display_name")).toMatchObject({ data_type: "string", length: 60 });
    expect(members.fields.find((f) => f.name === "postal")?.fields.map((f) => f.name)).toEqual(["street", "city"]);
    expect(ds.collections[1]!.erase_after).toEqual(["bookshop_db.gift_cards"]);
    expect(ds.collections[1]!.fields[1]!.references).toEqual([
      { dataset: "bookshop_db", field: "members.id", direction: "from" },
    ]);
    expect(first.unknownCategories).toEqual(["user.financial.account_number"]);
    const written = parseYaml(first.files.get("datasets/bookshop_db.yml")!);
    expect(written.dataset[0].tags).toEqual(["production"]);
    expect(written.dataset[0].collections[3].fields[0].fides_meta.return_all_elements).toBe(true);
    expect(JSON.stringify(written)).not.toContain("fidesops_meta");
  });

  it("round-trips: import → load as a manifest → export → import gives the same datasets", () => {
    const files = Object.fromEntries(first.files);
    const manifest = load(files);
    const exported = stringify({ dataset: manifest.datasets.map(datasetToFides) });
    const second = importFides([{ path: "exported.yml", text: exported }], known);
    expect(second.errors).toEqual([]);
    const again = load(Object.fromEntries(second.files));
    expect(stripLocations(again)).toEqual(stripLocations(manifest));
    expect(second.files.get("datasets/bookshop_db.yml")).toBe(first.files.get("datasets/bookshop_db.yml"));
  });

  it("keeps Steward's own keys out of the Fides export", () => {
    const manifest = load({
      "d.yml": `dataset:\n  - fides_key: app\n    connection: {kind: postgres, url: "\${APP_URL}"}\n    collections:\n      - name: users\n        erasure: {action: delete}\n        fields:\n          - {name: email, data_categories: [user.contact.email], fides_meta: {identity: email}, erasure: {action: mask, strategy: hash}}\n`,
    });
    const out = JSON.stringify(manifest.datasets.map(datasetToFides));
    expect(out).not.toMatch(/connection|erasure|strategy/);
    expect(out).toContain('"identity":"email"');
  });

  it("keeps a reference's `steward: {follow: false}` through export and import, since it changes what a request finds", () => {
    const text = `dataset:\n  - fides_key: app\n    collections:\n      - name: lectures\n        fields:\n          - {name: id, data_categories: [system.operations], fides_meta: {primary_key: true}}\n      - name: views\n        fields:\n          - name: lecture_id\n            data_categories: [system.operations]\n            fides_meta: {references: [{dataset: app, field: lectures.id, direction: to, steward: {follow: false}}]}\n`;
    const imported = importFides([{ path: "app.yml", text }], known);
    expect(imported.errors).toEqual([]);
    const manifest = load(Object.fromEntries(imported.files));
    const reference = { dataset: "app", field: "lectures.id", direction: "to", steward: { follow: false } };
    expect(manifest.datasets[0]!.collections[1]!.fields[0]!.references).toEqual([reference]);
    const exported = datasetToFides(manifest.datasets[0]!) as { collections: { fields: { fides_meta?: unknown }[] }[] };
    expect(exported.collections[1]!.fields[0]!.fides_meta).toEqual({ references: [reference] });
  });

  it("refuses a file that is not a Fides dataset file, naming what it found", () => {
    const result = importFides([{ path: "x.yml", text: "systems: []\n" }], known);
    expect(result.errors[0]).toMatchObject({ code: "STW_FIDES_NOT_A_DATASET" });
    expect(result.errors[0]!.message).toContain("systems");
  });
});
