/**
 * Which kinds of personal data an access result actually holds, and where: a category counts only when some row has
 * a value in a field of that category, so the person is told about what we hold, not about empty columns.
 */
import type { Row } from "../connectors/connector.ts";
import type { AccessResult } from "../engine/access-result.ts";
import { isWithin } from "../manifest/taxonomy/build-taxonomy.ts";

/**
 * A row's value for a field: the key as read ("profile.city" included), else the path into a nested value. Absent
 * values read as null.
 */
export function fieldValue(row: Row, name: string): unknown {
  if (Object.hasOwn(row, name)) return row[name] ?? null;
  let value: unknown = row;
  for (const part of name.split(".")) {
    if (value === null || typeof value !== "object" || !Object.hasOwn(value, part)) return null;
    value = (value as Record<string, unknown>)[part];
  }
  return value ?? null;
}

/** True when a value says something: not null, not an empty string, not an empty list or object. */
export function hasValue(value: unknown): boolean {
  if (value === null || value === undefined || value === "") return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === "object") return Object.keys(value).length > 0;
  return true;
}

/**
 * The personal-data categories (taxonomy keys under "user") found in the result, in the order the collections and
 * fields come, each with the "dataset.collection" names that hold it.
 */
export function categoriesFound(result: AccessResult): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const c of result.collections)
    for (const f of c.fields) {
      if (!c.rows.some((row) => hasValue(fieldValue(row, f.name)))) continue;
      for (const category of f.data_categories) {
        if (!isWithin(category, "user")) continue;
        const where = found.get(category) ?? [];
        if (!where.includes(c.collection)) where.push(c.collection);
        found.set(category, where);
      }
    }
  return found;
}
