// A page's subscription to `/api/events`. The browser's EventSource reconnects by itself and
// sends Last-Event-ID; when it gives up (an HTTP error while the server restarts) or stays
// stuck, a new one opens from the last id seen. Used by the inbox and the contact page.
import { api } from "./api.ts";
import type { ConnectionState } from "./store.ts";

/** The events a page acts on. */
export const EVENT_TYPES = [
  "message_update",
  "email_update",
  "conversation_update",
  "note_update",
  "presence",
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

// Keepalives come every 30 s by default: this long without any frame means a dead connection.
const SILENCE_MS = 75_000;
// The server answers a stream at once: a connection still not open after this long is stuck
// somewhere on the way, and a fresh one gets through.
const CONNECTING_MS = 6_000;

/** What a subscriber is told. */
export interface StreamHandlers {
  /** One event, its JSON parsed (frames that are not JSON are skipped). */
  event(type: EventType, data: Record<string, unknown>): void;
  state(state: ConnectionState): void;
  /** Open again after a gap: whatever the replay cannot restore should be fetched anew. */
  resumed?(): void;
}

/** Follows the stream from event id `after`; returns the way to stop. */
export function followStream(after: string, on: StreamHandlers): () => void {
  if (typeof EventSource === "undefined") return () => {};
  let lastId = after;
  let source: EventSource | null = null;
  let backoff = 500;
  let gap = false;
  let lastFrame = Date.now();
  let stopped = false;

  const seen = (e: MessageEvent) => {
    lastFrame = Date.now();
    if (e.lastEventId) lastId = e.lastEventId;
  };

  const connect = () => {
    if (stopped) return;
    const es = new EventSource(`/api/events?after=${encodeURIComponent(lastId)}`);
    source = es;
    lastFrame = Date.now();
    es.addEventListener("open", () => {
      lastFrame = Date.now();
      backoff = 500;
      on.state("live");
      if (gap) {
        gap = false;
        on.resumed?.();
      }
    });
    es.addEventListener("connected", (e) => seen(e as MessageEvent));
    es.addEventListener("keepalive", (e) => seen(e as MessageEvent));
    for (const type of EVENT_TYPES) {
      es.addEventListener(type, (e) => {
        const m = e as MessageEvent<string>;
        seen(m);
        let data: Record<string, unknown>;
        try {
          data = JSON.parse(m.data);
        } catch {
          return;
        }
        on.event(type, data);
      });
    }
    es.addEventListener("error", () => {
      if (stopped) return;
      on.state("reconnecting");
      gap = true;
      if (es.readyState === EventSource.CLOSED) reopen(es);
    });
  };

  const reopen = (es: EventSource) => {
    es.close();
    if (source !== es) return;
    source = null;
    // The stream refused us (not merely unreachable): a signed-out session sends the reader to
    // the login page from inside api(); anything else is retried.
    api("/api/conversations?limit=1").catch(() => {});
    setTimeout(connect, backoff);
    backoff = Math.min(backoff * 2, 10_000);
  };

  const watchdog = setInterval(() => {
    if (!source) return;
    const quiet = Date.now() - lastFrame;
    const stuck = source.readyState === EventSource.CONNECTING && quiet > CONNECTING_MS;
    if (stuck || (source.readyState === EventSource.OPEN && quiet > SILENCE_MS)) {
      gap = true;
      on.state("reconnecting");
      reopen(source);
    }
  }, 2_000);
  connect();
  return () => {
    stopped = true;
    clearInterval(watchdog);
    source?.close();
    source = null;
  };
}
