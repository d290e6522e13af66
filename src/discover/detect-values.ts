/**
 * Runs the value detectors over one column's sampled values and keeps those that reach their share. The result holds
 * counts only, so it can be shown and written anywhere; the values themselves never leave this function.
 */
import { sampledText } from "./sampled-text.ts";
import { VALUE_DETECTORS, type ValueDetector } from "./value-detectors.ts";

export interface ValueEvidence {
  readonly category: string;
  readonly matched: number;
  /** Non-empty sampled values. */
  readonly of: number;
  /** e.g. "3/200 sampled values look like e-mail addresses" */
  readonly reason: string;
}

export interface DetectOptions {
  readonly today: Date;
  /** Detectors to leave out (the date-of-birth detector is left out for columns named like a timestamp). */
  readonly skip?: (detector: ValueDetector) => boolean;
}

export function detectValues(values: readonly unknown[], options: DetectOptions): ValueEvidence[] {
  const texts = values.map(sampledText).filter((t): t is string => t !== undefined);
  if (texts.length === 0) return [];
  const found: ValueEvidence[] = [];
  for (const detector of VALUE_DETECTORS) {
    if (options.skip?.(detector)) continue;
    const matched = texts.filter((t) => detector.test(t, options.today)).length;
    if (matched === 0 || matched < detector.minShare * texts.length) continue;
    found.push({
      category: detector.category,
      matched,
      of: texts.length,
      reason: `${matched}/${texts.length} sampled values look like ${detector.lookLike}`,
    });
  }
  return found;
}
