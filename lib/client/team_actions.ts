// What the team parts of the inbox do in the browser: switch views, change a conversation's
// state, assignee and labels (one or several), write notes, keep the counts fresh.
import { batch, effect } from "@preact/signals";
import { api } from "./api.ts";
import { replaceList } from "./list_loader.ts";
import { putConversation } from "./actions.ts";
import type { Store } from "./store.ts";
import type { ViewState } from "./team_store.ts";
import { viewHref } from "./team_views.ts";
import type {
  Conversation,
  ConversationState,
  Label,
  Note,
  ViewCounts,
} from "@/lib/shared/types.ts";

/** Shows another view in the list; the address keeps it. */
export async function setView(
  store: Store,
  view: ViewState,
  options: { push: boolean } = { push: true },
): Promise<void> {
  batch(() => {
    store.team.view.value = view;
    store.team.selected.value = [];
  });
  if (options.push) history.pushState({ hatch: true }, "", viewHref(view, store.selectedId.value));
  await replaceList(store, { failure: "The view could not be loaded" });
  refreshCounts(store);
}

let countsTimer: ReturnType<typeof setTimeout> | undefined;

/** Fetches the views' counts again, once per burst of calls. */
export function refreshCounts(store: Store): void {
  clearTimeout(countsTimer);
  countsTimer = setTimeout(async () => {
    try {
      store.team.counts.value = await api<ViewCounts>("/api/views");
    } catch {
      // The next change tries again.
    }
  }, 150);
}

/** A change of state, assignee or labels, as PATCH /api/conversation/:id takes it. */
export interface Change {
  state?: ConversationState;
  snoozed_until?: string;
  assignee_id?: string | null;
  add_label_ids?: string[];
  remove_label_ids?: string[];
}

/** Changes one conversation; the list and the counts follow. */
export async function changeConversation(store: Store, id: string, change: Change): Promise<void> {
  const { conversation } = await api<{ conversation: Conversation }>(
    `/api/conversation/${id}`,
    { method: "PATCH", body: change },
  );
  putConversation(store, conversation);
  refreshCounts(store);
}

/** Changes every ticked conversation at once, then clears the ticks. */
export async function changeSelected(store: Store, change: Change): Promise<void> {
  const ids = store.team.selected.value;
  if (!ids.length) return;
  await api("/api/conversations/bulk", { method: "POST", body: { ids, change } });
  store.team.selected.value = [];
  refreshCounts(store);
}

/** Ticks or unticks a conversation for a bulk action. */
export function toggleSelected(store: Store, id: string): void {
  const now = store.team.selected.value;
  store.team.selected.value = now.includes(id) ? now.filter((x) => x !== id) : [...now, id];
}

/** Loads the open conversation's notes and system lines. */
export async function loadNotes(store: Store, id: string): Promise<void> {
  const { notes } = await api<{ notes: Note[] }>(`/api/conversation/${id}/notes`);
  if (store.selectedId.value === id) store.team.notes.value = { conversationId: id, notes };
}

/** Writes an internal note in the open conversation. */
export async function addNote(store: Store, id: string, body: string): Promise<void> {
  const { note } = await api<{ note: Note }>(`/api/conversation/${id}/notes`, {
    method: "POST",
    body: { body },
  });
  const held = store.team.notes.value;
  if (held?.conversationId === id && !held.notes.some((n) => n.id === note.id)) {
    store.team.notes.value = { conversationId: id, notes: [...held.notes, note] };
  }
}

/** Creates, renames, recolours or deletes a label (admins), then reloads the list of them. */
export async function saveLabel(
  store: Store,
  action: { create: { name: string; color?: string } } | {
    update: { id: string; name?: string; color?: string };
  } | { remove: string },
): Promise<void> {
  if ("create" in action) {
    await api("/api/labels", { method: "POST", body: action.create });
  } else if ("update" in action) {
    const { id, ...rest } = action.update;
    await api(`/api/labels/${id}`, { method: "PATCH", body: rest });
  } else await api(`/api/labels/${action.remove}`, { method: "DELETE" });
  store.team.labels.value = (await api<{ labels: Label[] }>("/api/labels")).labels;
}

/** Turns this user's desktop notifications on (asking the browser) or off. */
export async function setNotify(store: Store, on: boolean): Promise<void> {
  if (on && typeof Notification !== "undefined" && Notification.permission === "default") {
    await Notification.requestPermission().catch(() => "denied");
  }
  await api("/api/me/notifications", { method: "PUT", body: { notify: on } });
  store.team.notify.value = on;
}

/** Keeps the team state in step with the page: the open thread's notes, back and forward. */
export function startTeam(store: Store): void {
  effect(() => {
    const id = store.selectedId.value;
    if (!id || store.team.notes.peek()?.conversationId === id) return;
    store.team.notes.value = null;
    store.team.compose.value = "reply";
    void loadNotes(store, id).catch(() => {});
  });
  addEventListener("popstate", () => {
    const url = new URL(location.href);
    const view = (url.searchParams.get("view") ?? "open") as ViewState["view"];
    const label = url.searchParams.get("label");
    const now = store.team.view.value;
    if (view !== now.view || label !== now.label) {
      void setView(store, { view, label }, { push: false }).catch(() => {});
    }
  });
}
