/**
 * Writes a Discovery as a Steward dataset file (Fides dataset YAML, the shape of examples/learning-platform/datasets).
 * Facts from the catalogue (keys, types, lengths, references) are written as they are; every suggestion gets a
 * `# suggested` comment on its line and a `fides_meta.steward_review` note saying why, which `steward check` reports
 * (SC014) until a reviewer deletes it. Columns without a suggestion are left without `data_categories`, so the
 * classification lint (SC001) lists them.
 */
import { Document, isMap, isScalar, isSeq } from "yaml";
import { type DiscoveredField, type Discovery, summarise } from "./discovery.ts";
import { REVIEW_NOTE_KEY } from "./review-note.ts";

const MARK = " suggested: review";

function header(d: Discovery): string {
  const s = summarise(d);
  return [
    ` Discovered by \`steward discover\` from the ${d.kind} database "${d.database}": ${s.tables} table(s), ${s.columns} column(s);`,
    d.sampleLimit > 0
      ? ` categories suggested from column names and up to ${d.sampleLimit} sampled row(s) per table (no value is written here).`
      : " categories suggested from column names only (no rows sampled).",
    "",
    ` Every line marked "#${MARK}" is a guess, and \`fides_meta.${REVIEW_NOTE_KEY}\` says why. Check each one, correct`,
    " the categories (and the identity) if needed, then delete the steward_review line. Columns without a guess have",
    " no data_categories yet. `steward check` lists what is left: SC014 for guesses not reviewed, SC001 for fields",
    " without a category.",
    "",
    ` Set ${d.envVar} to the database's URL where Steward runs.`,
  ].join("\n");
}

const reviewNote = (f: DiscoveredField): string | undefined =>
  f.suggestion &&
  `suggested ${f.suggestion.categories.join(", ")}${f.suggestion.identity ? ` and identity "${f.suggestion.identity}"` : ""}: ${f.suggestion.reasons.join("; ")}`;

function fieldObject(f: DiscoveredField): Record<string, unknown> {
  const note = reviewNote(f);
  const meta = {
    ...(f.primaryKey ? { primary_key: true } : {}),
    ...(f.suggestion?.identity ? { identity: f.suggestion.identity } : {}),
    data_type: f.dataType,
    ...(f.length === undefined ? {} : { length: f.length }),
    ...(f.references.length > 0 ? { references: f.references.map((r) => ({ ...r })) } : {}),
    ...(note ? { [REVIEW_NOTE_KEY]: note } : {}),
  };
  return {
    name: f.name,
    ...(f.suggestion ? { data_categories: [...f.suggestion.categories] } : {}),
    fides_meta: meta,
  };
}

export function datasetYaml(d: Discovery): string {
  const doc = new Document({
    dataset: [
      {
        fides_key: d.dataset,
        name: d.database || d.dataset,
        connection: { kind: d.kind, url: `\${${d.envVar}}` },
        collections: d.collections.map((c) => ({ name: c.name, fields: c.fields.map(fieldObject) })),
      },
    ],
  });
  doc.commentBefore = header(d);
  const connection = doc.getIn(["dataset", 0, "connection"]);
  if (isMap(connection)) connection.flow = true;
  for (const [ci, c] of d.collections.entries())
    for (const [fi, f] of c.fields.entries()) {
      const node = doc.getIn(["dataset", 0, "collections", ci, "fields", fi]);
      const meta = isMap(node) ? node.get("fides_meta") : undefined;
      if (!isMap(node) || !isMap(meta)) continue;
      meta.flow = !f.suggestion && f.references.length === 0;
      const references = meta.get("references");
      if (isSeq(references)) references.flow = true;
      const categories = node.get("data_categories");
      if (isSeq(categories)) {
        categories.flow = true;
        categories.comment = MARK;
      }
      const identity = meta.get("identity", true);
      if (isScalar(identity)) identity.comment = MARK;
    }
  return doc.toString({ lineWidth: 0 });
}
