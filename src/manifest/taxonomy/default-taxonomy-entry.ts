/** One key of a shipped default taxonomy. */
export interface DefaultTaxonomyEntry {
  readonly key: string;
  readonly name: string;
  readonly description: string;
  readonly parent?: string;
}
