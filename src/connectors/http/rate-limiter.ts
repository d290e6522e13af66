/**
 * Spaces a connector's requests so that they never start faster than the vendor's rate limit allows. Honouring the
 * limit on our side costs a little waiting; hitting it costs a 429, a back-off and a retry, and on some APIs a longer
 * lock-out. Calls made at the same time queue for consecutive slots.
 */
export class RateLimiter {
  private readonly intervalMs: number;
  private nextSlot = 0;

  constructor(requestsPerSecond: number) {
    this.intervalMs = 1000 / requestsPerSecond;
  }

  /** Resolves when the next request may start. */
  async wait(): Promise<void> {
    const now = Date.now();
    const slot = Math.max(now, this.nextSlot);
    this.nextSlot = slot + this.intervalMs;
    if (slot > now) await new Promise((resolve) => setTimeout(resolve, slot - now));
  }
}
