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
import type { ServerResponse } from "node:http";
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
import { cancelEnd, type Expiring, scheduleEnd } from "./lifetimes.ts";

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
 * Where a stream's bytes go: a web ReadableStream (Deno.serve, tests) or, on the node server,
 * the node response itself, so no stream, reader or pump is held per connection.
 */
interface Sink {
  write(bytes: Uint8Array): void;
  /** Bytes written that the client has not taken yet. */
  queued(): number;
  /** Calls `wake` once the queue has drained below HIGH_WATER_BYTES (or the sink ended). */
  onDrain(wake: () => void): void;
  end(): void;
}

// One keepalive timer per period for every stream, not one per stream: at 10,000 idle streams
// a timer and its closure each are a visible part of what a connection costs.
type Timer = ReturnType<typeof setTimeout>;
const keepaliveGroups = new Map<number, { timer: Timer; streams: Set<Stream> }>();

function keepaliveJoin(ms: number, stream: Stream): void {
  let group = keepaliveGroups.get(ms);
  if (!group) {
    const streams = new Set<Stream>();
    const timer = setInterval(() => {
      const timestamp = Date.now() / 1000;
      for (const s of streams) s.keepalive(timestamp);
    }, ms);
    group = { timer, streams };
    keepaliveGroups.set(ms, group);
  }
  group.streams.add(stream);
}

function keepaliveLeave(ms: number, stream: Stream): void {
  const group = keepaliveGroups.get(ms);
  if (!group?.streams.delete(stream) || group.streams.size) return;
  clearInterval(group.timer);
  keepaliveGroups.delete(ms);
}

/** One client's stream, whatever carries its bytes; see the top of this file. */
class Stream implements HubClient, Expiring {
  lastSent: Position = START;
  live = false;
  closed = false;
  unsubscribe: (() => void) | null = null;
  endsAt = Infinity;
  heapIndex = -1;
  readonly principal: Principal | undefined;
  readonly authVersion: number | undefined;
  readonly keepaliveMs: number;

  constructor(readonly options: EventStreamOptions, readonly sink: Sink) {
    this.principal = options.principal;
    this.authVersion = options.authVersion;
    this.keepaliveMs = options.keepaliveSeconds * 1000;
  }

  /** Subscribes, sends `connected` and what the client missed, and arms the timers. */
  start(): void {
    const { hub, after } = this.options;
    this.unsubscribe = hub.subscribe(this);
    const position = hub.position();
    this.write(encoder.encode(formatFrame({
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
      for (const event of recent ?? []) this.write(event.frame);
      this.lastSent = position;
      this.live = true;
    }
    keepaliveJoin(this.keepaliveMs, this);
    // Up to 10% early, so clients that connected together do not all reconnect together.
    const lifetime = this.options.maxSeconds * 1000 * (0.9 + Math.random() * 0.1);
    // Expiry changes no row, so no notification would end the stream when access runs out.
    const expiresIn = (this.principal?.expiresAt?.getTime() ?? Infinity) - Date.now();
    this.endsAt = Date.now() + Math.max(0, Math.min(lifetime, expiresIn));
    scheduleEnd(this);
    if (!this.live) void this.replay(after!, from);
  }

  /** Ends the stream; safe to call more than once, from any path. An arrow: it is a callback. */
  close = (): void => {
    if (this.closed) return;
    this.closed = true;
    cancelEnd(this);
    keepaliveLeave(this.keepaliveMs, this);
    this.unsubscribe?.();
    this.sink.end();
  };

  write(bytes: Uint8Array): void {
    if (this.closed) return;
    try {
      this.sink.write(bytes);
    } catch {
      // The stream is gone by a path that did not tell us; a timer must not throw for it.
      return this.close();
    }
    if (this.sink.queued() > MAX_QUEUED_BYTES + HIGH_WATER_BYTES) {
      log.info("Dropped a client more than {bytes} bytes behind; it resumes with Last-Event-ID", {
        bytes: MAX_QUEUED_BYTES,
      });
      this.close();
    }
  }

  expire(): void {
    this.close();
  }

  keepalive(timestamp: number): void {
    this.write(encoder.encode(formatFrame({
      id: this.lastSent.id,
      event: "keepalive",
      data: { type: "keepalive", timestamp },
    })));
  }

  deliver(events: readonly StreamEvent[], frames: Uint8Array): void {
    const last = events[events.length - 1];
    if (!this.live || comparePositions(last, this.lastSent) <= 0) return;
    // Usually the whole batch is new and goes out as the shared bytes; only a client that
    // went live in the middle of it needs the tail joined for itself.
    const lastSent = this.lastSent;
    const fresh = comparePositions(events[0], lastSent) > 0
      ? frames
      : joinFrames(events.filter((e) => comparePositions(e, lastSent) > 0));
    this.lastSent = { xid: last.xid, id: last.id };
    this.write(fresh);
  }

  ephemeral(frame: Uint8Array): void {
    if (this.live) this.write(frame);
  }

  drained(): Promise<void> {
    return this.closed || this.sink.queued() < HIGH_WATER_BYTES
      ? Promise.resolve()
      : new Promise<void>((resolve) => this.sink.onDrain(resolve));
  }

  async replay(after: number, from: Position | undefined): Promise<void> {
    const { hub, sql } = this.options;
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
      this.lastSent = from;
      while (!this.closed) {
        // Every event up to `floor` was final before the read below began.
        const floor = hub.position();
        const { rows } = await readEventsAfter(sql, this.lastSent, PAGE_SIZE);
        const events = await toStreamEvents(sql, rows);
        if (this.closed) return;
        for (const event of events) {
          this.lastSent = { xid: event.xid, id: event.id };
          this.write(event.frame);
        }
        // A short page holds every final event after lastSent, so none up to floor is left.
        if (rows.length < PAGE_SIZE && comparePositions(floor, this.lastSent) > 0) {
          this.lastSent = floor;
        }
        if (comparePositions(this.lastSent, hub.position()) >= 0) {
          this.live = true;
          return;
        }
        await this.drained();
      }
    } catch (e) {
      log.warn("Replay failed; ending the stream so the client resumes: {error}", {
        error: String(e),
      });
      this.close();
    }
  }
}

/**
 * Opens one client's stream. The first frame is `connected`, whose `id:` is the point the
 * stream continues from: the `after` asked for, or the hub's position for a fresh client. So a
 * browser that drops before any other event reconnects from exactly there and misses nothing.
 */
export function openEventStream(options: EventStreamOptions): Response {
  const { signal } = options;
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let wake: (() => void) | null = null;
  const onAbort = () => stream.close();
  const stream = new Stream(options, {
    write: (bytes) => controller.enqueue(bytes),
    queued: () => HIGH_WATER_BYTES - (controller.desiredSize ?? 0),
    onDrain: (resolve) => wake = resolve,
    end: () => {
      signal?.removeEventListener("abort", onAbort);
      wake?.();
      wake = null;
      try {
        controller.close();
      } catch {
        // Already cancelled by the reader: nothing left to close.
      }
    },
  });
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
      if (signal?.aborted) return stream.close();
      signal?.addEventListener("abort", onAbort, { once: true });
      stream.start();
    },
    pull() {
      wake?.();
      wake = null;
    },
    cancel() {
      stream.close();
    },
  }, new ByteLengthQueuingStrategy({ highWaterMark: HIGH_WATER_BYTES }));
  return new Response(body, { headers: SSE_HEADERS });
}

/**
 * The same stream written straight to a node:http response, which the server has already sent
 * the head of (see lib/web/serve.ts). Ends when the client goes away (the response closes).
 */
export function writeEventStream(options: EventStreamOptions, res: ServerResponse): void {
  let wake: (() => void) | null = null;
  const onDrain = () => {
    const resolve = wake;
    wake = null;
    resolve?.();
  };
  const stream = new Stream(options, {
    write: (bytes) => void res.write(bytes),
    queued: () => res.writableLength,
    onDrain: (resolve) => {
      wake = resolve;
      res.once("drain", onDrain);
    },
    end: () => {
      res.off("close", stream.close);
      res.off("drain", onDrain);
      onDrain();
      res.end();
    },
  });
  if (res.destroyed) return;
  // `on`, not `once`: the response closes once, and once's wrapper is one more object a stream.
  res.on("close", stream.close);
  stream.start();
}
