/**
 * Timestamps as the Data Rights Protocol carries them. Sent strictly: ISO 8601 in UTC with an explicit `+00:00` offset
 * and milliseconds (older Python parsers of the reference agent reject `Z`). Read liberally: `Z` or any offset, no
 * offset (taken as UTC), and Python's microseconds (`.651234`), which JavaScript's parser does not take.
 */

/** `2026-11-29T04:15:29.651+00:00`. */
export function drpTime(date: Date): string {
  return date.toISOString().replace(/Z$/, "+00:00");
}

const ISO = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2})?)(?:[.,](\d+))?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;

/** The instant a DRP timestamp names, or undefined when it is not one. */
export function parseDrpTime(value: unknown): Date | undefined {
  if (typeof value !== "string") return undefined;
  const m = ISO.exec(value.trim());
  if (!m) return undefined;
  const [, day, time, fraction, zone] = m;
  const ms = (fraction ?? "").padEnd(3, "0").slice(0, 3);
  const offset =
    !zone || zone.toUpperCase() === "Z"
      ? "+00:00"
      : zone.length === 3
        ? `${zone}:00`
        : zone.includes(":")
          ? zone
          : `${zone.slice(0, 3)}:${zone.slice(3)}`;
  const seconds = time!.length === 5 ? `${time}:00` : time;
  const date = new Date(`${day}T${seconds}.${ms}${offset}`);
  return Number.isNaN(date.getTime()) ? undefined : date;
}
