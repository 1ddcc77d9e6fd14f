// The team parts of the live stream: counts after changes, notes in the open thread, other
// people's presence, and notifications (new customer messages in my or unassigned
// conversations, mentions of me), when this user asked for them.
import { api } from "./api.ts";
import type { Store } from "./store.ts";
import { loadNotes, refreshCounts } from "./team_actions.ts";
import { nameOf } from "./team_store.ts";
import type { Conversation, ConversationAnswer, Note } from "@/lib/shared/types.ts";

/** How long a presence holds without being repeated (browsers repeat it every 2 s). */
export const PRESENCE_TTL_MS = 5_000;

const noteTimers = new Map<string, ReturnType<typeof setTimeout>>();

function later(key: string, ms: number, job: () => void): void {
  clearTimeout(noteTimers.get(key));
  noteTimers.set(
    key,
    setTimeout(() => {
      noteTimers.delete(key);
      job();
    }, ms),
  );
}

/** Tells this user something: the page's toast, the tab title's count, a desktop notification. */
export function notifyUser(store: Store, title: string, body: string, href: string): void {
  const team = store.team;
  if (!team.notify.value) return;
  team.toast.value = `${title}: ${body}`;
  if (document.visibilityState !== "visible" || !document.hasFocus()) team.alerts.value++;
  if (typeof Notification !== "undefined" && Notification.permission === "granted") {
    try {
      const n = new Notification(title, { body, tag: href });
      n.onclick = () => {
        focus();
        location.assign(href);
      };
    } catch {
      // Some browsers allow notifications only from a service worker: the toast stays.
    }
  }
}

async function conversationFor(store: Store, id: string): Promise<Conversation | null> {
  const held = store.conversations.value.find((c) => c.id === id) ??
    (store.open.value?.id === id ? store.open.value : null);
  if (held) return held;
  try {
    return (await api<ConversationAnswer>(`/api/conversation/${id}`)).conversation;
  } catch {
    return null;
  }
}

async function maybeNotifyMessage(store: Store, conversationId: string): Promise<void> {
  const c = await conversationFor(store, conversationId);
  const me = store.team.me?.id;
  if (!c || (c.assignee_id !== null && c.assignee_id !== me)) return;
  // Reading it right now is notice enough.
  if (store.selectedId.value === c.id && document.visibilityState === "visible") return;
  const who = c.contact_name ?? c.contact;
  notifyUser(store, `New message from ${who}`, c.last_message, `/?c=${c.id}`);
}

async function maybeNotifyMention(store: Store, noteId: string): Promise<void> {
  const { note } = await api<{ note: Note }>(`/api/note/${noteId}`);
  const me = store.team.me?.id;
  if (!me || note.author_id === me || !note.mentions.includes(me)) return;
  notifyUser(
    store,
    `${nameOf(store.team, note.author_id)} mentioned you`,
    note.body,
    `/?c=${note.conversation_id}`,
  );
}

/** Folds one live event into the team state. */
export function applyTeamEvent(store: Store, type: string, e: Record<string, unknown>): void {
  const conversation = typeof e.conversation_id === "string" ? e.conversation_id : null;
  if (type === "conversation_update") refreshCounts(store);
  else if (type === "note_update" && conversation) {
    if (store.selectedId.value === conversation) {
      later(`n:${conversation}`, 30, () => void loadNotes(store, conversation).catch(() => {}));
    }
    const me = store.team.me?.id;
    const mentions = typeof e.mentions === "string" ? e.mentions.split(",") : [];
    if (e.action === "INSERT" && me && mentions.includes(me) && typeof e.note_id === "string") {
      void maybeNotifyMention(store, e.note_id).catch(() => {});
    }
  } else if (
    type === "message_update" && conversation && e.action === "INSERT" &&
    e.direction === "inbound"
  ) {
    // After the conversation's own event has brought its new row (assignee, state).
    later(`m:${conversation}`, 200, () => void maybeNotifyMessage(store, conversation));
  } else if (type === "presence" && conversation && typeof e.user_id === "string") {
    if (e.user_id === store.team.me?.id) return;
    const all = { ...store.team.presence.value };
    if (e.state === "left") delete all[e.user_id];
    else {
      all[e.user_id] = {
        conversation_id: conversation,
        user_id: e.user_id,
        name: typeof e.name === "string" ? e.name : "Someone",
        state: e.state === "typing" ? "typing" : "viewing",
        at: Date.now(),
      };
    }
    store.team.presence.value = all;
  }
}

/** Forgets presence not repeated in time (a tab closed without saying so). */
export function expirePresence(store: Store, now = Date.now()): void {
  const all = store.team.presence.value;
  const kept = Object.fromEntries(
    Object.entries(all).filter(([, p]) => now - p.at < PRESENCE_TTL_MS),
  );
  if (Object.keys(kept).length !== Object.keys(all).length) store.team.presence.value = kept;
}
