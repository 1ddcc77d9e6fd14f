// What the islands do in the browser: open threads, page, send, retry, and fold live changes
// into the store. Runs only in the browser (event handlers and effects).
import { batch } from "@preact/signals";
import { api, ApiError, query } from "./api.ts";
import { matchesFilter, mergeRows, upsertConversation } from "./merge.ts";
import { contactLabel } from "./labels.ts";
import type { LocalMessage, Store, Thread } from "./store.ts";
import type { Channel, Conversation, Email, Message } from "./types.ts";

const PAGE = 50;

type ConversationsAnswer = { conversations: Conversation[]; next_cursor: string | null };
type MessagesAnswer = { messages: Message[]; next_cursor: string | null };
type EmailsAnswer = { emails: Email[]; next_cursor: string | null };

function words(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

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

function patchThread(store: Store, id: string | null, patch: (t: Thread) => Thread): void {
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
    store.conversations.value = upsertConversation(store.conversations.value, c, {
      complete: store.listCursor.value === null,
      include: matchesFilter(c, store.filter.value, contactLabel(store, c)),
    });
  });
}

const readTimers = new Map<string, ReturnType<typeof setTimeout>>();

/** Tells the server a conversation was read, once per burst of calls. */
export function markRead(store: Store, id: string): void {
  clearTimeout(readTimers.get(id));
  readTimers.set(
    id,
    setTimeout(() => {
      readTimers.delete(id);
      api(`/api/conversation/${id}/read`, { method: "POST", body: {} }).catch(() => {});
    }, 250),
  );
  const list = store.conversations.value;
  if (list.some((c) => c.id === id && c.unread_count > 0)) {
    store.conversations.value = list.map((c) => c.id === id ? { ...c, unread_count: 0 } : c);
  }
}

async function loadThread(
  store: Store,
  id: string,
  channel: Channel,
  options: { keepCursor?: boolean } = {},
): Promise<void> {
  try {
    const rows = channel === "email"
      ? await api<EmailsAnswer>(`/api/conversation/${id}/emails${query({ limit: PAGE })}`)
      : await api<MessagesAnswer>(`/api/conversation/${id}/messages${query({ limit: PAGE })}`);
    patchThread(store, id, (t) => ({
      ...t,
      messages: "messages" in rows ? mergeRows(t.messages, rows.messages) : t.messages,
      emails: "emails" in rows ? mergeRows(t.emails, rows.emails) : t.emails,
      // A resync must not rewind paging past the older pages the reader already loaded.
      cursor: options.keepCursor && !t.loading ? t.cursor : rows.next_cursor,
      loading: false,
      error: null,
    }));
  } catch (e) {
    patchThread(store, id, (t) => ({ ...t, loading: false, error: words(e) }));
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
  if (options.push) history.pushState({ hatch: true }, "", `/${query({ c: id })}`);
  if (!conv) {
    try {
      conv = (await api<{ conversation: Conversation }>(`/api/conversation/${id}`)).conversation;
    } catch (e) {
      if (store.selectedId.value !== id) return;
      batch(() => {
        store.thread.value = null;
        store.notFound.value = e instanceof ApiError && e.status === 404
          ? `Conversation "${id}" was not found`
          : words(e);
      });
      return;
    }
    if (store.selectedId.value !== id) return;
    store.open.value = conv;
    patchThread(store, id, (t) => ({ ...t, channel: conv!.channel }));
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
  if (options.push) history.pushState({ hatch: true }, "", `/${query({ q: store.filter.value })}`);
}

/** Opens an empty thread to someone new; the first message creates the conversation. */
export function openDraft(store: Store, to: string, channel: "sms" | "chat"): void {
  const existing = store.conversations.value.find((c) =>
    c.channel === channel && c.contact.toLowerCase() === to.toLowerCase()
  );
  if (existing) {
    void openConversation(store, existing.id);
    return;
  }
  batch(() => {
    store.selectedId.value = null;
    store.open.value = null;
    store.notFound.value = null;
    store.newConversationOpen.value = false;
    store.draft.value = { to, channel };
    store.thread.value = emptyThread(null, channel);
  });
}

/** Loads the next page of the conversation list. */
export async function loadMoreConversations(store: Store): Promise<void> {
  const cursor = store.listCursor.value;
  if (!cursor || store.listLoading.value) return;
  store.listLoading.value = true;
  const filter = store.filter.value;
  try {
    const page = await api<ConversationsAnswer>(
      `/api/conversations${query({ limit: PAGE, before: cursor, q: filter })}`,
    );
    if (store.filter.value !== filter) return;
    const known = new Set(store.conversations.value.map((c) => c.id));
    batch(() => {
      store.conversations.value = [
        ...store.conversations.value,
        ...page.conversations.filter((c) => !known.has(c.id)),
      ];
      store.listCursor.value = page.next_cursor;
    });
  } catch {
    // The sentinel stays in view; the next scroll tries again.
  } finally {
    store.listLoading.value = false;
  }
}

let filterTimer: ReturnType<typeof setTimeout> | undefined;
let filterSeq = 0;

/** Filters the list by name, number or text; the server searches past the loaded pages. */
export function setFilter(store: Store, text: string): void {
  store.filter.value = text;
  clearTimeout(filterTimer);
  filterTimer = setTimeout(async () => {
    const seq = ++filterSeq;
    store.listLoading.value = true;
    try {
      const page = await api<ConversationsAnswer>(
        `/api/conversations${query({ limit: PAGE, q: text.trim() })}`,
      );
      if (seq !== filterSeq) return;
      batch(() => {
        store.conversations.value = page.conversations;
        store.listCursor.value = page.next_cursor;
      });
      const url = new URL(location.href);
      if (text.trim()) url.searchParams.set("q", text.trim());
      else url.searchParams.delete("q");
      history.replaceState(history.state, "", url);
    } catch {
      // Keeps the current list; typing again retries.
    } finally {
      if (seq === filterSeq) store.listLoading.value = false;
    }
  }, 180);
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

function replaceLocal(
  store: Store,
  key: string,
  replace: (m: LocalMessage) => LocalMessage | null,
) {
  const t = store.thread.value;
  if (!t) return;
  const at = t.messages.findIndex((m) => m.local?.key === key);
  if (at < 0) return;
  const next = replace(t.messages[at]);
  const messages = t.messages.slice();
  if (next) messages[at] = next;
  else messages.splice(at, 1);
  store.thread.value = { ...t, messages };
}

/** Sends a message in the open thread: it shows at once, then takes its real id and status. */
export async function sendMessage(store: Store, text: string): Promise<void> {
  const t = store.thread.value;
  const conv = store.open.value;
  const draft = store.draft.value;
  if (!t || !text.trim() || (!conv && !draft)) return;
  const to = conv ? conv.contact : draft!.to;
  const key = crypto.randomUUID();
  const now = new Date().toISOString();
  const local: LocalMessage = {
    id: `local-${key}`,
    conversation_id: t.conversationId ?? "",
    channel: (conv?.channel ?? draft?.channel) === "chat" ? "chat" : "sms",
    direction: "outbound",
    from_contact: conv?.participants[0] ?? "",
    to_contact: to,
    body: text,
    media: [],
    status: "queued",
    error_code: null,
    error_message: null,
    timestamp: now,
    updated_at: now,
    local: { state: "sending", key },
  };
  store.thread.value = { ...t, messages: [...t.messages, local] };
  try {
    const res = await api<
      { message_id: string; conversation_id: string; status: Message["status"] }
    >(
      "/api/send_message",
      {
        method: "POST",
        // The server derives the conversation from the two addresses; naming it adds nothing
        // and would tie every send to the id format the API validates.
        body: { to, content: text },
        idempotencyKey: key,
      },
    );
    const cur = store.thread.value;
    const already = cur?.messages.some((m) => m.id === res.message_id);
    batch(() => {
      replaceLocal(store, key, (m) =>
        already ? null : {
          ...m,
          id: res.message_id,
          conversation_id: res.conversation_id,
          status: res.status,
          local: undefined,
        });
      if (draft && store.draft.value === draft) {
        store.draft.value = null;
        store.selectedId.value = res.conversation_id;
        const th = store.thread.value;
        if (th) store.thread.value = { ...th, conversationId: res.conversation_id, loading: false };
      }
    });
    if (draft) {
      history.pushState({ hatch: true }, "", `/${query({ c: res.conversation_id })}`);
      api<{ conversation: Conversation }>(`/api/conversation/${res.conversation_id}`)
        .then((r) => putConversation(store, r.conversation)).catch(() => {});
    }
    refetchMessage(store, res.message_id);
  } catch (e) {
    replaceLocal(store, key, (m) => ({ ...m, local: { state: "error", error: words(e), key } }));
  }
}

/** Sends a failed message again: a refused local one anew, a provider failure through the API. */
export async function retryMessage(store: Store, m: LocalMessage): Promise<void> {
  if (m.local) {
    replaceLocal(store, m.local.key, () => null);
    await sendMessage(store, m.body);
    return;
  }
  const id = m.conversation_id;
  const set = (patch: Partial<LocalMessage>) =>
    patchThread(store, id, (t) => ({
      ...t,
      messages: t.messages.map((x) => x.id === m.id ? { ...x, ...patch } : x),
    }));
  set({ status: "queued", error_code: null, error_message: null });
  try {
    await api(`/api/message/${m.id}/retry`, { method: "POST", body: {} });
    refetchMessage(store, m.id);
  } catch (e) {
    set({ status: m.status, error_code: m.error_code, error_message: `Retry failed: ${words(e)}` });
  }
}

/** Sandbox only: makes the customer answer in the open conversation. */
export async function simulateInbound(store: Store, body: string): Promise<void> {
  const id = store.thread.value?.conversationId;
  if (!id) throw new Error("Open a conversation first");
  await api("/api/sandbox/inbound", { method: "POST", body: { conversation_id: id, body } });
}

// Events come in bursts (a message, its conversation, then its status changes): fetches of
// the same entity within a few milliseconds fold into one.
const queued = new Map<string, () => Promise<void>>();
let flushTimer: ReturnType<typeof setTimeout> | undefined;

function enqueue(key: string, job: () => Promise<void>): void {
  queued.set(key, job);
  flushTimer ??= setTimeout(() => {
    flushTimer = undefined;
    const jobs = [...queued.values()];
    queued.clear();
    for (const j of jobs) j().catch(() => {});
  }, 15);
}

/** Fetches a message by id and merges it into the open thread. */
export function refetchMessage(store: Store, id: string): void {
  enqueue(`m:${id}`, async () => {
    const { message } = await api<{ message: Message }>(`/api/message/${id}`);
    patchThread(store, message.conversation_id, (t) => {
      const messages = mergeRows<LocalMessage>(t.messages, [message]);
      return messages === t.messages ? t : { ...t, messages };
    });
  });
}

function refetchEmail(store: Store, id: string): void {
  enqueue(`e:${id}`, async () => {
    const { email } = await api<{ email: Email }>(`/api/email/${id}`);
    patchThread(store, email.conversation_id, (t) => {
      const emails = mergeRows(t.emails, [email]);
      return emails === t.emails ? t : { ...t, emails };
    });
  });
}

function refetchConversation(store: Store, id: string): void {
  enqueue(`c:${id}`, async () => {
    try {
      const { conversation } = await api<{ conversation: Conversation }>(`/api/conversation/${id}`);
      putConversation(store, conversation);
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) removeConversation(store, id);
      else throw e;
    }
  });
}

function removeConversation(store: Store, id: string): void {
  store.conversations.value = store.conversations.value.filter((c) => c.id !== id);
}

/** One change from the live stream, as `/api/events` sends it. */
export interface LiveEvent {
  conversation_id?: string;
  action?: "INSERT" | "UPDATE" | "DELETE";
  message_id?: string;
  email_id?: string;
}

/** Folds one live event into the store, fetching the changed entity by id. */
export function applyEvent(store: Store, type: string, e: LiveEvent): void {
  const openId = store.thread.value?.conversationId ?? null;
  if (type === "conversation_update" && e.conversation_id) {
    if (e.action === "DELETE") removeConversation(store, e.conversation_id);
    else refetchConversation(store, e.conversation_id);
  } else if (type === "message_update" && e.message_id && e.conversation_id === openId) {
    if (e.action === "DELETE") {
      patchThread(store, openId, (t) => ({
        ...t,
        messages: t.messages.filter((m) => m.id !== e.message_id),
      }));
    } else refetchMessage(store, e.message_id);
  } else if (type === "email_update" && e.email_id && e.conversation_id === openId) {
    if (e.action === "DELETE") {
      patchThread(store, openId, (t) => ({
        ...t,
        emails: t.emails.filter((m) => m.id !== e.email_id),
      }));
    } else refetchEmail(store, e.email_id);
  }
}

/** After a gap in the stream: fetches the list's first page and the open thread's newest rows. */
export async function resync(store: Store): Promise<void> {
  const page = await api<ConversationsAnswer>(
    `/api/conversations${query({ limit: PAGE, q: store.filter.value.trim() })}`,
  ).catch(() => null);
  if (page) batch(() => page.conversations.forEach((c) => putConversation(store, c)));
  const t = store.thread.value;
  if (t?.conversationId) await loadThread(store, t.conversationId, t.channel, { keepCursor: true });
}
