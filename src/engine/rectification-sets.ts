/**
 * The targets a rectification may set: a personal, non-key field (`dataset.collection.field`), or a data category
 * (every field of the person holding it). Used by `steward request rectification --set` and the request service.
 */
import { stewardError } from "../errors.ts";
import type { Manifest } from "../manifest/types.ts";
import { isPersonalField } from "../plan/reference-graph.ts";
import type { Rectification } from "./run-request.ts";

/** Every `dataset.collection.field` a rectification may set. */
export function rectifiableFields(manifest: Manifest): string[] {
  return manifest.datasets.flatMap((d) =>
    d.collections.flatMap((c) =>
      c.fields.filter((f) => isPersonalField(f) && !f.primary_key).map((f) => `${d.fides_key}.${c.name}.${f.name}`),
    ),
  );
}

/** Checks each target; throws STW_ENGINE_BAD_SET naming the target (never the value) and the fields allowed. */
export function checkRectification(manifest: Manifest, sets: readonly Rectification[]): Rectification[] {
  const fields = rectifiableFields(manifest);
  return sets.map(({ target, value }) => {
    const known =
      fields.includes(target) ||
      manifest.datasets.some((d) =>
        d.collections.some((c) => c.fields.some((f) => f.data_categories.includes(target))),
      );
    if (!known) throw stewardError("STW_ENGINE_BAD_SET", { value: target, allowed: fields });
    return { target, value };
  });
}
