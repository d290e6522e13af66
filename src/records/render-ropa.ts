/** Formats the Art. 30 records for `steward ropa`: CSV (one row per activity), JSON (the Ropa structure) or Markdown. */
import { formatRopaCsv } from "./format-ropa-csv.ts";
import { formatRopaMarkdown } from "./format-ropa-markdown.ts";
import type { Ropa } from "./ropa-types.ts";

export type RopaFormat = "csv" | "json" | "md";
export const ROPA_FORMATS: readonly RopaFormat[] = ["csv", "json", "md"];

/** @example renderRopa(buildRopa(manifest), "json") */
export function renderRopa(ropa: Ropa, format: RopaFormat): string {
  if (format === "csv") return formatRopaCsv(ropa);
  if (format === "md") return formatRopaMarkdown(ropa);
  return `${JSON.stringify(ropa, null, 2)}\n`;
}
