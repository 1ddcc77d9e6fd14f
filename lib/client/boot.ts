// Page-wide browser wiring, done once by whichever island hydrates first: the live stream,
// the clock, the reader's time zone, back/forward, and the unread count in the tab title.
import { effect } from "@preact/signals";
import { closeConversation, markRead, openConversation } from "./actions.ts";
import { startLive } from "./live.ts";
import { startPresence } from "./presence.ts";
import { startTeam } from "./team_actions.ts";
import { followReads } from "./read_sync.ts";
import type { Store } from "./store.ts";

let booted = false;

/** Starts everything the inbox needs in the browser; safe to call from every island. */
export function boot(store: Store): void {
  if (booted) return;
  booted = true;
  startLive(store);
  startPresence(store);
  startTeam(store);
  followReads(store);
  setInterval(() => store.now.value = Date.now(), 60_000);

  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (zone) {
    // The server renders the next page in this zone, so hydration finds the same times.
    document.cookie = `hatch_tz=${
      encodeURIComponent(zone)
    }; path=/; max-age=31536000; samesite=lax`;
    if (zone !== store.timeZone.value) store.timeZone.value = zone;
  }

  addEventListener("popstate", () => {
    const id = new URL(location.href).searchParams.get("c");
    if (id) void openConversation(store, id, { push: false });
    else closeConversation(store, { push: false });
  });

  document.addEventListener("visibilitychange", () => {
    const open = store.open.value;
    if (document.visibilityState === "visible" && open && open.unread_count > 0) {
      markRead(store, open.id);
    }
  });

  // Notifications since the tab was last looked at count in its title until it is again.
  const seen = () => {
    if (document.visibilityState === "visible" && document.hasFocus()) store.team.alerts.value = 0;
  };
  addEventListener("focus", seen);
  document.addEventListener("visibilitychange", seen);

  effect(() => {
    const unread = store.conversations.value.reduce((n, c) => n + (c.unread_count > 0 ? 1 : 0), 0);
    const count = unread + store.team.alerts.value;
    document.title = count ? `(${count}) Inbox · Hatch` : "Inbox · Hatch";
  });
}
