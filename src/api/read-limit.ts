/**
 * The per-address limit of the consent API's reads (`GET /api/consent/decision`, `POST /api/consent/decisions`,
 * `GET /api/consent/gpp`) for callers without a credential — the browser SDK, or anyone. One budget per client
 * address, shared by the three routes and by the fast path that answers cached decisions before Fastify
 * (src/api/fast-decision.ts), so that neither door is a way around the other.
 *
 * A fixed window of one minute: one map lookup and an increment per request, cheap enough for the hottest route. A
 * host's backend that asks for all its users from one address calls with its token and is not counted here.
 */
export class ReadLimit {
  #window = 0;
  #counts = new Map<string, number>();

  /**
   * @param max requests per address and minute (at least 1)
   * @param now the clock, in milliseconds
   */
  constructor(
    readonly max: number,
    private readonly now: () => number = Date.now,
  ) {
    if (!(max >= 1)) throw new RangeError(`ReadLimit: max must be at least 1, not ${max}`);
  }

  /** Counts one request from `address`: 0 when it may go on, else the seconds until the next window opens. */
  take(address: string | undefined): number {
    const now = this.now();
    const window = Math.floor(now / 60_000);
    if (window !== this.#window) {
      this.#window = window;
      this.#counts = new Map();
    }
    const key = address ?? "";
    const count = (this.#counts.get(key) ?? 0) + 1;
    this.#counts.set(key, count);
    return count <= this.max ? 0 : Math.max(1, Math.ceil(((window + 1) * 60_000 - now) / 1000));
  }
}

/** Reads per address and minute before 429 (`STW_API_RATE_LIMITED`), times the server's `rateLimitScale`. */
export const CONSENT_READS_PER_MINUTE = 600;
