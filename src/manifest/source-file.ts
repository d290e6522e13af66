/** One manifest file's text, as handed to the pure parser (the caller did the reading). */
export interface SourceFile {
  /** Path shown in errors, relative to the manifest folder. */
  readonly path: string;
  readonly text: string;
}
