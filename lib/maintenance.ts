// The daily clean-up the worker's `prune` cron task runs: each kind of short-lived row is deleted
// by the module that owns it, once it is past its keeping time.
import type { Sql } from "./db/connect.ts";
import { logger } from "./log.ts";
import { pruneEvents } from "./realtime/event_log.ts";
import { pruneIdempotencyKeys } from "./idempotency/service.ts";
import { pruneSessions } from "./auth/sessions.ts";
import { pruneLoginThrottle } from "./auth/throttle.ts";
import { pruneWebhookReceipts } from "./emails/events.ts";

const log = logger("maintenance");

/** How many rows of each kind one prune deleted. */
export interface PruneCounts {
  events: number;
  idempotencyKeys: number;
  sessions: number;
  webhookReceipts: number;
  loginThrottles: number;
}

/** Deletes old events, idempotency answers, sessions, webhook receipts and login throttles. */
export async function pruneExpired(
  sql: Sql,
  options: { eventRetentionDays: number },
): Promise<PruneCounts> {
  const counts: PruneCounts = {
    events: await pruneEvents(sql, options.eventRetentionDays),
    idempotencyKeys: await pruneIdempotencyKeys(sql),
    sessions: await pruneSessions(sql),
    webhookReceipts: await pruneWebhookReceipts(sql),
    loginThrottles: await pruneLoginThrottle(sql),
  };
  log.info(
    "Pruned {events} events, {idempotencyKeys} idempotency keys, {sessions} sessions, " +
      "{webhookReceipts} webhook receipts and {loginThrottles} login throttles",
    { ...counts },
  );
  return counts;
}
