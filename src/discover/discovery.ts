/**
 * What `steward discover` found in one database, as plain data: the tables and columns with their keys and
 * references (facts read from the catalogue), and the suggested categories (guesses, each with its reasons, never
 * a sampled value). dataset-yaml.ts writes it as a Steward dataset file.
 */
import type { ConnectorKind } from "../manifest/types.ts";

export interface Suggestion {
  /** Fideslang data category keys, most certain first. */
  readonly categories: readonly string[];
  /** Identity type to mark (`email`, `phone_number`) when the column is unique and clearly holds one. */
  readonly identity?: string;
  /** Why, in words: the column's name, counts of sampled values, keys. */
  readonly reasons: readonly string[];
}

export interface DiscoveredReference {
  readonly dataset: string;
  /** "table.column" of the parent key. */
  readonly field: string;
  readonly direction: "from";
}

export interface DiscoveredField {
  readonly name: string;
  readonly dataType: string;
  readonly length?: number;
  readonly primaryKey: boolean;
  readonly references: readonly DiscoveredReference[];
  readonly suggestion?: Suggestion;
}

export interface DiscoveredCollection {
  readonly name: string;
  readonly fields: readonly DiscoveredField[];
}

export interface Discovery {
  /** The dataset's `fides_key`. */
  readonly dataset: string;
  readonly kind: ConnectorKind;
  /** The database's name, for the file's header (never its URL: that may hold a password). */
  readonly database: string;
  /** The environment variable the dataset's `connection.url` names. */
  readonly envVar: string;
  /** Rows sampled per table at most (0: names only). */
  readonly sampleLimit: number;
  readonly collections: readonly DiscoveredCollection[];
  /** Things left out, with why (a table without columns, a reference a Fides address cannot spell). */
  readonly notes: readonly string[];
}

export interface DiscoverySummary {
  readonly tables: number;
  readonly columns: number;
  /** Columns with a suggested category. */
  readonly suggested: number;
  /** Columns marked as an identity. */
  readonly identities: number;
  /** Columns left without a category: `steward check` reports them (SC001). */
  readonly unclassified: number;
}

export function summarise(discovery: Discovery): DiscoverySummary {
  const fields = discovery.collections.flatMap((c) => c.fields);
  const suggested = fields.filter((f) => f.suggestion).length;
  return {
    tables: discovery.collections.length,
    columns: fields.length,
    suggested,
    identities: fields.filter((f) => f.suggestion?.identity).length,
    unclassified: fields.length - suggested,
  };
}
