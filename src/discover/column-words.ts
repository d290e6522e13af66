/**
 * A column or table name as lower-case words: `dateOfBirth`, `date_of_birth` and `DATE-OF-BIRTH` all give
 * ["date", "of", "birth"]. The name rules match whole words, so `scorecard` never looks like `card` and `zip` is not
 * found in `unzipped_size`.
 */
export function columnWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .replace(/([a-zA-Z])([0-9])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 0);
}

/** Where `sequence` occurs in `words` as consecutive words, or -1. */
export function indexOfWords(words: readonly string[], sequence: readonly string[]): number {
  for (let i = 0; i + sequence.length <= words.length; i++) if (sequence.every((w, j) => words[i + j] === w)) return i;
  return -1;
}
