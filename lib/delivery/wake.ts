import type { Sql } from "@/lib/db/connect.ts";
import { logger } from "@/lib/log.ts";

const log = logger("worker");

/** How often the wake-up looks ahead for jobs that fall due, and how far. */
const LOOK_EVERY_MS = 1_000;
const LOOK_AHEAD_MS = 2_500;

/**
 * Wakes the worker at the moment a job falls due (a scheduled send, a paced broadcast text)
 * instead of at its next poll, which could be up to a poll interval late. Every worker process
 * runs one, so a restart picks up the schedule from the database.
 */
export function startWakeTimer(sql: Sql, nudge: () => void): { stop: () => void } {
  const timers = new Map<number, ReturnType<typeof setTimeout>>();
  let stopped = false;
  const look = async () => {
    try {
      const due = await sql`
        select distinct floor(extract(epoch from run_at) * 1000)::float8 as at,
          extract(epoch from run_at - clock_timestamp()) * 1000 as in_ms
        from graphile_worker._private_jobs
        where locked_at is null and attempts = 0
          and run_at > clock_timestamp()
          and run_at <= clock_timestamp() + ${`${LOOK_AHEAD_MS} milliseconds`}::interval
        limit 500`;
      for (const row of due) {
        const at = Number(row.at);
        if (stopped || timers.has(at)) continue;
        timers.set(
          at,
          setTimeout(() => {
            timers.delete(at);
            nudge();
          }, Math.max(0, Number(row.in_ms))),
        );
      }
    } catch (e) {
      log.debug("Wake-up look-ahead failed: {error}", { error: String(e) });
    }
  };
  look();
  const interval = setInterval(look, LOOK_EVERY_MS);
  return {
    stop: () => {
      stopped = true;
      clearInterval(interval);
      for (const t of timers.values()) clearTimeout(t);
      timers.clear();
    },
  };
}
