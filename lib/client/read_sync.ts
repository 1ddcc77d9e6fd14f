// Read state is per user: a conversation read in one tab is read in this user's other tabs of
// the same browser too, told over a BroadcastChannel (no server round trip, nothing stored).
import type { Store } from "./store.ts";

// Opened on first use, not on import: an open channel keeps a Deno process alive, and the
// realtime benchmark imports the inbox's rules (through sync.ts) to follow events as tabs do.
let opened: BroadcastChannel | null | undefined;
function channel(): BroadcastChannel | null {
  if (opened === undefined) {
    opened = typeof BroadcastChannel === "undefined" ? null : new BroadcastChannel("hatch-read");
  }
  return opened;
}

/** Tells this browser's other tabs that a conversation was read here. */
export function announceRead(id: string): void {
  channel()?.postMessage({ read: id });
}

/** Zeroes the unread count of conversations other tabs read. */
export function followReads(store: Store): void {
  channel()?.addEventListener("message", (e: MessageEvent<{ read?: string }>) => {
    const id = e.data?.read;
    if (!id) return;
    const open = store.open.value;
    if (open?.id === id && open.unread_count) store.open.value = { ...open, unread_count: 0 };
    const list = store.conversations.value;
    if (list.some((c) => c.id === id && c.unread_count)) {
      store.conversations.value = list.map((c) => c.id === id ? { ...c, unread_count: 0 } : c);
    }
  });
}
