/**
 * A background pass run one at a time: a kick while a pass runs asks for one more right after it, so any number of
 * kicks costs at most the pass in progress and one more. A pass records its own failures; a failure never stops the
 * loop. Used by the consent deliverer's outbox drain and the audit chain's linker.
 *
 * @example
 *   const drain = new OneAtATime(() => deliverDue());
 *   store.listen("steward_outbox", () => drain.kick());
 */
export class OneAtATime {
  readonly #pass: () => Promise<unknown>;
  #running: Promise<void> | undefined;
  #again = false;
  #stopped = false;

  constructor(pass: () => Promise<unknown>) {
    this.#pass = pass;
  }

  /** Is a pass running now? */
  get busy(): boolean {
    return this.#running !== undefined;
  }

  /** Has `stop` been called (and not `resume` since)? */
  get stopped(): boolean {
    return this.#stopped;
  }

  /** Runs a pass now, or right after the one in progress; nothing once stopped. */
  kick(): void {
    if (this.#stopped) return;
    if (this.#running) {
      this.#again = true;
      return;
    }
    this.#running = this.#pass()
      .then(
        () => {},
        () => {},
      )
      .finally(() => {
        this.#running = undefined;
        if (this.#again) {
          this.#again = false;
          this.kick();
        }
      });
  }

  /** No pass starts after this; waits for the one running. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#again = false;
    await this.#running;
  }

  /** Lets kicks run passes again after `stop`. */
  resume(): void {
    this.#stopped = false;
  }
}
