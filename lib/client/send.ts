// Sending from the browser: the message shows at once, then takes its real id and status;
// failures say why and can be retried; in the sandbox, the customer can answer.
import { batch } from "@preact/signals";
import { api, errorWords, query } from "./api.ts";
import { patchThread, putConversation } from "./actions.ts";
import { refetchMessage } from "./sync.ts";
import type { LocalMessage, Store } from "./store.ts";
import type { Conversation, Message } from "@/lib/shared/types.ts";

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
    keyword: null,
    sent_by: store.settings.userId
      ? { user_id: store.settings.userId, token_id: null, name: "" }
      : null,
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
        // Naming the open conversation keeps the reply in it even if our sender has changed.
        body: {
          to,
          content: text,
          ...(t.conversationId ? { conversation_id: t.conversationId } : {}),
        },
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
    replaceLocal(
      store,
      key,
      (m) => ({ ...m, local: { state: "error", error: errorWords(e), key } }),
    );
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
    // Statuses never move back, so the server sends the text again as a new message: the
    // failed one stays in the history as it was, and the new one joins the thread below it.
    const res = await api<{ message_id: string }>(`/api/message/${m.id}/retry`, {
      method: "POST",
      body: {},
    });
    set({ status: m.status, error_code: m.error_code, error_message: m.error_message });
    refetchMessage(store, res.message_id);
  } catch (e) {
    set({
      status: m.status,
      error_code: m.error_code,
      error_message: `Retry failed: ${errorWords(e)}`,
    });
  }
}

/** Sandbox only: makes the customer answer in the open conversation. */
export async function simulateInbound(store: Store, body: string): Promise<void> {
  const t = store.thread.value;
  if (!t?.conversationId) throw new Error("Open a conversation first");
  const path = t.channel === "email" ? "/api/sandbox/email_inbound" : "/api/sandbox/inbound";
  await api(path, { method: "POST", body: { conversation_id: t.conversationId, body } });
}
