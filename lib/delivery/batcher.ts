// Work that arrives many at a time under load, done together: items gathered for `delayMs` (or
// until `max` of them) run as one call, and each caller is answered with its own result once
// that call is done. When the call fails, a database that cannot be reached fails them all at
// once (their jobs are tried again later, rather than each waiting out its own timeout); any
// other error, and the items run again one by one, so only one that cannot be done fails — and
// does not fail its neighbours again at every retry.
import { isDatabaseUnavailable } from "@/lib/db/connect.ts";

interface Waiting<T, R> {
  item: T;
  resolve: (result: R) => void;
  reject: (e: unknown) => void;
}

/** Gathers items and runs them together: `run` answers one result per item, in their order. */
export class Batcher<T, R> {
  #waiting: Waiting<T, R>[] = [];
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly run: (items: T[]) => Promise<R[]>,
    private readonly options: {
      delayMs: number;
      max: number;
      /** Told when a batch failed and its items run one by one. */
      onSplit?: (count: number, error: unknown) => void;
    },
  ) {}

  /** Runs `item` with the others of its batch; resolves with its result once they are done. */
  add(item: T): Promise<R> {
    return new Promise((resolve, reject) => {
      this.#waiting.push({ item, resolve, reject });
      if (this.#waiting.length >= this.options.max) this.#flush();
      else this.#timer ??= setTimeout(() => this.#flush(), this.options.delayMs);
    });
  }

  #flush(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const batch = this.#waiting;
    this.#waiting = [];
    this.run(batch.map((w) => w.item)).then(
      (results) => batch.forEach((w, i) => w.resolve(results[i])),
      async (e) => {
        if (batch.length === 1 || isDatabaseUnavailable(e)) {
          return batch.forEach((w) => w.reject(e));
        }
        this.options.onSplit?.(batch.length, e);
        for (const w of batch) {
          await this.run([w.item]).then(([result]) => w.resolve(result), w.reject);
        }
      },
    );
  }
}
