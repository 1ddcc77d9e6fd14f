import type { Sql } from "./connect.ts";

// Probes answer a caller within the timeout but their query may stay queued in the pool (a hung
// server); sharing the one in flight keeps health checks from piling queries up behind it.
const inFlight = new WeakMap<Sql, Promise<unknown>>();

/** Whether the database answers `select 1` within `timeoutMs`; never waits longer. */
export async function pingDatabase(sql: Sql, timeoutMs = 1000): Promise<boolean> {
  let probe = inFlight.get(sql);
  if (!probe) {
    probe = Promise.resolve(sql`select 1`).finally(() => inFlight.delete(sql));
    inFlight.set(sql, probe);
  }
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    return await Promise.race([probe.then(() => true, () => false), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
