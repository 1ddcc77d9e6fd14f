// A contact's timeline as the contact page shows it: SMS, chat and email in one list, newest
// first. Each item is cut to what an entry shows (no HTML bodies, text kept short), so the
// first page fits in the island's props; the server and the browser cut it the same way.
// Beside it, links to the contact's conversations, made the same way on both sides too.
import type { Conversation, ConversationLink, Entry, Item } from "./types.ts";
import { itemRow } from "./item_row.ts";

/** Most of a contact's conversations the contact page links to. */
export const MAX_CONVERSATION_LINKS = 20;

/** The link the contact page shows for one of the contact's conversations. */
export function conversationLink(c: Conversation): ConversationLink {
  return {
    id: c.id,
    channel: c.channel,
    address: c.contact,
    message_count: c.message_count,
    last_message_time: c.last_message_time,
  };
}

/** Characters of a message body or an email's text an entry keeps. */
const TEXT_CHARS = 480;

function cut(text: string): string {
  const flat = text.replace(/[ \t]+/g, " ").replace(/\n{3,}/g, "\n\n").trim();
  return flat.length > TEXT_CHARS ? `${flat.slice(0, TEXT_CHARS).trimEnd()}…` : flat;
}

/** The entry for a message or an email from the API. */
export function toEntry(item: Item): Entry {
  return {
    ...itemRow(item, cut),
    status: item.status,
    error: item.error_message ?? (item.error_code ? `Error ${item.error_code}` : null),
    attachments: item.kind === "email" ? item.attachments?.length ?? 0 : item.media.length,
    keyword: item.kind === "message" ? item.keyword ?? null : null,
  };
}

/** Merges fetched entries into the list: the newer version of one already held wins; newest first. */
export function mergeEntries(current: Entry[], incoming: Entry[]): Entry[] {
  const byId = new Map(current.map((e) => [e.id, e]));
  for (const e of incoming) byId.set(e.id, e);
  return [...byId.values()].sort((a, b) => {
    const d = Date.parse(b.timestamp) - Date.parse(a.timestamp);
    return d || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
  });
}
