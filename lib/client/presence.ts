// This tab's presence: "viewing" the open conversation, "typing" while a reply is being written,
// repeated every 2 s while it holds (others forget it after 5 s), "left" when the reader moves
// on, hides the tab or closes it.
import { effect } from "@preact/signals";
import { api } from "./api.ts";
import type { Store } from "./store.ts";
import { expirePresence } from "./team_live.ts";

const REPEAT_MS = 2_000;
const TYPING_MS = 3_000;

let lastTyped = 0;
let announced: { id: string; state: string } | null = null;
let current: string | null = null;

function send(id: string, state: "viewing" | "typing" | "left", keepalive = false): void {
  announced = state === "left" ? null : { id, state };
  api(`/api/conversation/${id}/presence`, { method: "POST", body: { state }, keepalive })
    .catch(() => {});
}

function stateNow(): "viewing" | "typing" {
  return Date.now() - lastTyped < TYPING_MS ? "typing" : "viewing";
}

function announce(): void {
  if (!current || document.visibilityState !== "visible") return;
  send(current, stateNow());
}

/** Says this reader is typing in the open conversation (at once when they start). */
export function typed(): void {
  const was = stateNow();
  lastTyped = Date.now();
  if (current && was !== "typing") send(current, "typing");
}

/** Starts announcing this tab's presence and forgetting others' stale presence. */
export function startPresence(store: Store): void {
  effect(() => {
    const id = store.selectedId.value;
    if (id === current) return;
    if (current && announced) send(current, "left");
    current = id;
    lastTyped = 0;
    announce();
  });
  setInterval(() => {
    announce();
    expirePresence(store);
  }, REPEAT_MS);
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") announce();
    else if (current && announced) send(current, "left", true);
  });
  addEventListener("pagehide", () => {
    if (current) send(current, "left", true);
  });
}
