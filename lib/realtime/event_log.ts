// The durable event log behind the SSE stream: reading it in (xid, id) order below the
// horizon, shaping its rows into the seed's JSON, formatting SSE frames, and pruning old rows.
//
// Why reading by position never skips an event: each event records its transaction's id, and a
// read returns only events whose xid is below the horizon of its own snapshot: the oldest xid
// still running then (pg_snapshot_xmin), or, precisely, the oldest that may belong to this
// database (hatch_event_horizon(), which leaves out other databases' transactions). Every
// transaction below it that could write here has ended, so the events there are final
// (committed and visible to the read, or rolled back), and any transaction still to write gets
// an xid at or above it. Taken in (xid, id) order, the final part of the log only ever grows at its end, so
// a reader that has passed a position can never later find an event before it, however the
// writers' commits interleave (sql/013_events_by_xid_horizon.sql).
import type { Sql, Tx } from "@/lib/db/connect.ts";

/** A place in the log: the (xid, id) of the last event passed; {0, 0} is before every event. */
export interface Position {
  xid: number;
  id: number;
}

/** The position before every event. */
export const START: Position = Object.freeze({ xid: 0, id: 0 });

/** Orders two positions: negative when `a` comes first. */
export function comparePositions(a: Position, b: Position): number {
  return a.xid - b.xid || a.id - b.id;
}

/** How many events one read of the log returns at most. */
export const PAGE_SIZE = 1000;

/** One row of `events`, as read for streaming. */
export interface EventRow {
  id: number;
  /** The writing transaction's id (xid8, epoch included). */
  xid: number;
  type: string;
  action: "INSERT" | "UPDATE" | "DELETE";
  conversationId: string | null;
  entityId: string;
  payload: Record<string, unknown>;
  /** `created_at` as seconds since the epoch, with fractions. */
  timestamp: number;
}

/**
 * The JSON an SSE client receives for one event: the seed's fields, plus a few from the row
 * (a message's status, error and provider), plus, for a conversation, its list row.
 */
export type EventData = Record<string, string | number | null | Record<string, unknown>>;

/** An event ready to send: its id, its SSE event name and its frame, encoded once for all. */
export interface StreamEvent {
  id: number;
  xid: number;
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

/** One read of the log: its final events after a position, and the horizon it read below. */
export interface LogRead {
  rows: EventRow[];
  /** The horizon of the read's snapshot: every event below it that exists was returned. */
  horizon: number;
  /** pg_snapshot_xmin of the read's snapshot (the cluster's horizon; the same when not precise). */
  clusterHorizon: number;
  /** pg_snapshot_xmax of the read's snapshot: the next xid when the read began. */
  xmax: number;
}

/**
 * Reads up to `limit` final events after `after`, in (xid, id) order, with the read's horizon:
 * the cluster's unless `precise` (which costs a look at every backend, see sql/013).
 */
export async function readEventsAfter(
  sql: Tx,
  after: Position,
  limit: number = PAGE_SIZE,
  options: { precise?: boolean } = { precise: true },
): Promise<LogRead> {
  const rows = await sql<{
    horizon: string;
    cluster: string;
    xmax: string;
    id: string | null;
    xid: string;
    type: string;
    action: EventRow["action"];
    conversation_id: string | null;
    entity_id: string;
    payload: Record<string, unknown> | null;
    ts: number;
  }[]>`
    with h as materialized (
      select ${
    options.precise ? sql`hatch_event_horizon()` : sql`pg_snapshot_xmin(pg_current_snapshot())`
  } as horizon,
             pg_snapshot_xmin(pg_current_snapshot()) as cluster,
             pg_snapshot_xmax(pg_current_snapshot()) as xmax
    )
    select h.horizon::text as horizon, h.cluster::text as cluster, h.xmax::text as xmax, e.*
    from h
    left join lateral (
      select id, xid::text as xid, type, action, conversation_id, entity_id, payload,
             extract(epoch from created_at)::float8 as ts
      from events
      where (xid, id) > (${String(after.xid)}::xid8, ${after.id}::bigint) and xid < h.horizon
      order by xid, id
      limit ${limit}
    ) e on true
    order by e.xid::xid8, e.id`;
  const horizon = toEventId(rows[0].horizon);
  const xmax = toEventId(rows[0].xmax);
  return {
    horizon,
    clusterHorizon: toEventId(rows[0].cluster),
    xmax,
    rows: rows.filter((r) => r.id !== null).map((r) => ({
      id: toEventId(r.id!),
      xid: toEventId(r.xid),
      type: r.type,
      action: r.action,
      conversationId: r.conversation_id,
      entityId: r.entity_id,
      payload: r.payload ?? {},
      timestamp: r.ts,
    })),
  };
}

/**
 * The position of the newest final event (START when there is none): every event after it is
 * still to come, so a reader that starts there misses nothing.
 */
export async function latestPosition(sql: Sql): Promise<Position> {
  const [row] = await sql<{ xid: string; id: string }[]>`
    select xid::text as xid, id from events
    where xid < hatch_event_horizon()
    order by xid desc, id desc limit 1`;
  return row ? { xid: toEventId(row.xid), id: toEventId(row.id) } : START;
}

/** The newest final event's id (0 when there is none): where a page's stream resumes. */
export async function latestEventId(sql: Sql): Promise<number> {
  return (await latestPosition(sql)).id;
}

/**
 * The position of event `id` as a resume point: its own (xid, id); for an id the log no longer
 * holds (pruned), just before the oldest event above it; `undefined` for an id this database
 * never issued (it was recreated, or restored from a backup).
 */
export async function positionOf(sql: Sql, id: number): Promise<Position | undefined> {
  if (id === 0) return START;
  const [row] = await sql<{ xid: string; id: string; issued: string }[]>`
    select (select xid::text from events where id = ${id}) as xid,
           (select case when is_called then last_value else 0 end from events_id_seq) as issued`;
  if (row.xid !== null) return { xid: toEventId(row.xid), id };
  if (id > toEventId(row.issued)) return undefined;
  const [next] = await sql<{ xid: string }[]>`
    select xid::text as xid from events where id > ${id} order by id limit 1`;
  return next ? { xid: toEventId(next.xid), id: 0 } : await latestPosition(sql);
}

const ENTITY_KEY: Record<string, string> = {
  message_update: "message_id",
  email_update: "email_id",
  note_update: "note_id",
};

/**
 * Shapes a row into the seed's event JSON (`{type, conversation_id, action, <x>_id, timestamp}`),
 * with `conversation`, the conversation's list row, when given.
 */
export function eventData(row: EventRow, conversation?: Record<string, unknown>): EventData {
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
  for (const key of ["error_code", "error_message", "provider", "updated_at"]) {
    const value = row.payload[key];
    if (typeof value === "string" || (value === null && key in row.payload)) data[key] = value;
  }
  if (conversation) data.conversation = conversation;
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
export function toStreamEvent(row: EventRow, conversation?: Record<string, unknown>): StreamEvent {
  const data = eventData(row, conversation);
  return {
    id: row.id,
    xid: row.xid,
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
