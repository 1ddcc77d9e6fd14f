// The contact page's view of the live stream: which conversations changed, so the page can
// fetch its timeline again. The browser's EventSource reconnects by itself and sends
// Last-Event-ID; when it gives up, we open a new one from the last id seen.
import type { ConnectionState } from "./store.ts";

const TYPES = ["message_update", "email_update", "conversation_update"] as const;

/** One change from `/api/events`: its type and the conversation it happened in. */
export interface Change {
  type: (typeof TYPES)[number];
  conversation_id: string;
}

/** Follows the stream after event `after`; returns the way to stop. */
export function followChanges(
  after: string,
  on: { change: (c: Change) => void; state: (s: ConnectionState) => void },
): () => void {
  if (typeof EventSource === "undefined") return () => {};
  let lastId = after;
  let source: EventSource | null = null;
  let stopped = false;
  let backoff = 500;
  const connect = () => {
    const es = new EventSource(`/api/events?after=${encodeURIComponent(lastId)}`);
    source = es;
    es.addEventListener("open", () => {
      backoff = 500;
      on.state("live");
    });
    for (const type of TYPES) {
      es.addEventListener(type, (e) => {
        const m = e as MessageEvent<string>;
        if (m.lastEventId) lastId = m.lastEventId;
        try {
          const data = JSON.parse(m.data) as { conversation_id?: string };
          if (data.conversation_id) on.change({ type, conversation_id: data.conversation_id });
        } catch { /* a frame that is not JSON names nothing to fetch */ }
      });
    }
    es.addEventListener("error", () => {
      if (stopped) return;
      on.state("reconnecting");
      if (es.readyState !== EventSource.CLOSED) return;
      setTimeout(() => !stopped && connect(), backoff);
      backoff = Math.min(backoff * 2, 10_000);
    });
  };
  connect();
  return () => {
    stopped = true;
    source?.close();
  };
}
