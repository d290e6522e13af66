/**
 * What an access request collected: the subject's rows, per collection, holding only the personal fields the request
 * asked for. The engine produces it; the access package (zip: JSON, CSV per collection, readable HTML report) and the
 * erasure proof are built from it. Values are as the stores return them, made JSON-safe (bigint → string, Date → ISO
 * string, Buffer → base64).
 */
import type { Row } from "../connectors/connector.ts";

export interface CollectedField {
  readonly name: string;
  readonly data_categories: readonly string[];
  readonly description?: string;
}

export interface CollectedCollection {
  /** "dataset.collection" */
  readonly collection: string;
  readonly dataset: string;
  readonly name: string;
  /** The personal fields read, in manifest order (nested fields as "parent.child"). */
  readonly fields: readonly CollectedField[];
  /** The subject's rows, each holding exactly `fields`. */
  readonly rows: readonly Row[];
  /**
   * Values left out (set to null) because they name another person — the reviewer of a review the subject received
   * (GDPR Art. 15(4): a copy must not adversely affect the rights of others). Per field, how many rows.
   */
  readonly withheld?: readonly { readonly field: string; readonly rows: number }[];
}

export interface AccessResult {
  readonly kind: "access_result";
  /** Request id (no personal data). */
  readonly request: string;
  /** ISO 8601 time the data was read. */
  readonly generated_at: string;
  /** Identity types the request carried (never the values). */
  readonly identities: readonly string[];
  /** Categories the request was limited to; empty = all personal data. */
  readonly categories: readonly string[];
  /** Collections in plan order, including those where nothing was found (rows: []). */
  readonly collections: readonly CollectedCollection[];
  /** Collections holding personal data that the identities could not reach, or whose store could not be read. */
  readonly unreached: readonly { readonly collection: string; readonly why: string }[];
}
