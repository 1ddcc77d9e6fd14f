// The browser's side of contacts: saving, deleting, merging and paging them through the API,
// and telling the inbox's conversations which of them now belong to whom. Runs in the browser.
import { batch } from "@preact/signals";
import { api, query } from "./api.ts";
import type { Store } from "./store.ts";
import type {
  Contact,
  ContactPage,
  Conversation,
  ConversationAnswer,
  ConversationLink,
  TimelinePage,
} from "@/lib/shared/types.ts";
import { conversationLink, MAX_CONVERSATION_LINKS } from "@/lib/shared/timeline.ts";

/** What the contact form edits. */
export interface ContactDraft {
  name: string;
  phones: string[];
  emails: string[];
  notes: string;
}

/** The answer of the routes that change a contact. */
type ContactAnswer = { success: true; contact: Contact };

/** Creates a contact, or changes one when `id` is given; phones and emails replace its sets. */
export async function saveContact(draft: ContactDraft, id?: string): Promise<Contact> {
  const body = {
    name: draft.name.trim(),
    phones: draft.phones.map((p) => p.trim()).filter(Boolean),
    emails: draft.emails.map((e) => e.trim()).filter(Boolean),
    notes: draft.notes,
  };
  const answer = id
    ? await api<ContactAnswer>(`/api/contacts/${id}`, { method: "PATCH", body })
    : await api<ContactAnswer>("/api/contacts", { method: "POST", body });
  return answer.contact;
}

/** Deletes a contact; its conversations stay, without a name. */
export async function removeContact(id: string): Promise<void> {
  await api(`/api/contacts/${id}`, { method: "DELETE" });
}

/** Merges contact `other` into `into`, which keeps its name; answers the merged contact. */
export async function mergeInto(into: string, other: string): Promise<Contact> {
  const answer = await api<ContactAnswer>(`/api/contacts/${into}/merge`, {
    method: "POST",
    body: { other_id: other },
  });
  return answer.contact;
}

/** One contact by id. */
export async function fetchContact(id: string): Promise<Contact> {
  return (await api<{ contact: Contact }>(`/api/contacts/${id}`)).contact;
}

/** A page of contacts whose name, phone or email matches `q`. */
export function findContacts(q: string, before?: string | null, limit = 50): Promise<ContactPage> {
  return api<ContactPage>(`/api/contacts${query({ q: q.trim(), before, limit })}`);
}

/** A page of a contact's SMS and email, older than `before`. */
export function timelinePage(id: string, before?: string | null): Promise<TimelinePage> {
  return api<TimelinePage>(`/api/contacts/${id}/timeline${query({ before, limit: 50 })}`);
}

/** A conversation by id. */
export async function fetchConversation(id: string): Promise<Conversation> {
  return (await api<ConversationAnswer>(`/api/conversation/${id}`)).conversation;
}

/** Links to a contact's conversations (the first few, as the page shows them); ones gone are left out. */
export async function conversationLinks(ids: string[]): Promise<ConversationLink[]> {
  const links = await Promise.all(
    ids.slice(0, MAX_CONVERSATION_LINKS).map((id) =>
      fetchConversation(id).then(conversationLink).catch(() => null)
    ),
  );
  return links.filter((link) => link !== null);
}

/** The customer's address of a conversation, as contacts store them (emails lowercased). */
function customerAddress(c: Conversation): string {
  return c.channel === "email" ? c.contact.toLowerCase() : c.contact;
}

/**
 * After a contact was saved: conversations with one of its addresses now carry its name, and
 * those it no longer holds lose it. Contact changes make no live event, so this page says it.
 */
export function applyContact(store: Store, contact: Contact): void {
  const mine = new Set([...contact.phones, ...contact.emails]);
  const relabel = (c: Conversation): Conversation => {
    if (c.channel === "chat") return c;
    if (mine.has(customerAddress(c))) {
      return c.contact_id === contact.id && c.contact_name === contact.name
        ? c
        : { ...c, contact_id: contact.id, contact_name: contact.name };
    }
    return c.contact_id === contact.id ? { ...c, contact_id: null, contact_name: null } : c;
  };
  batch(() => {
    store.conversations.value = store.conversations.value.map(relabel);
    if (store.open.value) store.open.value = relabel(store.open.value);
  });
}

/** After a contact was deleted: its conversations go back to showing their numbers. */
export function forgetContact(store: Store, id: string): void {
  const unlink = (c: Conversation): Conversation =>
    c.contact_id === id ? { ...c, contact_id: null, contact_name: null } : c;
  batch(() => {
    store.conversations.value = store.conversations.value.map(unlink);
    if (store.open.value) store.open.value = unlink(store.open.value);
  });
}

/** What the contacts page's islands tell each other when a contact changes. */
export type ContactNews = { saved: Contact } | { deleted: string; into?: Contact };

const NEWS = "hatch:contact";

/** Tells the page's other islands that a contact was saved, deleted, or merged away. */
export function announceContact(news: ContactNews): void {
  dispatchEvent(new CustomEvent<ContactNews>(NEWS, { detail: news }));
}

/** Listens for contact news from the page's other islands; returns the way to stop. */
export function onContactNews(listener: (news: ContactNews) => void): () => void {
  const handle = (e: Event) => listener((e as CustomEvent<ContactNews>).detail);
  addEventListener(NEWS, handle);
  return () => removeEventListener(NEWS, handle);
}
