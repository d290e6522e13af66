/**
 * Steward datasets back to plain Fides dataset objects. Only Fides keys are written (Steward's own keys such as
 * `erasure` or `connection` stay in Steward's files), so the output loads in Fides and reads back through
 * `steward import fides` unchanged.
 */
import type { Collection, Dataset, Field } from "../manifest/types.ts";

type Plain = Record<string, unknown>;

const nonEmpty = (value: Plain): Plain | undefined => (Object.keys(value).length > 0 ? value : undefined);

function clean(value: Plain): Plain {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));
}

export function fieldToFides(field: Field): Plain {
  const extraMeta = (field.fides_extra["fides_meta"] as Plain | undefined) ?? {};
  const { fides_meta: _ignored, ...extra } = field.fides_extra;
  const meta = clean({
    ...(field.references.length > 0 ? { references: field.references.map((r) => clean({ ...r })) } : {}),
    identity: field.identity,
    primary_key: field.primary_key ? true : undefined,
    data_type: field.data_type,
    length: field.length,
    read_only: field.read_only ? true : undefined,
    ...extraMeta,
  });
  return clean({
    name: field.name,
    description: field.description,
    data_categories: field.data_categories.length > 0 ? [...field.data_categories] : undefined,
    fides_meta: nonEmpty(meta),
    ...extra,
    fields: field.fields.length > 0 ? field.fields.map(fieldToFides) : undefined,
  });
}

export function collectionToFides(collection: Collection): Plain {
  const extraMeta = (collection.fides_extra["fides_meta"] as Plain | undefined) ?? {};
  const meta = clean({
    after: collection.after.length > 0 ? [...collection.after] : undefined,
    erase_after: collection.erase_after.length > 0 ? [...collection.erase_after] : undefined,
    skip_processing: collection.skip_processing ? true : undefined,
    ...extraMeta,
  });
  return clean({
    name: collection.name,
    description: collection.description,
    data_categories: collection.data_categories.length > 0 ? [...collection.data_categories] : undefined,
    fides_meta: nonEmpty(meta),
    fields: collection.fields.map(fieldToFides),
  });
}

export function datasetToFides(dataset: Dataset): Plain {
  return clean({
    fides_key: dataset.fides_key,
    ...dataset.fides_extra,
    name: dataset.name,
    description: dataset.description,
    data_categories: dataset.data_categories.length > 0 ? [...dataset.data_categories] : undefined,
    collections: dataset.collections.map(collectionToFides),
  });
}
