/**
 * A store's column type as a Fides `data_type` (string, integer, float, boolean, object; `[]` for PostgreSQL
 * arrays). Dates and times are strings, as in the example deployment's datasets.
 */
export function fidesDataType(storeType: string): string {
  const type = storeType.toLowerCase().trim();
  if (type.endsWith("[]")) return `${fidesDataType(type.slice(0, -2))}[]`;
  if (/^(bool|boolean|tinyint\(1\)|bit\(1\))/.test(type)) return "boolean";
  if (/^((small|medium|big|tiny)?int(eger)?|int[248]|(small|big)?serial)\b/.test(type)) return "integer";
  if (/^(numeric|decimal|real|double|float|money)/.test(type)) return "float";
  if (/^(json|jsonb)\b/.test(type)) return "object";
  return "string";
}

/** Binary, spatial and full-text columns: nothing the detectors read, and possibly large, so they are not sampled. */
export function isSampleable(storeType: string): boolean {
  const type = storeType.toLowerCase();
  return !/^(bytea|(tiny|medium|long)?blob|(var)?binary|geometry|geography|point|polygon|linestring|multi|tsvector|bool|boolean|bit|json)/.test(
    type,
  );
}
