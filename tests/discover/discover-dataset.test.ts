import { describe, expect, it } from "vitest";
import { runChecks } from "../../src/check/run-checks.ts";
import type { IntrospectedTable, Row } from "../../src/connectors/connector.ts";
import { databaseName, datasetKey, envVarFor } from "../../src/discover/dataset-key.ts";
import { datasetYaml } from "../../src/discover/dataset-yaml.ts";
import { type DiscoverInput, discoverDataset } from "../../src/discover/discover-dataset.ts";
import { summarise } from "../../src/discover/discovery.ts";
import { fidesDataType } from "../../src/discover/fides-data-type.ts";
import { reviewNoteOf } from "../../src/discover/review-note.ts";
import { flattenFields } from "../../src/manifest/validate-references.ts";
import { load } from "../manifest/helpers.ts";

const col = (name: string, type: string, extra: { unique?: boolean; maxLength?: number } = {}) => ({
  name,
  type,
  nullable: true,
  unique: extra.unique ?? false,
  ...(extra.maxLength ? { maxLength: extra.maxLength } : {}),
});

const TABLES: IntrospectedTable[] = [
  {
    name: "members",
    columns: [
      col("id", "integer", { unique: true }),
      col("contact", "character varying(200)", { unique: true, maxLength: 200 }),
      col("display", "text"),
      col("born", "date"),
      col("opted_in", "boolean"),
      col("joined_at", "timestamp with time zone"),
    ],
    primaryKey: ["id"],
    foreignKeys: [],
  },
  {
    name: "payments",
    columns: [col("id", "bigint", { unique: true }), col("member_ref", "integer"), col("instrument", "varchar(19)")],
    primaryKey: ["id"],
    foreignKeys: [{ name: "fk", columns: ["member_ref"], referencedTable: "members", referencedColumns: ["id"] }],
  },
  { name: "empty", columns: [], primaryKey: [], foreignKeys: [] },
];

const CARDS = ["4111111111111111", "5500005555555559", "340000000000009", "6011000990139424"];
const SAMPLES = new Map<string, Row[]>([
  [
    "members",
    [
      { contact: "ada@example.com", display: "Alan Turing", born: new Date(1985, 11, 10), joined_at: new Date() },
      { contact: "bob@example.org", display: "Olivia Smith", born: new Date(1972, 5, 23), joined_at: new Date() },
      { contact: "cy@example.net", display: "Sophie Martin", born: new Date(1990, 0, 5), joined_at: new Date() },
    ],
  ],
  ["payments", CARDS.map((instrument, i) => ({ id: i + 1, member_ref: i + 1, instrument }))],
]);

const INPUT: DiscoverInput = {
  dataset: "club",
  kind: "postgres",
  database: "club",
  envVar: "CLUB_DATABASE_URL",
  tables: TABLES,
  samples: SAMPLES,
  sampleLimit: 200,
  today: new Date(2026, 0, 15),
};

describe("discoverDataset (pure)", () => {
  const discovery = discoverDataset(INPUT);
  const field = (table: string, column: string) =>
    discovery.collections.find((c) => c.name === table)?.fields.find((f) => f.name === column);

  it("suggests from values where the names say nothing, and marks a unique e-mail column as the identity", () => {
    expect(field("members", "contact")?.suggestion).toEqual({
      categories: ["user.contact.email"],
      identity: "email",
      reasons: [
        "3/3 sampled values look like e-mail addresses",
        'the column is unique, so it is marked as the "email" identity',
      ],
    });
    expect(field("members", "display")?.suggestion?.categories).toEqual(["user.name"]);
    expect(field("members", "born")?.suggestion?.categories).toEqual(["user.demographic.date_of_birth"]);
    expect(field("payments", "instrument")?.suggestion).toEqual({
      categories: ["user.financial.credit_card"],
      reasons: ["4/4 sampled values look like payment card numbers"],
    });
  });

  it("leaves booleans and timestamps unclassified, and gives the keys of a table of people user.unique_id", () => {
    expect(field("members", "opted_in")?.suggestion).toBeUndefined();
    expect(field("members", "joined_at")?.suggestion).toBeUndefined();
    expect(field("members", "id")?.suggestion?.categories).toEqual(["user.unique_id"]);
    expect(field("payments", "member_ref")).toMatchObject({
      references: [{ dataset: "club", field: "members.id", direction: "from" }],
      suggestion: { categories: ["user.unique_id"] },
    });
    expect(field("payments", "id")?.suggestion).toBeUndefined();
  });

  it("keeps the catalogue's facts and says what it left out", () => {
    expect(field("members", "contact")).toMatchObject({ dataType: "string", length: 200, primaryKey: false });
    expect(field("payments", "id")).toMatchObject({ dataType: "integer", primaryKey: true });
    expect(discovery.notes).toEqual(['table "empty" was left out: it has no columns']);
    expect(summarise(discovery)).toEqual({ tables: 2, columns: 9, suggested: 6, identities: 1, unclassified: 3 });
  });

  it("leaves out a reference a Fides address cannot spell", () => {
    const odd = discoverDataset({
      ...INPUT,
      tables: [
        { name: "a.b", columns: [col("id", "integer")], primaryKey: ["id"], foreignKeys: [] },
        {
          name: "c",
          columns: [col("ab_id", "integer")],
          primaryKey: [],
          foreignKeys: [{ name: "fk", columns: ["ab_id"], referencedTable: "a.b", referencedColumns: ["id"] }],
        },
      ],
    });
    expect(odd.collections[1]?.fields[0]?.references).toEqual([]);
    expect(odd.notes[0]).toContain("c.ab_id → a.b.id was left out");
  });
});

describe("the dataset file", () => {
  const yaml = datasetYaml(discoverDataset(INPUT));

  it("never holds a sampled value", () => {
    const values = [...SAMPLES.values()].flatMap((rows) =>
      rows.flatMap((r) => Object.values(r).filter((v): v is string => typeof v === "string")),
    );
    expect(values.length).toBeGreaterThan(5);
    for (const v of values) expect(yaml).not.toContain(v);
  });

  it("marks each suggestion on its line, and loads as a manifest whose check lists what is left", () => {
    expect(yaml).toContain("data_categories: [ user.contact.email ] # suggested: review\n");
    expect(yaml).toContain("identity: email # suggested: review\n");
    expect(yaml).toContain('connection: { kind: postgres, url: "${CLUB_DATABASE_URL}" }');
    const manifest = load({ "datasets/club.yml": yaml });
    const fields = manifest.datasets[0]!.collections.flatMap((c) =>
      [...flattenFields(c.fields)].map(([name, f]) => ({ at: `${c.name}.${name}`, f })),
    );
    expect(fields.filter(({ f }) => reviewNoteOf(f) !== undefined).map(({ at }) => at)).toEqual([
      "members.id",
      "members.contact",
      "members.display",
      "members.born",
      "payments.member_ref",
      "payments.instrument",
    ]);
    const report = runChecks(manifest);
    const codes = (code: string) => report.errors.filter((e) => e.code === code).map((e) => e.message);
    expect(codes("SC014")).toHaveLength(6);
    expect(codes("SC014")[1]).toBe(
      'field "club.members.contact" is not reviewed: suggested user.contact.email and identity "email": 3/3 sampled values look like e-mail addresses; the column is unique, so it is marked as the "email" identity',
    );
    expect(codes("SC001")).toEqual([
      'field "club.members.opted_in" has no data category',
      'field "club.members.joined_at" has no data category',
      'field "club.payments.id" has no data category',
    ]);
    // The identity and the reference reach every collection holding personal data.
    expect(codes("SC005")).toEqual([]);
  });

  it("once reviewed (the note deleted), a field is no longer reported", () => {
    const reviewed = yaml.replace(/\n\s+steward_review: .*(?=\n)/g, "");
    const report = runChecks(load({ "datasets/club.yml": reviewed }));
    expect(report.errors.filter((e) => e.code === "SC014")).toEqual([]);
  });
});

describe("names from the URL", () => {
  it("takes the database's name, a key and an environment variable from it", () => {
    expect(databaseName("postgres://app:s3cret@db.internal:5432/shop?sslmode=require")).toBe("shop");
    expect(databaseName("mysql://root@127.0.0.1:3306/Analytics")).toBe("Analytics");
    expect(databaseName("sqlite:/var/lib/app/my%20app.db?mode=ro")).toBe("my app");
    expect(databaseName("sqlite::memory:")).toBe("");
    expect(databaseName("postgres://127.0.0.1")).toBe("");
    expect(datasetKey("My App")).toBe("my_app");
    expect(datasetKey("__Shop-EU.v2")).toBe("shop-eu.v2");
    expect(envVarFor("shop-eu.v2")).toBe("SHOP_EU_V2_DATABASE_URL");
    expect(envVarFor("2024_sales")).toBe("DB_2024_SALES_DATABASE_URL");
  });

  it("maps store types to Fides data types", () => {
    expect(
      ["integer", "bigint(20) unsigned", "tinyint(1)", "boolean", "numeric(10,2)", "jsonb", "text[]", "interval"].map(
        fidesDataType,
      ),
    ).toEqual(["integer", "integer", "boolean", "boolean", "float", "object", "string[]", "string"]);
  });
});
