// Deliveries start many at a time under load: a batch of stored outcomes frees that many of the
// worker's slots at once, and each takes its next job from the local queue. Read one by one, each
// text is a round trip of its own, and a round trip costs Hatch's one thread more than the read
// costs PostgreSQL (under load, a CPU profile found a quarter of the thread's time inside the
// writes of its queries). Those that start in the same turn of the event loop share one read
// (./batcher.ts).
import type { Sql } from "@/lib/db/connect.ts";
import { Batcher } from "./batcher.ts";

// deno-lint-ignore no-explicit-any -- a messages row as its task reads it
export type TextToSend = Record<string, any>;

/** Reads the texts deliveries are about to send, those asked for together in one query. */
export class ClaimBatch extends Batcher<string, TextToSend | undefined> {
  constructor(sql: Sql) {
    super((ids) => readTexts(sql, ids), { delayMs: 0, max: Infinity });
  }

  /**
   * The text to send, with its recipient's opt-out from its sender (`opt_out_keyword`,
   * `opt_out_at`, null when none), when it still waits to go out; undefined when it is past that
   * (a job run twice after a crash, or a row another worker finished). No write, no lock.
   */
  claim(id: string): Promise<TextToSend | undefined> {
    return this.add(id);
  }
}

// One query for all of them; an id asked for twice gets the same row twice.
async function readTexts(sql: Sql, ids: string[]): Promise<(TextToSend | undefined)[]> {
  const rows = await sql`
    select m.*, o.keyword as opt_out_keyword, o.opted_out_at as opt_out_at
    from messages m
    left join sms_opt_outs o on o.sender = m.from_contact and o.recipient = m.to_contact
    where m.id = any(${ids}::uuid[]) and m.status in ('queued', 'sending')`;
  const byId = new Map(rows.map((r) => [r.id as string, r]));
  return ids.map((id) => byId.get(id));
}
