// Gives up on statements the server has not answered in time (a network partition, a server that
// hangs), checked by one timer per pool rather than one per statement.
//
// node-postgres' own `query_timeout` arms a timer per statement whose callback holds the
// statement, and under Deno a cleared timer's callback stayed reachable: every answer outlived two
// young-generation collections and was promoted, so each scavenge copied megabytes and took 4–6 ms
// instead of 0.2 — most of a page's p99 (README, "Page tails").

/** The message node-postgres gives its own read timeout; callers recognise it by this. */
export const READ_TIMEOUT_MESSAGE = "Query read timeout";

interface Pending {
  deadline: number;
  fail: () => void;
}

/** Statements in flight on one pool, each failed once it is older than `ms`. */
export class ReadDeadlines {
  #pending = new Set<Pending>();
  #timer: ReturnType<typeof setInterval> | undefined;

  constructor(readonly ms: number) {}

  /** `work`'s outcome, or a READ_TIMEOUT_MESSAGE error once `ms` have passed without one. */
  watch<T>(work: Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const entry: Pending = {
        deadline: performance.now() + this.ms,
        fail: () => reject(new Error(READ_TIMEOUT_MESSAGE)),
      };
      this.#pending.add(entry);
      this.#arm();
      work.then((value) => {
        this.#pending.delete(entry);
        resolve(value);
      }, (error) => {
        this.#pending.delete(entry);
        reject(error);
      });
    });
  }

  /** Stops the check; statements still in flight keep only their own outcome. */
  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  #arm(): void {
    if (this.#timer !== undefined) return;
    const timer = setInterval(() => this.#sweep(), Math.min(1_000, this.ms));
    // The check alone must not keep a process alive that has nothing else to do.
    Deno.unrefTimer(timer);
    this.#timer = timer;
  }

  #sweep(): void {
    const now = performance.now();
    for (const entry of this.#pending) {
      if (entry.deadline > now) continue;
      this.#pending.delete(entry);
      entry.fail();
    }
    if (!this.#pending.size) this.stop();
  }
}
