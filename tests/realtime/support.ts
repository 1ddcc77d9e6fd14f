// Helpers for the realtime tests: an SSE frame reader over a Response body, and rows made with
// plain SQL in committed transactions (NOTIFY fires only on commit).
import type { Sql, Tx } from "@/lib/db/connect.ts";
import { randomPhone } from "@/tests/helpers.ts";

/** One parsed SSE frame. */
export interface SseFrame {
  id?: string;
  event: string;
  data: string;
  retry?: number;
}

/** The frame's data as JSON. */
export function json(frame: SseFrame): Record<string, unknown> {
  return JSON.parse(frame.data);
}

/** Reads SSE frames from a streaming Response, awaiting each one (never polling). */
export class SseReader {
  #reader: ReadableStreamDefaultReader<string>;
  #buffer = "";
  #done = false;

  constructor(response: Response) {
    if (!response.body) throw new Error("The response has no body");
    this.#reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  }

  /** The next frame, or `null` once the server has ended the stream. */
  async next(timeoutMs = 10_000): Promise<SseFrame | null> {
    for (;;) {
      const end = this.#buffer.indexOf("\n\n");
      if (end >= 0) {
        const block = this.#buffer.slice(0, end);
        this.#buffer = this.#buffer.slice(end + 2);
        const frame = parseBlock(block);
        if (frame) return frame;
        continue;
      }
      if (this.#done) return null;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`No SSE frame within ${timeoutMs} ms`)),
          timeoutMs,
        );
      });
      try {
        const { value, done } = await Promise.race([this.#reader.read(), timeout]);
        if (done) this.#done = true;
        else this.#buffer += value;
      } finally {
        clearTimeout(timer);
      }
    }
  }

  /** Frames up to and including the first that matches; fails if the stream ends first. */
  async until(match: (f: SseFrame) => boolean, timeoutMs = 10_000): Promise<SseFrame[]> {
    const frames: SseFrame[] = [];
    for (;;) {
      const frame = await this.next(timeoutMs);
      if (!frame) throw new Error(`The stream ended before the awaited frame`);
      frames.push(frame);
      if (match(frame)) return frames;
    }
  }

  /**
   * Change events (not connected/keepalive) up to and including event id `lastId` (the log's
   * order is by transaction, so a larger id may come before it, never after).
   */
  async eventsThrough(lastId: number, timeoutMs = 10_000): Promise<SseFrame[]> {
    const frames = await this.until((f) => isChange(f) && Number(f.id) === lastId, timeoutMs);
    return frames.filter(isChange);
  }

  /** Resolves once the server ends the stream, passing over its frames; fails after `timeoutMs`. */
  async ended(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const left = deadline - Date.now();
      if (left <= 0 || (await this.next(left)) === null) break;
    }
    if (!this.#done) throw new Error(`The stream was still open after ${timeoutMs} ms`);
  }

  /** Stops reading; the server sees the client go away. */
  cancel(): Promise<void> {
    return this.#reader.cancel();
  }
}

function parseBlock(block: string): SseFrame | null {
  const frame: SseFrame = { event: "message", data: "" };
  const data: string[] = [];
  let any = false;
  for (const line of block.split("\n")) {
    if (!line || line.startsWith(":")) continue;
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
    any = true;
    if (field === "id") frame.id = value;
    else if (field === "event") frame.event = value;
    else if (field === "data") data.push(value);
    else if (field === "retry") frame.retry = Number(value);
  }
  frame.data = data.join("\n");
  return any ? frame : null;
}

/** Whether a frame is a change from the event log rather than connected/keepalive. */
export function isChange(frame: SseFrame): boolean {
  return frame.event !== "connected" && frame.event !== "keepalive";
}

/** Inserts an SMS conversation between two fresh numbers; returns its id. */
export async function createConversation(sql: Tx): Promise<string> {
  const id = crypto.randomUUID();
  await sql`insert into conversations (id, channel, participants)
    values (${id}, 'sms', ${[randomPhone(), randomPhone()]})`;
  return id;
}

/** Inserts an outbound queued SMS into a conversation; returns the message id. */
export async function insertMessage(sql: Tx, conversationId: string, body = "hi"): Promise<string> {
  const [row] = await sql<{ id: string }[]>`
    insert into messages (conversation_id, channel, direction, from_contact, to_contact, body,
      status)
    values (${conversationId}, 'sms', 'outbound', '+14155550100', '+14155550101', ${body},
      'queued')
    returning id`;
  return row.id;
}

/** Inserts `count` messages in one statement (one transaction). */
export async function insertMessages(sql: Tx, conversationId: string, count: number) {
  await sql`
    insert into messages (conversation_id, channel, direction, from_contact, to_contact, body,
      status)
    select ${conversationId}, 'sms', 'outbound', '+14155550100', '+14155550101', 'm' || n, 'queued'
    from generate_series(1, ${count}) as n`;
}

/**
 * Event ids in the log in its (xid, id) order, optionally only one conversation's, after event
 * `after` (by its position).
 */
export async function eventIds(
  sql: Tx,
  options: { conversationId?: string; after?: number } = {},
): Promise<number[]> {
  const rows = await sql<{ id: string }[]>`
    select id from events
    where (xid, id) > coalesce(
        (select (xid, id) from events where id = ${options.after ?? 0}), ('0'::xid8, 0::bigint))
      and (${options.conversationId ?? null}::uuid is null
           or conversation_id = ${options.conversationId ?? null}::uuid)
    order by xid, id`;
  return rows.map((r) => Number(r.id));
}

/** The last event id in the log's order (what a stream that has everything has seen last). */
export async function maxEventId(sql: Sql): Promise<number> {
  const [row] = await sql<{ id: string | null }[]>`
    select id from events order by xid desc, id desc limit 1`;
  return Number(row?.id ?? 0);
}

/**
 * Waits until every transaction that had begun by now has ended (the horizon has passed it):
 * only then are the events committed so far final for readers.
 */
export async function settled(sql: Sql, timeoutMs = 10_000): Promise<void> {
  const [{ xmax }] = await sql<{ xmax: string }[]>`
    select pg_snapshot_xmax(pg_current_snapshot())::text as xmax`;
  await until(
    async () => {
      const [{ ok }] = await sql<{ ok: boolean }[]>`
      select hatch_event_horizon() >= ${xmax}::xid8 as ok`;
      return ok;
    },
    "the horizon passes the transactions open now",
    timeoutMs,
  );
}

/** Waits until `check` holds, checking server-side state that no stream announces. */
export async function until(
  check: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
