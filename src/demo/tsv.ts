/**
 * The text format both bulk loaders read: one row per line, columns separated by tabs, NULL written as \N, and tab,
 * newline, carriage return and backslash escaped with a backslash. PostgreSQL's COPY … FROM STDIN (text format) and
 * MariaDB's LOAD DATA (default FIELDS/LINES options) read exactly this, so one encoder serves both databases.
 */

export const NULL = "\\N";

const SPECIAL = /[\\\t\n\r]/;
const SPECIAL_ALL = /[\\\t\n\r]/g;
const ESCAPES: Readonly<Record<string, string>> = { "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r" };

/** A text value, escaped. Use it for anything that may hold free text; ids and dates need no escaping. */
export function text(value: string | undefined | null): string {
  if (value === undefined || value === null) return NULL;
  return SPECIAL.test(value) ? value.replace(SPECIAL_ALL, (c) => ESCAPES[c] as string) : value;
}

/** An optional value that needs no escaping (numbers, ids, dates). */
export function opt(value: string | number | undefined | null): string {
  return value === undefined || value === null ? NULL : String(value);
}

/** PostgreSQL reads "1"/"0" as booleans and MariaDB stores them in TINYINT: the same bytes for both. */
export function bool(value: boolean): string {
  return value ? "1" : "0";
}

const DAY_MS = 86_400_000;
const PAD2 = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, "0"));
const PAD3 = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, "0"));
/** Day numbers are cached from 1900-01-01 on (day -25567), in an array: faster than a Map on this hot path. */
const FIRST_DAY = -25_567;
const DAYS: (string | undefined)[] = [];

/** "YYYY-MM-DD" of a day number, cached: a few thousand distinct days cover every demo timestamp. */
function dayOf(days: number): string {
  const index = days - FIRST_DAY;
  let value = index >= 0 ? DAYS[index] : undefined;
  if (value === undefined) {
    value = new Date(days * DAY_MS).toISOString().slice(0, 10);
    if (index >= 0) DAYS[index] = value;
  }
  return value;
}

/** "HH:MM:SS.mmm" of the milliseconds since midnight. */
function timeOf(ms: number): string {
  const h = (ms / 3_600_000) | 0;
  const m = ((ms % 3_600_000) / 60_000) | 0;
  const s = ((ms % 60_000) / 1000) | 0;
  return `${PAD2[h]}:${PAD2[m]}:${PAD2[s]}.${PAD3[ms % 1000]}`;
}

/**
 * timestamptz for PostgreSQL: "2025-06-30T12:00:00.000Z", the same text as Date#toISOString but without a Date per
 * call (formatting dates was a fifth of the generator's time).
 */
export function tsz(ms: number): string {
  const t = Math.floor(ms);
  const days = Math.floor(t / DAY_MS);
  return `${dayOf(days)}T${timeOf(t - days * DAY_MS)}Z`;
}

/** DATETIME(3) for MariaDB, in UTC: "2025-06-30 12:00:00.000". */
export function dt(ms: number): string {
  const t = Math.floor(ms);
  const days = Math.floor(t / DAY_MS);
  return `${dayOf(days)} ${timeOf(t - days * DAY_MS)}`;
}

/** DATE for either database: "2025-06-30". */
export function day(ms: number): string {
  return dayOf(Math.floor(Math.floor(ms) / DAY_MS));
}

/** A chunk of encoded rows (UTF-8) and how many rows it holds (for progress). */
export interface TsvChunk {
  readonly bytes: Buffer;
  readonly rows: number;
}

const CHUNK_BYTES = 1 << 20;
const SLACK = 1 << 18;

/**
 * Encodes rows straight into ~1 MB byte chunks. Each row's string dies right after it is copied, so the garbage
 * collector never has to trace a growing string of a million pieces (which cost half the run time when chunks were
 * built by string concatenation).
 *
 * @example
 *   const out = new TsvWriter();
 *   out.row(`${id}\t${text(name)}`);
 *   if (out.full) yield out.take();
 */
export class TsvWriter {
  private buffer = Buffer.allocUnsafe(CHUNK_BYTES + SLACK);
  private used = 0;
  private count = 0;

  row(line: string): void {
    // A UTF-16 code unit takes at most 3 bytes in UTF-8; make room first so that write() never truncates.
    const worst = line.length * 3 + 1;
    if (this.used + worst > this.buffer.length) {
      const bigger = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.used + worst));
      this.buffer.copy(bigger, 0, 0, this.used);
      this.buffer = bigger;
    }
    this.used += this.buffer.write(line, this.used, "utf8");
    this.buffer[this.used++] = 10;
    this.count++;
  }

  get full(): boolean {
    return this.used >= CHUNK_BYTES;
  }

  get empty(): boolean {
    return this.count === 0;
  }

  take(): TsvChunk {
    const chunk = { bytes: this.buffer.subarray(0, this.used), rows: this.count };
    this.buffer = Buffer.allocUnsafe(CHUNK_BYTES + SLACK);
    this.used = 0;
    this.count = 0;
    return chunk;
  }
}
