// Texts and emails of one conversation leave in the order they were written. Delivery jobs have
// no graphile-worker queue per conversation: fetching a job locked every available queue row, and
// those rows (one per conversation ever written to) are never removed, so each fetch grew slower
// with the number of conversations (2.9 ms per fetch at 1,000 conversations, most of
// PostgreSQL's time in bench/realtime.ts). Instead, a job finds out whether an older message of
// its conversation is still waiting to go, and if so comes back a moment later.
import type { Sql } from "@/lib/db/connect.ts";
import type { ThreadTable } from "@/lib/db/thread.ts";

/** How long a message waits for an older one to leave before it comes back to look again. */
export const BEHIND_RETRY_MS = 200;

/**
 * Past this, a message stops waiting for older ones: an older one whose job went astray must not
 * hold the conversation back for good.
 */
const MAX_WAIT_MS = 30_000;

/**
 * Whether an older message of the same conversation, due and never tried, still waits to go:
 * one being sent right now, or queued just before. Broadcast texts, messages held for quiet
 * hours and ones already retried after a failure hold nothing back.
 */
export async function waitsBehindOlder(
  sql: Sql,
  table: ThreadTable,
  // deno-lint-ignore no-explicit-any -- a messages or emails row
  row: Record<string, any>,
): Promise<boolean> {
  const due = new Date(row.created_at as Date).getTime();
  if (Date.now() - due > MAX_WAIT_MS) return false;
  const messagesOnly = table === "messages"
    ? sql`and e.broadcast_id is null and (e.held_until is null or e.held_until <= now())`
    : sql``;
  const [older] = await sql`
    select 1 from ${sql(table)} e
    where e.conversation_id = ${row.conversation_id} and e.created_at < ${row.created_at}
      and e.created_at <= now() and e.direction = 'outbound' and e.status = 'queued'
      and e.attempts = 0 and e.error_code is null and e.id <> ${row.id} ${messagesOnly}
    limit 1`;
  return Boolean(older);
}
