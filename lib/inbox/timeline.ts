// A contact's timeline as the contact page shows it: SMS, chat and email in one list, newest
// first. Each item is cut to what an entry shows (no HTML bodies, text kept short), so the
// first page fits in the island's props; the server and the browser cut it the same way.
import type { Channel, DeliveryStatus, Direction, Item } from "./types.ts";

/** Characters of a message body or an email's text an entry keeps. */
const TEXT_CHARS = 480;

/** One entry of the timeline. */
export interface Entry {
  kind: "message" | "email";
  id: string;
  conversation_id: string;
  channel: Channel;
  direction: Direction;
  /** The contact's side of it: the number or address it came from or went to. */
  address: string;
  subject: string | null;
  text: string;
  status: DeliveryStatus;
  error: string | null;
  /** MMS pictures or email attachments. */
  attachments: number;
  keyword: string | null;
  timestamp: string;
}

function cut(text: string): string {
  const flat = text.replace(/[ \t]+/g, " ").replace(/\n{3,}/g, "\n\n").trim();
  return flat.length > TEXT_CHARS ? `${flat.slice(0, TEXT_CHARS).trimEnd()}…` : flat;
}

/** The entry for a message or an email from the API. */
export function toEntry(item: Item): Entry {
  const inbound = item.direction === "inbound";
  const error = item.error_message ?? (item.error_code ? `Error ${item.error_code}` : null);
  if (item.kind === "email") {
    return {
      kind: "email",
      id: item.id,
      conversation_id: item.conversation_id,
      channel: "email",
      direction: item.direction,
      address: inbound ? item.from_email : item.to_email,
      subject: item.subject,
      text: cut(item.body),
      status: item.status,
      error,
      attachments: item.attachments?.length ?? 0,
      keyword: null,
      timestamp: item.timestamp,
    };
  }
  return {
    kind: "message",
    id: item.id,
    conversation_id: item.conversation_id,
    channel: item.channel,
    direction: item.direction,
    address: inbound ? item.from_contact : item.to_contact,
    subject: null,
    text: cut(item.body),
    status: item.status,
    error,
    attachments: item.media.length,
    keyword: item.keyword ?? null,
    timestamp: item.timestamp,
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
