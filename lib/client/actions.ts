// What the islands do in the browser: open threads, page the list and the thread, filter,
// mark read. Runs only in the browser (event handlers and effects).
import { batch } from "@preact/signals";
import { api, ApiError, errorWords, keepFilterInUrl, query } from "./api.ts";
import { PAGE, replaceList } from "./list_loader.ts";
import { matchesFilter, mergeRows, upsertConversation } from "./merge.ts";
import { contactLabel } from "./labels.ts";
import { inView, viewHref } from "./team_views.ts";
import { announceRead } from "./read_sync.ts";
import type { Store, Thread } from "./store.ts";
import type {
  Channel,
  Conversation,
  ConversationAnswer,
  ConversationsAnswer,
  EmailsAnswer,
  MessagesAnswer,
  OptOut,
} from "@/lib/shared/types.ts";

function emptyThread(id: string | null, channel: Channel): Thread {
  return {
    conversationId: id,
    channel,
    messages: [],
    emails: [],
    cursor: null,
    loading: id !== null,
    loadingOlder: false,
    error: null,
  };
}

/** Changes the open thread, if it is still conversation `id`. */
export function patchThread(store: Store, id: string | null, patch: (t: Thread) => Thread): void {
  const t = store.thread.value;
  if (t && t.conversationId === id) store.thread.value = patch(t);
}

/** Adds or moves a conversation in the list (and the open one), keeping the open one read. */
export function putConversation(store: Store, incoming: Conversation): void {
  let c = incoming;
  const isOpen = c.id === store.selectedId.value;
  if (isOpen && c.unread_count > 0 && document.visibilityState === "visible") {
    c = { ...c, unread_count: 0 };
    markRead(store, c.id);
  }
  batch(() => {
    if (isOpen) store.open.value = c;
    // One that left the list's view (closed, assigned away) leaves the list.
    store.conversations.value = inView(store, c)
      ? upsertConversation(store.conversations.value, c, {
        complete: store.listCursor.value === null,
        include: matchesFilter(c, store.filter.value, contactLabel(store, c)),
      })
      : store.conversations.value.filter((x) => x.id !== c.id);
  });
}

/** Keeps what the server last said about a conversation's opt-out, if it is the open one. */
export function setOptOut(store: Store, id: string, out: OptOut | null): void {
  if (out && store.selectedId.value === id) store.optOut.value = { ...out, conversationId: id };
  else if (!out && store.optOut.value?.conversationId === id) store.optOut.value = null;
}

const readTimers = new Map<string, ReturnType<typeof setTimeout>>();

/** Tells the server a conversation was read, once per burst of calls. */
export function markRead(store: Store, id: string): void {
  clearTimeout(readTimers.get(id));
  readTimers.set(
    id,
    setTimeout(() => {
      readTimers.delete(id);
      api(`/api/conversation/${id}/read`, { method: "POST", body: {} })
        .then(() => announceRead(id))
        .catch(() => {});
    }, 250),
  );
  const open = store.open.value;
  if (open?.id === id && open.unread_count > 0) store.open.value = { ...open, unread_count: 0 };
  const list = store.conversations.value;
  if (list.some((c) => c.id === id && c.unread_count > 0)) {
    store.conversations.value = list.map((c) => c.id === id ? { ...c, unread_count: 0 } : c);
  }
}

/** Loads a thread's newest page and merges it in. */
export async function loadThread(
  store: Store,
  id: string,
  channel: Channel,
  options: { keepCursor?: boolean } = {},
): Promise<void> {
  try {
    const rows = channel === "email"
      ? await api<EmailsAnswer>(`/api/conversation/${id}/emails${query({ limit: PAGE })}`)
      : await api<MessagesAnswer>(`/api/conversation/${id}/messages${query({ limit: PAGE })}`);
    patchThread(store, id, (t) => {
      // A resync must not rewind paging past the older pages the reader already loaded.
      const keep = options.keepCursor && !t.loading;
      // A first page with more before it drops older rows that live events brought meanwhile.
      const trim = !keep && rows.next_cursor !== null;
      return {
        ...t,
        messages: "messages" in rows
          ? mergeRows(t.messages, rows.messages, { floor: trim ? rows.messages[0] : undefined })
          : t.messages,
        emails: "emails" in rows
          ? mergeRows(t.emails, rows.emails, { floor: trim ? rows.emails[0] : undefined })
          : t.emails,
        cursor: keep ? t.cursor : rows.next_cursor,
        loading: false,
        error: null,
      };
    });
  } catch (e) {
    patchThread(store, id, (t) => ({ ...t, loading: false, error: errorWords(e) }));
  }
}

/** Opens a conversation in the pane; `push` adds a browser history entry for it. */
export async function openConversation(
  store: Store,
  id: string,
  options: { push: boolean } = { push: true },
): Promise<void> {
  if (store.selectedId.value === id && store.thread.value?.conversationId === id) return;
  let conv = store.conversations.value.find((c) => c.id === id) ??
    (store.open.value?.id === id ? store.open.value : null);
  batch(() => {
    store.selectedId.value = id;
    store.open.value = conv;
    store.draft.value = null;
    store.notFound.value = null;
    store.newConversationOpen.value = false;
    store.thread.value = emptyThread(id, conv?.channel ?? "sms");
  });
  if (options.push) history.pushState({ hatch: true }, "", viewHref(store.team.view.value, id));
  if (!conv) {
    try {
      const answer = await api<ConversationAnswer>(`/api/conversation/${id}`);
      conv = answer.conversation;
      setOptOut(store, id, answer.opt_out ?? null);
    } catch (e) {
      if (store.selectedId.value !== id) return;
      batch(() => {
        store.thread.value = null;
        store.notFound.value = e instanceof ApiError && e.status === 404
          ? `Conversation "${id}" was not found`
          : errorWords(e);
      });
      return;
    }
    if (store.selectedId.value !== id) return;
    store.open.value = conv;
    patchThread(store, id, (t) => ({ ...t, channel: conv!.channel }));
  } else if (conv.channel === "sms") {
    // The list's row does not say whether the recipient opted out; the conversation does.
    api<ConversationAnswer>(`/api/conversation/${id}`)
      .then((a) => setOptOut(store, id, a.opt_out ?? null))
      .catch(() => {});
  }
  if (conv.unread_count > 0) markRead(store, id);
  await loadThread(store, id, conv.channel);
}

/** Closes the pane (the list screen on phones). */
export function closeConversation(store: Store, options: { push: boolean } = { push: true }) {
  batch(() => {
    store.selectedId.value = null;
    store.open.value = null;
    store.thread.value = null;
    store.draft.value = null;
    store.notFound.value = null;
  });
  if (options.push) {
    const url = new URL(viewHref(store.team.view.value), location.href);
    if (store.filter.value) url.searchParams.set("q", store.filter.value);
    history.pushState({ hatch: true }, "", url.pathname + url.search);
  }
}

/** Opens an empty thread to someone new; the first message creates the conversation. */
export async function openDraft(
  store: Store,
  to: string,
  channel: "sms" | "chat",
  name?: string,
): Promise<void> {
  // The panel closes whether the number is new or already has a conversation.
  store.newConversationOpen.value = false;
  const same = (c: Conversation) =>
    c.channel === channel && c.contact.toLowerCase() === to.toLowerCase();
  const loaded = store.conversations.value.find(same);
  if (loaded) {
    store.focusComposer.value = loaded.id;
    return await openConversation(store, loaded.id);
  }
  // A draft at once (a send from it joins any existing conversation with them anyway) ...
  batch(() => {
    store.focusComposer.value = `draft:${to}`;
    store.selectedId.value = null;
    store.open.value = null;
    store.notFound.value = null;
    store.draft.value = { to, channel, name };
    store.thread.value = emptyThread(null, channel);
  });
  // ... then, if the server knows a conversation the list has not loaded, that one instead.
  try {
    const page = await api<ConversationsAnswer>(
      `/api/conversations${query({ limit: 10, q: to, channel })}`,
    );
    const existing = page.conversations.find(same);
    const draft = store.draft.value;
    if (existing && draft?.to === to && store.thread.value?.conversationId === null) {
      store.focusComposer.value = existing.id;
      await openConversation(store, existing.id);
    }
  } catch {
    // Unknown: the draft stays.
  }
}

/** Filters the list by name, number or text; the server searches past the loaded pages. */
export function setFilter(store: Store, text: string): void {
  store.filter.value = text;
  void replaceList(store, { failure: "The list could not be filtered", delayMs: 180 })
    .then((loaded) => loaded && keepFilterInUrl(text));
}

/** Loads the page of rows before the oldest one shown. */
export async function loadOlder(store: Store): Promise<void> {
  const t = store.thread.value;
  if (!t || !t.conversationId || !t.cursor || t.loadingOlder || t.loading) return;
  const id = t.conversationId;
  store.thread.value = { ...t, loadingOlder: true };
  try {
    const params = query({ limit: PAGE, before: t.cursor });
    if (t.channel === "email") {
      const page = await api<EmailsAnswer>(`/api/conversation/${id}/emails${params}`);
      patchThread(store, id, (x) => ({
        ...x,
        emails: mergeRows(x.emails, page.emails),
        cursor: page.next_cursor,
        loadingOlder: false,
      }));
    } else {
      const page = await api<MessagesAnswer>(`/api/conversation/${id}/messages${params}`);
      patchThread(store, id, (x) => ({
        ...x,
        messages: mergeRows(x.messages, page.messages),
        cursor: page.next_cursor,
        loadingOlder: false,
      }));
    }
  } catch {
    patchThread(store, id, (x) => ({ ...x, loadingOlder: false }));
  }
}
