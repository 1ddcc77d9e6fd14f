// A conversation's deliveries leave in the order they were queued, without a graphile-worker
// queue per conversation. Such a queue costs a row per conversation (never removed) and every job
// fetch locked all the available ones: 2.9 ms a fetch at 1,000 conversations, most of
// PostgreSQL's time under load (bench/realtime.ts); 64 shared lanes still cost 1.2 ms a fetch.
// Instead, a worker process runs the deliveries of one conversation one after another, in the
// order it fetched them, which is the order they were queued (graphile-worker fetches by
// priority, then time). Two worker processes may each fetch one of a conversation's messages at
// the same instant; between processes the order is then the provider's.

/** Runs tasks keyed by conversation one at a time per key, in the order they were given. */
export class ConversationOrder {
  #tails = new Map<string, Promise<unknown>>();

  /** Runs `task` after every task given before it for `key` (at once without a key). */
  run<T>(key: string | undefined, task: () => Promise<T>): Promise<T> {
    if (!key) return task();
    const before = this.#tails.get(key) ?? Promise.resolve();
    const mine = before.then(task, task);
    const tail = mine.catch(() => {});
    this.#tails.set(key, tail);
    // The last one out removes the key, so the map holds only conversations in flight.
    tail.then(() => {
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    });
    return mine;
  }

  /** How many conversations have deliveries in flight. */
  get size(): number {
    return this.#tails.size;
  }
}
