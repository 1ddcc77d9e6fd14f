// One client's SSE stream: an optional replay from the event log, then live events from the
// hub, a heartbeat, a lifetime cap, and cleanup the moment the client goes away.
//
// Positions are (xid, id) pairs in the log's order (event_log.ts); the stream's `id:` is the
// event id, which a resuming client's Last-Event-ID maps back to its position.
//
// Hand-over from replay to live, without gaps or duplicates: the client subscribes first but
// ignores live events while it replays. It replays pages of `events` after its position until,
// checked synchronously after a page, its position is at or beyond hub.position(); from then
// on the hub hands it every event after that point, and it skips events it has already sent.
// Nothing is buffered per client, so a long replay cannot grow memory. A client only a little
// behind (the usual reconnect) is served from the hub's recent events instead, in the same
// synchronous step as its subscription, so there is no hand-over to get wrong at all.
import type { Sql } from "@/lib/db/connect.ts";
import type { Principal } from "@/lib/auth/principal.ts";
import { BadRequestError } from "@/lib/errors.ts";
import { logger } from "@/lib/log.ts";
import { type EventHub, type HubClient, joinFrames } from "./hub.ts";
import {
  comparePositions,
  formatFrame,
  PAGE_SIZE,
  type Position,
  positionOf,
  readEventsAfter,
  START,
  type StreamEvent,
} from "./event_log.ts";
import { toStreamEvents } from "./summaries.ts";

const log = logger("realtime", "sse");
const encoder = new TextEncoder();

/** How long a browser waits before reconnecting after the stream ends (the `retry:` hint). */
export const RETRY_MS = 2_000;
// A client this far behind is dropped rather than buffered without bound; it reconnects with
// Last-Event-ID and catches up from the table.
const MAX_QUEUED_BYTES = 1 << 20;
const HIGH_WATER_BYTES = 64 * 1024;
// At most this many events come from the hub's memory at connect; more are paced from the table.
const RECENT_REPLAY_MAX = 500;

/** Headers every event stream answers with; `x-accel-buffering` stops nginx buffering it. */
export const SSE_HEADERS: Readonly<Record<string, string>> = {
  "content-type": "text/event-stream; charset=utf-8",
  "cache-control": "no-cache",
  "x-accel-buffering": "no",
};

function parseId(name: string, value: string): number {
  const id = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(id)) {
    throw new BadRequestError(`Cannot resume from ${name} "${value}": not a non-negative integer`);
  }
  return id;
}

/**
 * The event id a client resumes after: the `Last-Event-ID` header (sent by a reconnecting
 * browser, so it is newer than the URL's `?after=`), else `?after=`; `undefined` for neither.
 */
export function resumePoint(
  lastEventId: string | null | undefined,
  after: string | null | undefined,
): number | undefined {
  if (lastEventId) return parseId("Last-Event-ID", lastEventId.trim());
  if (after) return parseId("after", after.trim());
  return undefined;
}

/** What one event stream needs. */
export interface EventStreamOptions {
  hub: EventHub;
  sql: Sql;
  /** Replay every event after this id first; `undefined` starts from now. */
  after?: number;
  keepaliveSeconds: number;
  maxSeconds: number;
  /** The request's signal: the stream ends as soon as the client goes away. */
  signal?: AbortSignal;
  /** Who asked: the stream ends when their access ends (revoked, disabled, signed out, expired). */
  principal?: Principal;
  /** hub.authVersion() from before `principal` was looked up. */
  authVersion?: number;
}

/**
 * Opens one client's stream. The first frame is `connected`, whose `id:` is the point the
 * stream continues from: the `after` asked for, or the hub's position for a fresh client. So a
 * browser that drops before any other event reconnects from exactly there and misses nothing.
 */
export function openEventStream(options: EventStreamOptions): Response {
  const { hub, sql, signal } = options;
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let lastSent: Position = START;
  let live = false;
  let closed = false;
  let unsubscribe = () => {};
  let wakeReplay: (() => void) | null = null;
  const timers: ReturnType<typeof setTimeout>[] = [];

  const finish = () => {
    if (closed) return;
    closed = true;
    for (const t of timers) clearTimeout(t);
    unsubscribe();
    signal?.removeEventListener("abort", finish);
    wakeReplay?.();
    try {
      controller.close();
    } catch {
      // Already cancelled by the reader: nothing left to close.
    }
  };

  const write = (bytes: Uint8Array) => {
    if (closed) return;
    try {
      controller.enqueue(bytes);
    } catch {
      // The stream is gone by a path that did not tell us; a timer must not throw for it.
      return finish();
    }
    if ((controller.desiredSize ?? 0) < -MAX_QUEUED_BYTES) {
      log.info("Dropped a client more than {bytes} bytes behind; it resumes with Last-Event-ID", {
        bytes: MAX_QUEUED_BYTES,
      });
      finish();
    }
  };

  const client: HubClient = {
    deliver(events: readonly StreamEvent[], frames: Uint8Array) {
      const last = events[events.length - 1];
      if (!live || comparePositions(last, lastSent) <= 0) return;
      // Usually the whole batch is new and goes out as the shared bytes; only a client that
      // went live in the middle of it needs the tail joined for itself.
      const fresh = comparePositions(events[0], lastSent) > 0
        ? frames
        : joinFrames(events.filter((e) => comparePositions(e, lastSent) > 0));
      lastSent = { xid: last.xid, id: last.id };
      write(fresh);
    },
    ephemeral(frame: Uint8Array) {
      if (live) write(frame);
    },
    close: finish,
    principal: options.principal,
    authVersion: options.authVersion,
  };

  const drained = () =>
    closed || (controller.desiredSize ?? 0) > 0
      ? Promise.resolve()
      : new Promise<void>((resolve) => wakeReplay = resolve);

  async function replay(after: number, from: Position | undefined): Promise<void> {
    try {
      if (!from) {
        from = await positionOf(sql, after);
        // An id beyond any this database issued (it was recreated, or restored from a backup)
        // would hold every event back until the sequence caught up: continue from now instead.
        if (!from) {
          from = hub.position();
          log.info("A client resumed from id {id}, never issued here; continuing from {now}", {
            id: after,
            now: from.id,
          });
        }
      }
      lastSent = from;
      while (!closed) {
        // Every event up to `floor` was final before the read below began.
        const floor = hub.position();
        const { rows } = await readEventsAfter(sql, lastSent, PAGE_SIZE);
        const events = await toStreamEvents(sql, rows);
        if (closed) return;
        for (const event of events) {
          lastSent = { xid: event.xid, id: event.id };
          write(event.frame);
        }
        // A short page holds every final event after lastSent, so none up to floor is left.
        if (rows.length < PAGE_SIZE && comparePositions(floor, lastSent) > 0) lastSent = floor;
        if (comparePositions(lastSent, hub.position()) >= 0) {
          live = true;
          return;
        }
        await drained();
      }
    } catch (e) {
      log.warn("Replay failed; ending the stream so the client resumes: {error}", {
        error: String(e),
      });
      finish();
    }
  }

  const stream = new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
      if (signal?.aborted) return finish();
      signal?.addEventListener("abort", finish, { once: true });
      unsubscribe = hub.subscribe(client);
      const { after } = options;
      const position = hub.position();
      write(encoder.encode(formatFrame({
        id: after ?? position.id,
        event: "connected",
        data: { type: "connected", timestamp: Date.now() / 1000 },
        retryMs: RETRY_MS,
      })));
      const from = after === undefined
        ? undefined
        : after === position.id
        ? position
        : hub.recentPosition(after);
      const recent = from && hub.recentSince(from);
      if (after === undefined || (recent && recent.length <= RECENT_REPLAY_MAX)) {
        for (const event of recent ?? []) write(event.frame);
        lastSent = position;
        live = true;
      }
      timers.push(setInterval(() => {
        write(encoder.encode(formatFrame({
          id: lastSent.id,
          event: "keepalive",
          data: { type: "keepalive", timestamp: Date.now() / 1000 },
        })));
      }, options.keepaliveSeconds * 1000));
      // Up to 10% early, so clients that connected together do not all reconnect together.
      const lifetime = options.maxSeconds * 1000 * (0.9 + Math.random() * 0.1);
      // Expiry changes no row, so no notification would end the stream when access runs out.
      const expiresIn = (options.principal?.expiresAt?.getTime() ?? Infinity) - Date.now();
      timers.push(setTimeout(finish, Math.max(0, Math.min(lifetime, expiresIn))));
      if (!live) void replay(after!, from);
    },
    pull() {
      wakeReplay?.();
      wakeReplay = null;
    },
    cancel() {
      finish();
    },
  }, new ByteLengthQueuingStrategy({ highWaterMark: HIGH_WATER_BYTES }));

  return new Response(stream, { headers: SSE_HEADERS });
}
