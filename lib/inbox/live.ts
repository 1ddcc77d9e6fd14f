// The live stream: one EventSource per page, started by whichever island hydrates first.
// The browser reconnects by itself and sends Last-Event-ID; when it gives up (an HTTP error
// while the server restarts) we open a new one from the last id seen, then resync.
import { applyEvent, type LiveEvent, resync } from "./sync.ts";
import { api } from "./api.ts";
import type { Store } from "./store.ts";

const TYPES = ["message_update", "email_update", "conversation_update"] as const;
// Keepalives come every 30 s by default: this long without any frame means a dead connection.
const SILENCE_MS = 75_000;
// The server answers a stream at once with its `connected` frame: a connection still not open
// after this long is stuck somewhere on the way, and a fresh one gets through.
const CONNECTING_MS = 6_000;

let started = false;

/** Subscribes the store to `/api/events` from the event id the page was rendered at. */
export function startLive(store: Store): void {
  if (started || typeof EventSource === "undefined") return;
  started = true;
  let lastId = store.settings.latestEventId;
  let source: EventSource | null = null;
  let backoff = 500;
  let gap = false;
  let lastFrame = Date.now();

  const seen = (e: MessageEvent) => {
    lastFrame = Date.now();
    if (e.lastEventId) lastId = e.lastEventId;
  };

  const connect = () => {
    const es = new EventSource(`/api/events?after=${encodeURIComponent(lastId)}`);
    source = es;
    lastFrame = Date.now();
    es.addEventListener("open", () => {
      lastFrame = Date.now();
      backoff = 500;
      store.connection.value = "live";
      if (gap) {
        gap = false;
        void resync(store);
      }
    });
    es.addEventListener("connected", (e) => seen(e as MessageEvent));
    es.addEventListener("keepalive", (e) => seen(e as MessageEvent));
    for (const type of TYPES) {
      es.addEventListener(type, (e) => {
        const m = e as MessageEvent<string>;
        seen(m);
        let data: LiveEvent;
        try {
          data = JSON.parse(m.data);
        } catch {
          return;
        }
        applyEvent(store, type, data);
      });
    }
    es.addEventListener("error", () => {
      store.connection.value = "reconnecting";
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

  setInterval(() => {
    if (!source) return;
    const quiet = Date.now() - lastFrame;
    const stuck = source.readyState === EventSource.CONNECTING && quiet > CONNECTING_MS;
    if (stuck || (source.readyState === EventSource.OPEN && quiet > SILENCE_MS)) {
      gap = true;
      store.connection.value = "reconnecting";
      reopen(source);
    }
  }, 2_000);
  connect();
}
