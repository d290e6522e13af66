/**
 * A copy of a JSON-safe value whose objects list their keys in sorted order, so that the same data always serialises
 * to the same bytes (the package is checksummed). Arrays keep their order: it means something.
 */
export function stableValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stableValue);
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return Object.fromEntries(entries.map(([k, v]) => [k, stableValue(v)]));
  }
  return value;
}
