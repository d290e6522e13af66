/**
 * Calendar dates in a time zone, and the arithmetic deadlines need: add days, business days or calendar months, find
 * the end of a day. A `LocalDate` is a date on the controller's calendar, with no time and no zone; instants
 * (`Date`) become local dates and back only through the functions here, using the platform's IANA zone data (Intl).
 */
export interface LocalDate {
  readonly year: number;
  /** 1–12. */
  readonly month: number;
  readonly day: number;
}

const DAY_MS = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** True for a time zone the platform knows ("UTC", "Europe/Amsterdam"). */
export function isTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The wall-clock reading of an instant in a zone, as if it were UTC (milliseconds dropped). */
function wallClockMs(instantMs: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(instantMs))) parts[p.type] = Number(p.value);
  return Date.UTC(parts["year"]!, parts["month"]! - 1, parts["day"]!, parts["hour"], parts["minute"], parts["second"]);
}

/** How far the zone's clock is ahead of UTC at that instant. */
const offsetMs = (instantMs: number, timeZone: string) =>
  wallClockMs(instantMs, timeZone) - (instantMs - (((instantMs % 1000) + 1000) % 1000));

/** The date an instant falls on in the zone: 23:30 UTC on 31 January is 1 February in Amsterdam. */
export function localDateOf(instant: Date, timeZone: string): LocalDate {
  const wall = new Date(wallClockMs(instant.getTime(), timeZone));
  return { year: wall.getUTCFullYear(), month: wall.getUTCMonth() + 1, day: wall.getUTCDate() };
}

/** The last millisecond of the date in the zone (23:59:59.999 local), daylight saving included. */
export function endOfLocalDay(date: LocalDate, timeZone: string): Date {
  const wall = Date.UTC(date.year, date.month - 1, date.day, 23, 59, 59, 999);
  const first = wall - offsetMs(wall, timeZone);
  return new Date(wall - offsetMs(first, timeZone));
}

const dayNumber = (d: LocalDate) => Date.UTC(d.year, d.month - 1, d.day) / DAY_MS;
function fromDayNumber(n: number): LocalDate {
  const t = new Date(n * DAY_MS);
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() };
}

export const addDays = (d: LocalDate, days: number): LocalDate => fromDayNumber(dayNumber(d) + days);

/** Days in a month of the Gregorian calendar (February 2100 has 28). */
export const daysInMonth = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** The same date `months` later, or the last day of that month when it has no such date (31 January → 28 February). */
export function addMonths(d: LocalDate, months: number): LocalDate {
  const index = d.year * 12 + (d.month - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  return { year, month, day: Math.min(d.day, daysInMonth(year, month)) };
}

/** "2025-02-28". */
export const isoDate = (d: LocalDate): string =>
  `${String(d.year).padStart(4, "0")}-${String(d.month).padStart(2, "0")}-${String(d.day).padStart(2, "0")}`;

/** 0 for Sunday … 6 for Saturday. */
export const weekday = (d: LocalDate): number => new Date(dayNumber(d) * DAY_MS).getUTCDay();

export const isWeekend = (d: LocalDate): boolean => weekday(d) === 0 || weekday(d) === 6;

/** Monday to Friday and not a listed holiday. */
export const isWorkingDay = (d: LocalDate, holidays: ReadonlySet<string>): boolean =>
  !isWeekend(d) && !holidays.has(isoDate(d));

/** The `count`th working day after `d` (the day itself is not counted). */
export function addBusinessDays(d: LocalDate, count: number, holidays: ReadonlySet<string>): LocalDate {
  let day = d;
  for (let left = count; left > 0; ) {
    day = addDays(day, 1);
    if (isWorkingDay(day, holidays)) left--;
  }
  return day;
}
