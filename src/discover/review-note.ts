/**
 * The mark a suggestion carries until a person has looked at it: `fides_meta.steward_review`, a note saying what was
 * suggested and why. Fides keeps unknown `fides_meta` keys, so the mark survives loading, export and import; `steward
 * check` reports every field that still has it (SC014). Deleting the line is how a reviewer says "checked".
 */
import type { Field } from "../manifest/types.ts";

export const REVIEW_NOTE_KEY = "steward_review";

/** The field's review note, or undefined once it has been reviewed. */
export function reviewNoteOf(field: Field): string | undefined {
  const meta = field.fides_extra["fides_meta"];
  if (meta === null || typeof meta !== "object") return undefined;
  const note = (meta as Record<string, unknown>)[REVIEW_NOTE_KEY];
  return note === undefined || note === null ? undefined : String(note);
}
