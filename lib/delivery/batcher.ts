// Work that arrives many at a time under load, done together: items gathered for `delayMs` (or
// until `max` of them) run as one call, and each caller is answered with its own result once
// that call is done. With `inFlight` instead, nothing waits on a timer: an item runs at once
// while fewer than that many calls are running, and the items that arrive meanwhile run together
// when one finishes (a lone item is not held back; a busy stream of them forms its own batches).
// When the call fails, a database that cannot be reached fails them all at once (their jobs are
// tried again later, rather than each waiting out its own timeout); any other error, and the
// items run again one by one, so only one that cannot be done fails — and does not fail its
// neighbours again at every retry.
import { isDatabaseUnavailable, type Sql, type Tx } from "@/lib/db/connect.ts";
import type { Logger } from "@/lib/log.ts";

interface Waiting<T, R> {
  item: T;
  resolve: (result: R) => void;
  reject: (e: unknown) => void;
}

/** Gathers items and runs them together: `run` answers one result per item, in their order. */
export class Batcher<T, R> {
  #waiting: Waiting<T, R>[] = [];
  #timer: ReturnType<typeof setTimeout> | undefined;
  #running = 0;

  constructor(
    private readonly run: (items: T[]) => Promise<R[]>,
    private readonly options:
      & {
        max: number;
        /**
         * Where to say that a batch failed and its items run one by one, and what they are
         * ("sends"): each item that then fails is one its caller hears of, so the log says why.
         */
        split?: { log: Logger; what: string };
      }
      & (
        | { delayMs: number; inFlight?: never }
        /** Calls that may run at once; the items that arrive meanwhile wait for one to finish. */
        | { inFlight: number; delayMs?: never }
      ),
  ) {}

  /** Runs `item` with the others of its batch; resolves with its result once they are done. */
  add(item: T): Promise<R> {
    return new Promise((resolve, reject) => {
      this.#waiting.push({ item, resolve, reject });
      if (this.options.inFlight !== undefined) {
        if (this.#running < this.options.inFlight) this.#flush();
      } else if (this.#waiting.length >= this.options.max) this.#flush();
      else this.#timer ??= setTimeout(() => this.#flush(), this.options.delayMs);
    });
  }

  #flush(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const batch = this.#waiting.splice(
      0,
      this.options.inFlight === undefined ? Infinity : this.options.max,
    );
    this.#running++;
    this.#settle(batch).finally(() => {
      this.#running--;
      if (this.options.inFlight !== undefined && this.#waiting.length) this.#flush();
    });
  }

  async #settle(batch: Waiting<T, R>[]): Promise<void> {
    try {
      const results = await this.run(batch.map((w) => w.item));
      batch.forEach((w, i) => w.resolve(results[i]));
    } catch (e) {
      if (batch.length === 1 || isDatabaseUnavailable(e)) return batch.forEach((w) => w.reject(e));
      this.options.split?.log.warn(
        "Storing {count} {what} together failed, one by one now: {error}",
        {
          count: batch.length,
          what: this.options.split.what,
          error: String(e),
        },
      );
      for (const w of batch) {
        await this.run([w.item]).then(([result]) => w.resolve(result), w.reject);
      }
    }
  }
}

/**
 * Rows that one statement stores many at a time (`storeAll`), gathered on the pool `sql`: one
 * statement in flight by default, the items that arrive meanwhile stored by the next (up to
 * `max`), each caller answered once its statement has committed.
 */
export class StoreBatch<T, R> extends Batcher<T, R> {
  constructor(
    readonly sql: Sql,
    private readonly storeAll: (sql: Tx, items: T[]) => Promise<R[]>,
    options: { split: { log: Logger; what: string }; inFlight?: number; max?: number },
  ) {
    super((items) => storeAll(sql, items), {
      inFlight: options.inFlight ?? 1,
      max: options.max ?? 100,
      split: options.split,
    });
  }

  /**
   * Stores `item` on `sql`: on the batch's pool, with the others of its batch; on another handle
   * (a caller's transaction), alone, in that transaction.
   */
  async store(item: T, sql: Tx = this.sql): Promise<R> {
    return sql === this.sql ? await this.add(item) : (await this.storeAll(sql, [item]))[0];
  }
}
