// The contact page's view of the live stream: which conversations changed, so the page can
// fetch its timeline again.
import { type EventType, followStream } from "./event_stream.ts";
import type { ConnectionState } from "./store.ts";

/** One change from `/api/events`: its type and the conversation it happened in. */
export interface Change {
  type: EventType;
  conversation_id: string;
}

/** Follows the stream after event `after`; returns the way to stop. */
export function followChanges(
  after: string,
  on: { change: (c: Change) => void; state: (s: ConnectionState) => void },
): () => void {
  return followStream(after, {
    event: (type, data) => {
      if (typeof data.conversation_id === "string") {
        on.change({ type, conversation_id: data.conversation_id });
      }
    },
    state: on.state,
  });
}
