// Following the live stream: each event names what changed, and the changed entity is fetched
// by id and merged into the store; after a gap, the first pages are fetched again.
import { batch } from "@preact/signals";
import { api, ApiError, query } from "./api.ts";
import { loadThread, PAGE, patchThread, putConversation, setOptOut } from "./actions.ts";
import { mergeRows } from "./merge.ts";
import { viewParams } from "./team_views.ts";
import { applyTeamEvent } from "./team_live.ts";
import type { LocalMessage, Store } from "./store.ts";
import type {
  ConversationAnswer,
  ConversationsAnswer,
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
      const messages = mergeRows<LocalMessage>(t.messages, [message]);
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
      const emails = mergeRows(t.emails, [email]);
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
  status?: string;
}

/** Folds one live event into the store, fetching the changed entity by id. */
export function applyEvent(store: Store, type: string, e: LiveEvent): void {
  const openId = store.thread.value?.conversationId ?? null;
  // A send that failed marks its row in the list, open or not.
  if (
    (type === "message_update" || type === "email_update") && e.conversation_id &&
    (e.status === "failed" || e.status === "undelivered")
  ) refetchConversation(store, e.conversation_id);
  applyTeamEvent(store, type, e as Record<string, unknown>);
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
    `/api/conversations${
      query({ limit: PAGE, q: store.filter.value.trim(), ...viewParams(store) })
    }`,
  ).catch(() => null);
  if (page) batch(() => page.conversations.forEach((c) => putConversation(store, c)));
  const t = store.thread.value;
  if (t?.conversationId) await loadThread(store, t.conversationId, t.channel, { keepCursor: true });
}
