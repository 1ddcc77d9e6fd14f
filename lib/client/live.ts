// The inbox's live stream: one per page, started by whichever island hydrates first; each
// event is folded into the store, and after a gap the store is resynced.
import { applyEvent, type LiveEvent, resync } from "./sync.ts";
import { followStream } from "./event_stream.ts";
import type { Store } from "./store.ts";

let started = false;

/** Subscribes the store to `/api/events` from the event id the page was rendered at. */
export function startLive(store: Store): void {
  if (started) return;
  started = true;
  followStream(store.settings.latestEventId, {
    event: (type, data) => applyEvent(store, type, data as LiveEvent),
    state: (state) => store.connection.value = state,
    resumed: () => void resync(store),
  });
}
