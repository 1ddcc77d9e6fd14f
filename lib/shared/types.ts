// The inbox's view of the API's shapes. The API's own come from its zod schemas as types only
// (`import type` is erased when the islands are bundled, so zod never reaches the browser): a
// field added to a schema reaches the islands with no second edit.
import type { z } from "zod";
import type {
  Conversation,
  ConversationAnswer,
  ConversationList,
  OptOut,
} from "@/lib/conversations/schemas.ts";
import type { Message, MessagePage, MessageStatus } from "@/lib/messages/schemas.ts";
import type { Email as EmailSchema, EmailPage } from "@/lib/emails/schemas.ts";
import type { Contact, ContactList, Timeline, TimelineItem } from "@/lib/contacts/schemas.ts";
import type { SearchResults } from "@/lib/search/schemas.ts";
import type { ConversationState, ConversationView } from "@/lib/conversations/schemas.ts";
import type { Label, Note, Teammate, ViewCounts } from "@/lib/conversations/team_schemas.ts";

export type { Contact, Conversation, ConversationAnswer, Message, OptOut };
export type { ConversationState, ConversationView, Label, Note, Teammate, ViewCounts };

/** How a conversation reaches the customer. */
export type Channel = Conversation["channel"];
/** Which way a message went. */
export type Direction = Message["direction"];
/** A message's or email's delivery state; it only moves forward. */
export type DeliveryStatus = MessageStatus;

/** A delivery status as the inbox says it. */
export const STATUS_WORDS: Record<DeliveryStatus, string> = {
  queued: "Queued",
  sending: "Sending",
  sent: "Sent",
  delivered: "Delivered",
  undelivered: "Not delivered",
  failed: "Failed",
  received: "Received",
};

// The email schema types `status` as any string; the table's check constraint allows a
// message's statuses only, and the inbox relies on that (status words, merge order). Narrow
// swaps it in wherever an email sits in an answer.
type Narrow<T> = T extends EmailSchema ? Omit<T, "status"> & { status: DeliveryStatus }
  : T extends object ? { [K in keyof T]: Narrow<T[K]> }
  : T;

/** An email, as `GET /api/email/:id` answers it. */
export type Email = Narrow<EmailSchema>;
/** A message or an email in one mixed list (a contact's timeline, search results), tagged by kind. */
export type Item = Narrow<TimelineItem>;

/** The answer of `GET /api/conversations`. */
export type ConversationsAnswer = z.infer<typeof ConversationList>;
/** The answer of `GET /api/conversation/:id/messages`. */
export type MessagesAnswer = z.infer<typeof MessagePage>;
/** The answer of `GET /api/conversation/:id/emails`. */
export type EmailsAnswer = Narrow<z.infer<typeof EmailPage>>;
/** The answer of `GET /api/contacts`: a page of contacts by name. */
export type ContactPage = z.infer<typeof ContactList>;
/** The answer of `GET /api/contacts/:id/timeline`: a page of a contact's timeline, newest first. */
export type TimelinePage = Narrow<z.infer<typeof Timeline>>;
/** The answer of `GET /api/search`, newest first. */
export type SearchAnswer = Narrow<z.infer<typeof SearchResults>>;

/**
 * A search match as the inbox lists it: only what a result row shows, with the text cut to
 * a window around the first match, so a page of results stays small as island props.
 */
export interface Hit {
  kind: "message" | "email";
  id: string;
  conversation_id: string;
  channel: Channel;
  direction: Direction;
  /** The customer's side: the number or address the message came from or went to. */
  address: string;
  subject: string | null;
  text: string;
  /** Who sent one of ours (null: theirs, or nobody recorded). */
  sender: { user_id: string | null; name: string } | null;
  timestamp: string;
}

/** One entry of a contact's timeline: a row as search results have, with its delivery state. */
export interface Entry extends Hit {
  status: DeliveryStatus;
  error: string | null;
  /** MMS pictures or email attachments. */
  attachments: number;
  keyword: string | null;
}

/** Full-text matches for the filter text, listed under the matching conversations. */
export interface SearchState {
  q: string;
  hits: Hit[];
  cursor: string | null;
  loading: boolean;
  error: string | null;
}

/** A keyset page: the items and the cursor for the next (older) page. */
export interface Paged<T> {
  items: T[];
  next_cursor: string | null;
}

/** One of a contact's conversations, as the contact page links to it. */
export interface ConversationLink {
  id: string;
  channel: Channel;
  /** The contact's number or address in it. */
  address: string;
  message_count: number;
  last_message_time: string;
}

/** One contact, its conversations and the newest page of its timeline. */
export interface ContactDetail {
  contact: Contact;
  conversations: ConversationLink[];
  timeline: Paged<Entry>;
  /** The newest event id when read: the page follows the live stream from there. */
  latestEventId: string;
}
