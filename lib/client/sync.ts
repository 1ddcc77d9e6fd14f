// Following the live stream: each event names what changed and carries what the inbox shows of
// it (a conversation's list row; a message's status, error and provider), applied to the store
// with no request. Only what an event cannot carry is fetched by id: a message the tab has never
// seen (its body), an email, or an event from a server that sends nothing more. After a gap, the
// first pages are fetched again.
import { batch } from "@preact/signals";
import { api, ApiError } from "./api.ts";
import { loadThread, patchThread, putConversation, setOptOut } from "./actions.ts";
import { fetchPage } from "./list_loader.ts";
import { isNewer, mergeRows } from "./merge.ts";
import { applyTeamEvent } from "./team_live.ts";
import type { LocalMessage, Store } from "./store.ts";
import type {
  Conversation,
  ConversationAnswer,
  DeliveryStatus,
  Email,
  Message,
} from "@/lib/shared/types.ts";

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
      const floor = t.cursor === null ? undefined : t.messages[0];
      const messages = mergeRows<LocalMessage>(t.messages, [message], { floor });
      return messages === t.messages ? t : { ...t, messages };
    });
    // STOP or START changed whether we may text them: ask the conversation again.
    if (message.keyword === "stop" || message.keyword === "start") {
      refetchConversation(store, message.conversation_id);
    }
  });
}

function refetchEmail(store: Store, id: string): void {
  enqueue(`e:${id}`, async () => {
    const { email } = await api<{ email: Email }>(`/api/email/${id}`);
    patchThread(store, email.conversation_id, (t) => {
      const floor = t.cursor === null ? undefined : t.emails[0];
      const emails = mergeRows(t.emails, [email], { floor });
      return emails === t.emails ? t : { ...t, emails };
    });
  });
}

function refetchConversation(store: Store, id: string): void {
  enqueue(`c:${id}`, async () => {
    try {
      const answer = await api<ConversationAnswer>(`/api/conversation/${id}`);
      putConversation(store, answer.conversation);
      setOptOut(store, id, answer.opt_out ?? null);
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
  /** A conversation event's list row (absent from servers that do not send it). */
  conversation?: Conversation;
  /** A message event's fields as of the change. */
  status?: DeliveryStatus;
  error_code?: string | null;
  error_message?: string | null;
  updated_at?: string;
}

/** What a tab shows, as far as deciding about an event goes. */
export interface TabView {
  /** The open conversation's id, or null. */
  openId: string | null;
  /**
   * Whether the open thread holds this message as it will stay: a scheduled one (queued with a
   * `send_at`) can still have its text and time edited, which a status event does not carry.
   */
  hasMessage(id: string): boolean;
  /** The list's row of a conversation, when the tab holds it. */
  conversation?(id: string): Conversation | undefined;
}

/**
 * The request an event costs a tab, or null when the event carries all it needs: the list row
 * comes with a conversation event; a message's change with its event, once the tab holds the
 * message. Used by applyEvent and by `bench/realtime.ts --tabs`.
 */
export function requestFor(type: string, e: LiveEvent, view: TabView): string | null {
  if (type === "conversation_update" && e.conversation_id) {
    if (e.action === "DELETE") return null;
    const url = `/api/conversation/${e.conversation_id}`;
    if (!e.conversation) return url;
    // Unread counts are per user, which a row shared by every tab cannot carry: a new customer
    // message asks for this user's row; sends, status changes and other moves cost nothing.
    const held = view.conversation?.(e.conversation_id);
    const newInbound = e.conversation.last_direction === "inbound" &&
      held?.last_message_time !== e.conversation.last_message_time;
    return newInbound ? url : null;
  }
  if (!e.conversation_id || e.conversation_id !== view.openId || e.action === "DELETE") {
    return null;
  }
  if (type === "message_update" && e.message_id) {
    const carried = e.action === "UPDATE" && e.status !== undefined && e.updated_at !== undefined;
    return carried && view.hasMessage(e.message_id) ? null : `/api/message/${e.message_id}`;
  }
  if (type === "email_update" && e.email_id) return `/api/email/${e.email_id}`;
  return null;
}

// A message's status change, applied to the bubble the tab holds (never moving it back).
function patchMessage(store: Store, e: LiveEvent): void {
  patchThread(store, e.conversation_id!, (t) => {
    let changed = false;
    const messages = t.messages.map((m) => {
      if (m.id !== e.message_id) return m;
      const incoming = { updated_at: e.updated_at!, status: e.status! };
      if (!isNewer(incoming, m)) return m;
      changed = true;
      return {
        ...m,
        status: e.status!,
        error_code: e.error_code ?? m.error_code,
        error_message: e.error_message ?? m.error_message,
        updated_at: new Date(e.updated_at!).toISOString(),
      };
    });
    return changed ? { ...t, messages } : t;
  });
}

/** Folds one live event into the store, fetching only what the event cannot carry. */
export function applyEvent(store: Store, type: string, e: LiveEvent): void {
  const openId = store.thread.value?.conversationId ?? null;
  // A send that failed marks its row in the list, open or not.
  if (
    (type === "message_update" || type === "email_update") && e.conversation_id &&
    (e.status === "failed" || e.status === "undelivered")
  ) refetchConversation(store, e.conversation_id);
  applyTeamEvent(store, type, e as Record<string, unknown>);
  const known = (id: string) => store.conversations.value.find((c) => c.id === id);
  const view: TabView = {
    openId,
    hasMessage: (id) =>
      store.thread.value?.messages.some((m) =>
        m.id === id && !(m.status === "queued" && m.send_at)
      ) ?? false,
    conversation: known,
  };
  const request = requestFor(type, e, view);
  if (type === "conversation_update" && e.conversation_id) {
    if (e.action === "DELETE") removeConversation(store, e.conversation_id);
    else if (request) refetchConversation(store, e.conversation_id);
    else {
      // The shared row's unread count is nobody's: this user's stays as the tab knows it.
      const mine = known(e.conversation_id)?.unread_count ?? 0;
      putConversation(store, { ...e.conversation!, unread_count: mine });
    }
  } else if (type === "message_update" && e.message_id && e.conversation_id === openId) {
    if (e.action === "DELETE") {
      patchThread(store, openId, (t) => ({
        ...t,
        messages: t.messages.filter((m) => m.id !== e.message_id),
      }));
    } else if (request) refetchMessage(store, e.message_id);
    else patchMessage(store, e);
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
  const page = await fetchPage(store).catch(() => null);
  if (page) batch(() => page.conversations.forEach((c) => putConversation(store, c)));
  const t = store.thread.value;
  if (t?.conversationId) await loadThread(store, t.conversationId, t.channel, { keepCursor: true });
}
