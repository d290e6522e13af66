import { stewardError } from "../../errors.ts";
import type { DeadlineRule, Period } from "./deadline-rule.ts";
import {
  addBusinessDays,
  addDays,
  addMonths,
  endOfLocalDay,
  isoDate,
  isTimeZone,
  isWeekend,
  type LocalDate,
  localDateOf,
} from "./local-date.ts";

/** A stop of the clock an operator made, with a reason kept elsewhere; an open pause has no `to` yet. */
export interface ClockPause {
  readonly from: Date;
  readonly to?: Date;
}

export interface DeadlineInput {
  /** When the request arrived. */
  readonly receivedAt: Date;
  /** When the requester's identity was confirmed; starts a stop-the-clock rule's clock (UK). */
  readonly verifiedAt?: Date;
  /** The controller has told the person it takes the extension. */
  readonly extended?: boolean;
  /** Pauses of the clock; each pushes the answer's due dates by its length (an open one counts up to `now`). */
  readonly pauses?: readonly ClockPause[];
  /** The time an open pause counts up to. Default: the current time. */
  readonly now?: Date;
}

/** The controller's calendar: the zone its days are counted in, and its public holidays. */
export interface DeadlineCalendar {
  /** IANA time zone. Default "UTC". */
  readonly timeZone?: string;
  /** Public holidays as "YYYY-MM-DD": they are not business days, and a rule that moves due days moves off them. */
  readonly holidays?: readonly string[];
}

export interface Deadlines {
  /** When the clock started: receipt, or for a stop-the-clock rule the later of receipt and verification (else null). */
  readonly clockStartsAt: Date | null;
  /** The end of the day by which receipt must be confirmed; null when the law asks for no confirmation. */
  readonly acknowledgeBy: Date | null;
  /** The end of the first period's last day, pauses added. */
  readonly dueAt: Date | null;
  /** The end of the day the extended period ends, pauses added; null when the rule allows no extension. */
  readonly extendedDueAt: Date | null;
  /** The person must hear of an extension, with the reasons, by then (the first period's end). */
  readonly extensionNoticeBy: Date | null;
  /** The due date that applies now: `extendedDueAt` once `extended`, else `dueAt`. */
  readonly respondBy: Date | null;
  /** How long the clock has stood still after it started. */
  readonly pausedMs: number;
  readonly rule: DeadlineRule;
}

const invalid = (field: string, value: unknown, detail: string) =>
  stewardError("STW_DEADLINE_BAD_INPUT", { field, value: JSON.stringify(value) ?? String(value), detail });

function checkDate(field: string, value: Date | undefined): void {
  if (value !== undefined && !(value instanceof Date && Number.isFinite(value.getTime())))
    throw invalid(field, value, "must be a valid Date");
}

function calendarOf(calendar: string | DeadlineCalendar): { timeZone: string; holidays: ReadonlySet<string> } {
  const { timeZone = "UTC", holidays = [] } = typeof calendar === "string" ? { timeZone: calendar } : calendar;
  if (!isTimeZone(timeZone)) throw invalid("timeZone", timeZone, "not an IANA time zone such as Europe/Amsterdam");
  for (const h of holidays) {
    const [y, m, d] = h.split("-").map(Number);
    const real = /^\d{4}-\d{2}-\d{2}$/.test(h) && isoDate(addDays({ year: y!, month: m!, day: d! }, 0)) === h;
    if (!real) throw invalid("holiday", h, "must be a date written YYYY-MM-DD");
  }
  return { timeZone, holidays: new Set(holidays) };
}

/** The clock's stopped time after `start`: overlapping pauses count once, an open pause runs to `now`. */
function pausedAfter(start: Date, pauses: readonly ClockPause[], now: Date): number {
  const spans = pauses
    .map((p) => [Math.max(p.from.getTime(), start.getTime()), (p.to ?? now).getTime()] as const)
    .filter(([from, to]) => to > from)
    .sort((a, b) => a[0] - b[0]);
  let total = 0;
  let reached = Number.NEGATIVE_INFINITY;
  for (const [from, to] of spans) {
    const begin = Math.max(from, reached);
    if (to > begin) total += to - begin;
    reached = Math.max(reached, to);
  }
  return total;
}

/** The last day of `periods` counted on from `start`, moved off a non-working day where the rule says so. */
function lastDay(rule: DeadlineRule, start: LocalDate, periods: readonly Period[], holidays: ReadonlySet<string>) {
  // Periods of one unit are counted as one (GDPR: three months from the start, not one month then two).
  const sameUnit = periods.every((p) => p.unit === periods[0]?.unit);
  const steps =
    sameUnit && periods[0] ? [{ ...periods[0], amount: periods.reduce((n, p) => n + p.amount, 0) }] : periods;
  let day = start;
  for (const p of steps)
    day =
      p.unit === "months"
        ? addMonths(day, p.amount)
        : p.unit === "days"
          ? addDays(day, p.amount)
          : addBusinessDays(day, p.amount, holidays);
  const roll = rule.rollOver;
  const holiday = (d: LocalDate) => holidays.has(isoDate(d));
  if (!roll || !(holiday(day) || (roll.from === "weekends_and_holidays" && isWeekend(day)))) return day;
  do day = addDays(day, 1);
  while (holiday(day) || (roll.to === "working_day" && isWeekend(day)));
  return day;
}

/**
 * The due dates of one request under a rule. Every date is the end (23:59:59.999) of its day on the controller's
 * calendar — UTC unless a time zone is given — and the day of receipt is day zero: a request received at 23:30 UTC on
 * 31 January is, in Europe/Amsterdam, received on 1 February. Pauses push the answer's dates (not the confirmation of
 * receipt) by exactly the time the clock stood still, so a paused due date may fall inside a day.
 *
 * Throws STW_DEADLINE_BAD_INPUT for an invalid date, zone or holiday, and STW_DEADLINE_NO_EXTENSION when `extended` is
 * set under a rule that allows none.
 *
 * @example
 *   const d = computeDeadlines(deadlineRulesFor("eea"), { receivedAt: new Date("2025-01-31T10:00:00Z") });
 *   d.dueAt; // 2025-02-28T23:59:59.999Z — one month, and February has no 31st
 */
export function computeDeadlines(
  rule: DeadlineRule,
  input: DeadlineInput,
  calendar: string | DeadlineCalendar = {},
): Deadlines {
  const { timeZone, holidays } = calendarOf(calendar);
  checkDate("receivedAt", input.receivedAt);
  checkDate("verifiedAt", input.verifiedAt);
  checkDate("now", input.now);
  for (const p of input.pauses ?? []) {
    checkDate("pause.from", p.from);
    checkDate("pause.to", p.to);
    if (p.to && p.to < p.from) throw invalid("pause", { from: p.from, to: p.to }, "a pause must end after it starts");
  }
  if (input.extended && !rule.extension)
    throw stewardError("STW_DEADLINE_NO_EXTENSION", { jurisdiction: rule.jurisdiction, law: rule.law });

  const end = (d: LocalDate, shiftMs = 0) => new Date(endOfLocalDay(d, timeZone).getTime() + shiftMs);
  const acknowledgeBy = rule.acknowledge
    ? end(lastDay(rule, localDateOf(input.receivedAt, timeZone), [rule.acknowledge], holidays))
    : null;
  const clockStartsAt =
    rule.clockStarts.at === "receipt"
      ? input.receivedAt
      : input.verifiedAt
        ? new Date(Math.max(input.receivedAt.getTime(), input.verifiedAt.getTime()))
        : null;
  if (!clockStartsAt)
    return {
      clockStartsAt,
      acknowledgeBy,
      dueAt: null,
      extendedDueAt: null,
      extensionNoticeBy: null,
      respondBy: null,
      pausedMs: 0,
      rule,
    };

  const pausedMs = pausedAfter(clockStartsAt, input.pauses ?? [], input.now ?? new Date());
  const start = localDateOf(clockStartsAt, timeZone);
  const dueAt = end(lastDay(rule, start, [rule.respond], holidays), pausedMs);
  const extendedDueAt = rule.extension
    ? end(lastDay(rule, start, [rule.respond, rule.extension], holidays), pausedMs)
    : null;
  return {
    clockStartsAt,
    acknowledgeBy,
    dueAt,
    extendedDueAt,
    extensionNoticeBy: rule.extension ? dueAt : null,
    respondBy: input.extended ? extendedDueAt : dueAt,
    pausedMs,
    rule,
  };
}
