// Deliveries start many at a time under load: a batch of stored outcomes frees that many of the
// worker's slots at once, and each takes its next job from the local queue. Read one by one, each
// text is a round trip of its own, and a round trip costs Hatch's one thread more than the read
// costs PostgreSQL (under load, a CPU profile found a quarter of the thread's time inside the
// writes of its queries). Those that start in the same turn of the event loop share one read.
import { isDatabaseUnavailable, type Sql } from "@/lib/db/connect.ts";

// deno-lint-ignore no-explicit-any -- a messages row as its task reads it
export type TextToSend = Record<string, any>;

interface Waiting {
  resolve: (row: TextToSend | undefined) => void;
  reject: (e: unknown) => void;
}

/** Reads the texts deliveries are about to send, those asked for together in one query. */
export class ClaimBatch {
  #waiting = new Map<string, Waiting[]>();

  constructor(private readonly sql: Sql) {}

  /**
   * The text to send, with its recipient's opt-out from its sender (`opt_out_keyword`,
   * `opt_out_at`, null when none), when it still waits to go out; undefined when it is past that
   * (a job run twice after a crash, or a row another worker finished). No write, no lock.
   */
  claim(id: string): Promise<TextToSend | undefined> {
    return new Promise((resolve, reject) => {
      if (this.#waiting.size === 0) setTimeout(() => this.#flush(), 0);
      const same = this.#waiting.get(id);
      if (same) same.push({ resolve, reject });
      else this.#waiting.set(id, [{ resolve, reject }]);
    });
  }

  async #flush(): Promise<void> {
    const batch = this.#waiting;
    this.#waiting = new Map();
    try {
      await this.#read(batch);
    } catch (e) {
      // A database that cannot be reached fails them all (graphile-worker tries each again).
      if (batch.size === 1 || isDatabaseUnavailable(e)) {
        for (const waiting of batch.values()) waiting.forEach((w) => w.reject(e));
        return;
      }
      // One bad job must not fail the others, again at every retry: each is read on its own.
      for (const [id, waiting] of batch) {
        await this.#read(new Map([[id, waiting]]))
          .catch((one) => waiting.forEach((w) => w.reject(one)));
      }
    }
  }

  // Resolves every claim of `batch` once their one query has answered.
  async #read(batch: Map<string, Waiting[]>): Promise<void> {
    const rows = await this.sql`
      select m.*, o.keyword as opt_out_keyword, o.opted_out_at as opt_out_at
      from messages m
      left join sms_opt_outs o on o.sender = m.from_contact and o.recipient = m.to_contact
      where m.id = any(${[...batch.keys()]}::uuid[]) and m.status in ('queued', 'sending')`;
    const byId = new Map(rows.map((r) => [r.id as string, r]));
    for (const [id, waiting] of batch) waiting.forEach((w) => w.resolve(byId.get(id)));
  }
}
