/**
 * How long to wait before retrying a failed call: what the vendor's `Retry-After` header says (seconds or an HTTP
 * date), else an exponential back-off (initial, 2×, 4×, … capped at the maximum).
 *
 * @example
 *   retryDelay(3, "2", { initial_delay_ms: 500, max_delay_ms: 30_000 }); // 2000: the header wins
 *   retryDelay(3, null, { initial_delay_ms: 500, max_delay_ms: 30_000 }); // 2000: 500 × 2²
 */

export interface BackoffSettings {
  readonly initial_delay_ms: number;
  readonly max_delay_ms: number;
}

/** `attempt` is the 1-based number of the attempt that just failed. */
export function retryDelay(attempt: number, retryAfter: string | null, backoff: BackoffSettings): number {
  const header = parseRetryAfter(retryAfter);
  if (header !== undefined) return header;
  return Math.min(backoff.max_delay_ms, backoff.initial_delay_ms * 2 ** (attempt - 1));
}

/** Milliseconds from a `Retry-After` value; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (value === null || value.trim() === "") return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
