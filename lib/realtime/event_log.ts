// The durable event log behind the SSE stream: reading it in id order, shaping its rows into
// the seed's JSON, formatting SSE frames, and pruning old rows.
import type { Sql } from "@/lib/db/connect.ts";

/** How many events one read of the log returns at most. */
export const PAGE_SIZE = 1000;

/** One row of `events`, as read for streaming. */
export interface EventRow {
  id: number;
  type: string;
  action: "INSERT" | "UPDATE" | "DELETE";
  conversationId: string | null;
  entityId: string;
  payload: Record<string, unknown>;
  /** `created_at` as seconds since the epoch, with fractions. */
  timestamp: number;
}

/** The JSON an SSE client receives for one event: the seed's fields, plus a few from the row. */
export type EventData = Record<string, string | number | null>;

/** An event ready to send: its id, its SSE event name and its frame, encoded once for all. */
export interface StreamEvent {
  id: number;
  event: string;
  data: EventData;
  frame: Uint8Array;
}

const encoder = new TextEncoder();

/** Parses a bigint id from PostgreSQL (a string from the driver) into a safe integer. */
export function toEventId(value: string | number | bigint): number {
  const id = Number(value);
  if (!Number.isSafeInteger(id) || id < 0) throw new Error(`Event id out of range: ${value}`);
  return id;
}

/** Reads up to `limit` events with an id above `afterId`, oldest first. */
export async function readEventsAfter(
  sql: Sql,
  afterId: number,
  limit: number = PAGE_SIZE,
): Promise<EventRow[]> {
  const rows = await sql<{
    id: string;
    type: string;
    action: EventRow["action"];
    conversation_id: string | null;
    entity_id: string;
    payload: Record<string, unknown> | null;
    ts: number;
  }[]>`
    select id, type, action, conversation_id, entity_id, payload,
           extract(epoch from created_at)::float8 as ts
    from events
    where id > ${afterId}
    order by id
    limit ${limit}`;
  return rows.map((r) => ({
    id: toEventId(r.id),
    type: r.type,
    action: r.action,
    conversationId: r.conversation_id,
    entityId: r.entity_id,
    payload: r.payload ?? {},
    timestamp: r.ts,
  }));
}

/** The highest event id in the log, or 0 when it is empty. */
export async function latestEventId(sql: Sql): Promise<number> {
  const [row] = await sql<{ id: string | null }[]>`select max(id) as id from events`;
  return row.id === null ? 0 : toEventId(row.id);
}

/** The last id the events sequence handed out (committed or not); 0 before the first. */
export async function lastIssuedEventId(sql: Sql): Promise<number> {
  const [row] = await sql<{ id: string }[]>`
    select case when is_called then last_value else 0 end as id from events_id_seq`;
  return toEventId(row.id);
}

const ENTITY_KEY: Record<string, string> = {
  message_update: "message_id",
  email_update: "email_id",
  note_update: "note_id",
};

/** Shapes a row into the seed's event JSON (`{type, conversation_id, action, <x>_id, timestamp}`). */
export function eventData(row: EventRow): EventData {
  const data: EventData = {
    type: row.type,
    conversation_id: row.conversationId,
    action: row.action,
  };
  // A conversation event's entity is the conversation itself, already named above.
  if (row.type !== "conversation_update") data[ENTITY_KEY[row.type] ?? "entity_id"] = row.entityId;
  data.timestamp = row.timestamp;
  // A note's kind (note or system line) and whom it mentions (user ids, comma-separated).
  for (const key of ["status", "direction", "channel", "kind", "mentions"]) {
    const value = row.payload[key];
    if (typeof value === "string") data[key] = value;
  }
  if (row.type === "email_update" && data.channel === undefined) data.channel = "email";
  data.event_id = row.id;
  return data;
}

/** Formats one SSE frame: optional `retry:`, then `id:`, `event:`, one `data:` line. */
export function formatFrame(
  frame: { id: number; event: string; data: unknown; retryMs?: number },
): string {
  const retry = frame.retryMs === undefined ? "" : `retry: ${frame.retryMs}\n`;
  // JSON.stringify never emits a raw newline, so the data always fits on one `data:` line.
  return `${retry}id: ${frame.id}\nevent: ${frame.event}\ndata: ${JSON.stringify(frame.data)}\n\n`;
}

/** Turns a row into a ready-to-send event; done once per event, whatever the client count. */
export function toStreamEvent(row: EventRow): StreamEvent {
  const data = eventData(row);
  return {
    id: row.id,
    event: row.type,
    data,
    frame: encoder.encode(formatFrame({ id: row.id, event: row.type, data })),
  };
}

/** Deletes events older than `olderThanDays`, in batches so no lock is held long; returns the count. */
export async function pruneEvents(sql: Sql, olderThanDays: number): Promise<number> {
  const batch = 5000;
  let total = 0;
  for (;;) {
    const result = await sql`
      delete from events
      where id in (
        select id from events
        where created_at < now() - make_interval(days => ${olderThanDays})
        order by id
        limit ${batch}
      )`;
    total += result.count;
    if (result.count < batch) return total;
  }
}
