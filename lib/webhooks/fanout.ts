// From the event log to webhook deliveries: each worker process looks every second, and the one
// that holds the cursor row turns new events into a delivery (and its job) per subscribed
// endpoint, in one transaction with the cursor's move.
import type { Sql, Tx } from "@/lib/db/connect.ts";
import { addJob } from "@/lib/delivery/jobs.ts";
import { logger } from "@/lib/log.ts";
import { type EventRow, readEventsAfter } from "@/lib/realtime/event_log.ts";
import { toMessage } from "@/lib/messages/service.ts";
import { toEmail } from "@/lib/emails/service.ts";
import { webhookJob } from "./service.ts";

const log = logger("webhooks");
const FINAL = new Set(["sent", "delivered", "undelivered", "failed"]);

function eventType(e: EventRow): string | undefined {
  const kind = e.type === "message_update" ? "message" : e.type === "email_update" ? "email" : "";
  if (!kind) return undefined;
  if (e.action === "INSERT" && e.payload.direction === "inbound") return `${kind}.received`;
  if (
    e.action === "UPDATE" && e.payload.direction === "outbound" &&
    FINAL.has(String(e.payload.status))
  ) {
    return `${kind}.status`;
  }
  return undefined;
}

/** An enabled endpoint: what it is subscribed to, and since when. */
interface Subscriber {
  id: string;
  events: string[];
  created_at: Date;
}

/** The enabled endpoints, read once for a fan-out pass rather than once for each event. */
async function enabledEndpoints(sql: Tx): Promise<Subscriber[]> {
  return await sql<Subscriber[]>`
    select id, events, created_at from webhook_endpoints where disabled_at is null`;
}

/**
 * Queues one delivery of `type` with `data` to every enabled endpoint subscribed to it that
 * existed when it happened (`at`); `enabled`, when given, is the list of enabled endpoints the
 * caller has already read.
 */
export async function emitWebhook(
  sql: Tx,
  type: string,
  data: unknown,
  at: Date = new Date(),
  enabled?: Subscriber[],
): Promise<number> {
  const endpoints = (enabled ?? await enabledEndpoints(sql)).filter((e) =>
    e.events.includes(type) && e.created_at <= at
  );
  const payload = { type, timestamp: new Date().toISOString(), data };
  for (const e of endpoints) {
    const [d] = await sql`
      insert into webhook_deliveries (endpoint_id, event_type, payload, state)
      values (${e.id}, ${type}, ${sql.json(payload as never)}, 'pending') returning id`;
    await addJob(sql, "deliver_webhook", { delivery_id: d.id as string }, webhookJob(e.id));
  }
  return endpoints.length;
}

/**
 * Turns the events since the cursor into deliveries; false when another worker holds it. The
 * cursor is a position in (xid, id) order below the horizon (lib/realtime/event_log.ts): by id
 * alone, an event whose transaction committed after one with a higher id was passed over. The
 * position (horizon, 0) comes after every event below the horizon and before every one above it.
 */
export async function fanOut(sql: Sql): Promise<boolean> {
  return await sql.begin(async (tx) => {
    const [cursor] = await tx<{ last_event_id: string; last_event_xid: string }[]>`
      select last_event_id, last_event_xid from webhook_cursor where id = 1
      for update skip locked`;
    if (!cursor) return false;
    const enabled = await enabledEndpoints(tx);
    if (!enabled.length) {
      // Nothing would be sent, so the log is not read (at a large backlog that read is the
      // pass's whole cost): the cursor moves to the horizon, past every final event. An endpoint
      // enabled later starts from there, as a new one gets only what happens after it is made.
      await tx`
        update webhook_cursor set last_event_xid = h.xid, last_event_id = 0
        from (select hatch_event_horizon()::text::bigint as xid) h
        where id = 1 and (last_event_xid, last_event_id) < (h.xid, 0)`;
      return true;
    }
    const { rows: events } = await readEventsAfter(tx, {
      xid: Number(cursor.last_event_xid),
      id: Number(cursor.last_event_id),
    }, 500);
    if (!events.length) return true;
    for (const e of events) {
      const type = eventType(e);
      if (!type) continue;
      const table = type.startsWith("message") ? "messages" : "emails";
      const [row] = await tx`select * from ${tx(table)} where id = ${e.entityId}`;
      if (!row) continue;
      await emitWebhook(
        tx,
        type,
        table === "messages" ? toMessage(row) : toEmail(row),
        new Date(e.timestamp * 1000),
        enabled,
      );
    }
    const last = events[events.length - 1];
    await tx`
      update webhook_cursor set last_event_id = ${last.id}, last_event_xid = ${last.xid}
      where id = 1`;
    return true;
  });
}

/** Runs the fan-out every second until stopped. */
export function startWebhookFanout(sql: Sql): { stop: () => Promise<void> } {
  let running: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    running = running.then(() => fanOut(sql)).catch((e) =>
      log.warn("Webhook fan-out failed: {error}", { error: String(e) })
    );
  }, 1_000);
  return {
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}
