/**
 * A sampled value as the text the detectors read. Drivers return strings, numbers, bigints, Dates and Buffers; a Date
 * at local midnight is a calendar date (`2001-04-09`, what `date` columns give), any other Date a moment
 * (`2001-04-09T13:05:00`), which is never taken for a date of birth. Binary values and booleans carry nothing the
 * detectors look for. The text stays in memory: nothing here is ever printed.
 */
const pad = (n: number, width = 2) => String(n).padStart(width, "0");

export function sampledText(value: unknown): string | undefined {
  if (typeof value === "string") return value.trim() === "" ? undefined : value.trim();
  if (typeof value === "number" || typeof value === "bigint") return String(value);
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return undefined;
    const day = `${pad(value.getFullYear(), 4)}-${pad(value.getMonth() + 1)}-${pad(value.getDate())}`;
    const midnight = value.getHours() + value.getMinutes() + value.getSeconds() + value.getMilliseconds() === 0;
    return midnight ? day : `${day}T${pad(value.getHours())}:${pad(value.getMinutes())}:${pad(value.getSeconds())}`;
  }
  return undefined;
}
