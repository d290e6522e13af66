/**
 * Cross-resource checks that a schema cannot make: every taxonomy key, system, exemption, dataset, collection and
 * field a manifest names must exist. Each failure names the bad value, the known ones and the closest match.
 */

import { type StewardError, stewardError } from "../errors.ts";
import type { Whereabouts } from "./build-manifest.ts";
import { didYouMean } from "./did-you-mean.ts";
import { jurisdictionsOfConsentKey } from "./jurisdictions.ts";
import type { Collection, Connection, Dataset, Field, Manifest } from "./types.ts";
import type { YamlPath } from "./yaml-locator.ts";

/** A connection URL must be an environment reference, so no secret is ever committed with the manifest. */
export const ENV_REFERENCE = /^\$\{[A-Z_][A-Z0-9_]*\}$/;

/** Every field of a collection, nested ones as "parent.child". */
export function flattenFields(fields: readonly Field[], prefix = ""): Map<string, Field> {
  const out = new Map<string, Field>();
  for (const f of fields) {
    out.set(prefix + f.name, f);
    for (const [k, v] of flattenFields(f.fields, `${prefix}${f.name}.`)) out.set(k, v);
  }
  return out;
}

export function validateReferences(manifest: Manifest, where: Whereabouts): StewardError[] {
  const errors: StewardError[] = [];
  const locate = (owner: object, sub: YamlPath) => {
    const w = where.get(owner);
    return w ? w.locator.locate([...w.path, ...sub]) : { file: manifest.root };
  };
  const expect = (kind: string, value: string, known: Iterable<string>, owner: object, sub: YamlPath) => {
    const all = [...known];
    if (all.includes(value)) return true;
    errors.push(
      stewardError(
        "STW_MANIFEST_UNKNOWN_REFERENCE",
        { kind, value, allowed: all, suggestion: didYouMean(value, all) },
        locate(owner, sub),
      ),
    );
    return false;
  };
  const expectAll = (kind: string, list: readonly string[], known: Iterable<string>, owner: object, sub: YamlPath) => {
    const all = [...known];
    list.forEach((value, i) => {
      expect(kind, value, all, owner, [...sub, i]);
    });
  };
  const categories = manifest.taxonomy.data_categories.keys();
  const catKeys = [...categories];
  const checkCategories = (list: readonly string[], owner: object, sub: YamlPath) =>
    expectAll("data category", list, catKeys, owner, sub);
  const systemKeys = manifest.systems.map((s) => s.key);
  const consentKeys = [
    "default",
    ...new Set(manifest.rights.flatMap((r) => [r.jurisdiction, ...r.regions])),
    ...(manifest.rights.some((r) => r.regions.some((g) => g.startsWith("US-"))) ? ["US"] : []),
  ];
  const controllerKeys = manifest.systems.filter((s) => s.kind === "controller").map((s) => s.key);
  const checkConnection = (connection: Connection | undefined, owner: object) => {
    if (connection && !ENV_REFERENCE.test(connection.url)) {
      const shown = connection.url.replace(/\/\/[^@/]*@/, "//***@");
      errors.push(
        stewardError("STW_MANIFEST_SECRET_LITERAL", { value: `"${shown}"` }, locate(owner, ["connection", "url"])),
      );
    }
  };

  for (const p of manifest.purposes) {
    expect("data use", p.data_use, manifest.taxonomy.data_uses.keys(), p, ["data_use"]);
    expectAll("data subject", p.data_subjects, manifest.taxonomy.data_subjects.keys(), p, ["data_subjects"]);
    checkCategories(p.data_categories, p, ["data_categories"]);
    expectAll("system", p.recipients, systemKeys, p, ["recipients"]);
    if (p.processor_for) expect("controller system", p.processor_for, controllerKeys, p, ["processor_for"]);
    if (manifest.rights.length > 0)
      for (const key of Object.keys(p.consent))
        if (jurisdictionsOfConsentKey(manifest, key).length === 0)
          expect("consent jurisdiction", key, consentKeys, p, ["consent", key]);
  }
  const defaults = manifest.rights.filter((r) => r.default);
  for (const extra of defaults.slice(1))
    errors.push(
      stewardError(
        "STW_MANIFEST_INVALID_VALUE",
        {
          value: `default: true on "${extra.jurisdiction}"`,
          detail: `only one jurisdiction can be the default, and "${defaults[0]?.jurisdiction}" already is`,
        },
        locate(extra, ["default"]),
      ),
    );
  for (const s of manifest.systems) {
    checkCategories(s.data_categories, s, ["data_categories"]);
    checkConnection(s.connection, s);
    const delivery = s.consent_delivery;
    if (delivery)
      for (const field of ["url", "secret", "list"] as const) {
        const value = delivery[field];
        if (value !== undefined && !ENV_REFERENCE.test(value))
          errors.push(
            stewardError(
              "STW_MANIFEST_SECRET_LITERAL",
              { value: field === "url" ? `"${value.replace(/\/\/[^@/]*@/, "//***@")}"` : "(hidden)" },
              locate(s, ["consent_delivery", field]),
            ),
          );
      }
  }
  for (const s of manifest.sources) {
    checkCategories(s.data_categories, s, ["data_categories"]);
    if (s.system) expect("system", s.system, systemKeys, s, ["system"]);
  }

  const datasets = new Map(manifest.datasets.map((d) => [d.fides_key, d]));
  const collectionOf = (datasetKey: string, name: string): Collection | undefined =>
    datasets.get(datasetKey)?.collections.find((c) => c.name === name);
  const exemptionKeys = manifest.exemptions.map((e) => e.key);

  for (const d of manifest.datasets) {
    checkCategories(d.data_categories, d, ["data_categories"]);
    checkConnection(d.connection, d);
    if (d.system) expect("system", d.system, systemKeys, d, ["system"]);
    if (d.processor_for) expect("controller system", d.processor_for, controllerKeys, d, ["processor_for"]);
    for (const c of d.collections) validateCollection(d, c);
  }

  function validateCollection(d: Dataset, c: Collection) {
    checkCategories(c.data_categories, c, ["data_categories"]);
    if (c.processor_for) expect("controller system", c.processor_for, controllerKeys, c, ["processor_for"]);
    const fields = flattenFields(c.fields);
    c.exemptions.forEach((e, i) => {
      expect("exemption", e.exemption, exemptionKeys, c, ["exemptions", i, "exemption"]);
      for (const column of Object.keys(e.where ?? {}))
        expect(`field of ${d.fides_key}.${c.name}`, column, fields.keys(), c, ["exemptions", i, "where", column]);
    });
    for (const kind of ["after", "erase_after"] as const) {
      c[kind].forEach((target, i) => {
        const [ds = "", coll = ""] = target.split(".");
        if (!collectionOf(ds, coll)) expect("collection", target, allCollections(), c, ["fides_meta", kind, i]);
      });
    }
    for (const field of fields.values()) {
      checkCategories(field.data_categories, field, ["data_categories"]);
      field.references.forEach((r, i) => {
        const sub = ["fides_meta", "references", i];
        if (!expect("dataset", r.dataset, datasets.keys(), field, [...sub, "dataset"])) return;
        const [collName = "", ...rest] = r.field.split(".");
        const target = collectionOf(r.dataset, collName);
        if (!target) {
          expect(
            `collection of ${r.dataset}`,
            collName,
            datasets.get(r.dataset)!.collections.map((x) => x.name),
            field,
            [...sub, "field"],
          );
          return;
        }
        expect(`field of ${r.dataset}.${collName}`, rest.join("."), flattenFields(target.fields).keys(), field, [
          ...sub,
          "field",
        ]);
      });
    }
  }

  function allCollections(): string[] {
    return manifest.datasets.flatMap((d) => d.collections.map((c) => `${d.fides_key}.${c.name}`));
  }

  for (const r of manifest.retention) {
    checkCategories(r.data_categories, r, ["data_categories"]);
    r.collections.forEach((target, i) => {
      const [ds = "", coll = ""] = target.split(".");
      const collection = collectionOf(ds, coll);
      if (!collection) {
        expect("collection", target, allCollections(), r, ["collections", i]);
        return;
      }
      const fields = [...flattenFields(collection.fields).keys()];
      if (r.trigger.kind === "period" && r.trigger.from)
        expect(`timestamp field of ${target}`, r.trigger.from, fields, r, ["from"]);
      for (const column of Object.keys(r.where ?? {}))
        expect(`field of ${target}`, column, fields, r, ["where", column]);
    });
  }
  if (manifest.account) {
    const a = manifest.account;
    const [ds = "", coll = ""] = a.collection.split(".");
    const collection = collectionOf(ds, coll);
    if (!collection) expect("collection", a.collection, allCollections(), a, ["collection"]);
    else {
      const fields = flattenFields(collection.fields);
      expect(`timestamp field of ${a.collection}`, a.closed_at, fields.keys(), a, ["closed_at"]);
      if (![...fields.values()].some((f) => f.primary_key && f.identity))
        errors.push(
          stewardError(
            "STW_MANIFEST_INVALID_VALUE",
            {
              value: a.collection,
              detail:
                "the account collection needs a primary key that is an identity (`fides_meta: {primary_key: true, identity: user_id}`)",
              allowed: allCollections(),
            },
            locate(a, ["collection"]),
          ),
        );
    }
  }

  if (manifest.notice) {
    const seen = new Set<string>();
    manifest.notice.sections.forEach((s, i) => {
      if (seen.has(s))
        errors.push(
          stewardError(
            "STW_MANIFEST_DUPLICATE_KEY",
            { kind: "notice section", key: s, first: "earlier in `sections`" },
            locate(manifest.notice!, ["sections", i]),
          ),
        );
      seen.add(s);
    });
  }
  return errors;
}
