import type { Sql } from "@/lib/db/connect.ts";

/** A reserved slot (wait this long, then send) or how long until one may be reserved. */
export type Slot = { reserved: true; waitMs: number } | { reserved: false; retryInMs: number };

/**
 * Reserves the sender's next send slot: slots are `intervalMs` apart, kept in one row per sender
 * under its lock, so every worker process shares one rate. A slot further ahead than `horizonMs`
 * is not taken: the caller comes back later, and a reply (with a longer horizon) can take the
 * slots a broadcast left free.
 */
export async function reserveSlot(
  sql: Sql,
  options: { sender: string; intervalMs: number; horizonMs: number },
): Promise<Slot> {
  const [row] = await sql`
    select reserved,
      greatest(0, extract(epoch from slot_at - clock_timestamp()) * 1000)::float8 as wait_ms
    from hatch_reserve_slot(${options.sender}, ${`${options.intervalMs} milliseconds`}::interval,
      ${`${options.horizonMs} milliseconds`}::interval)`;
  const waitMs = Number(row.wait_ms);
  return row.reserved
    ? { reserved: true, waitMs }
    : { reserved: false, retryInMs: Math.max(0, waitMs - options.horizonMs) };
}
