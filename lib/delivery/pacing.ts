import type { Sql } from "@/lib/db/connect.ts";

/** A reserved slot (wait this long, then send, then report `done`) or how long to wait first. */
export type Slot =
  | { reserved: true; waitMs: number; id: number }
  | { reserved: false; retryInMs: number };

/** How a sender is paced: `perWindow` texts in any `windowMs`, spread `intervalMs` apart. */
export interface Pace {
  intervalMs: number;
  perWindow: number;
  windowMs: number;
}

/** The pace of a rate in texts per second (below 1: one text per 1/rate seconds). */
export function paceOf(mps: number): Pace {
  const perWindow = Math.max(1, Math.floor(mps));
  return {
    intervalMs: Math.ceil(1000 / mps),
    perWindow,
    windowMs: Math.ceil((perWindow / mps) * 1000),
  };
}

// While a text in flight must answer before the next slot is known, ask again this soon.
const IN_FLIGHT_RETRY_MS = 15;

/**
 * Reserves the sender's next send slot, in one row per sender under its lock, so every worker
 * process shares one rate. A slot further ahead than `horizonMs` is not taken: the caller comes
 * back later, and a reply (with a longer horizon) can take the slots a broadcast left free.
 */
export async function reserveSlot(
  sql: Sql,
  options: { sender: string; pace: Pace; horizonMs: number },
): Promise<Slot> {
  const ms = (n: number) => `${n} milliseconds`;
  const [row] = await sql`
    select reserved, slot_id,
      -- null (not 0) while a text in flight must answer first: greatest() would drop it
      case when slot_at is not null
        then greatest(0, extract(epoch from slot_at - clock_timestamp()) * 1000)::float8
      end as wait_ms
    from hatch_reserve_slot(${options.sender}, ${ms(options.pace.intervalMs)}::interval,
      ${options.pace.perWindow}::int, ${ms(options.pace.windowMs)}::interval,
      ${ms(options.horizonMs)}::interval)`;
  if (row.reserved) return { reserved: true, waitMs: Number(row.wait_ms), id: Number(row.slot_id) };
  if (row.wait_ms === null) return { reserved: false, retryInMs: IN_FLIGHT_RETRY_MS };
  return { reserved: false, retryInMs: Math.max(0, Number(row.wait_ms) - options.horizonMs) };
}

/** Records that the provider answered the text sent in slot `id` (it has arrived there). */
export async function slotDone(sql: Sql, id: number): Promise<void> {
  await sql`update sms_send_slots set done_at = clock_timestamp() where id = ${id}`;
}
