// The inbox's view of the API's shapes; the server's page data and the browser's fetches agree.

/** How a conversation reaches the customer. */
export type Channel = "sms" | "chat" | "email";
/** Which way a message went. */
export type Direction = "inbound" | "outbound";
/** A message's or email's delivery state; it only moves forward. */
export type DeliveryStatus =
  | "queued"
  | "sending"
  | "sent"
  | "delivered"
  | "undelivered"
  | "failed"
  | "received";

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

/** One row of the conversation list, as `GET /api/conversations` answers it. */
export interface Conversation {
  id: string;
  conversation_id: string;
  channel: Channel;
  /** Our address first, then the customer's. */
  participants: string[];
  contact: string;
  /** The saved contact holding the customer's address, if any. */
  contact_id?: string | null;
  contact_name: string | null;
  subject: string | null;
  last_message: string;
  last_message_time: string;
  last_direction: Direction | null;
  message_count: number;
  unread_count: number;
}

/** An SMS or chat message, as `GET /api/message/:id` answers it. */
export interface Message {
  id: string;
  conversation_id: string;
  channel: "sms" | "chat";
  direction: Direction;
  from_contact: string;
  to_contact: string;
  body: string;
  media: { url: string; content_type: string | null }[];
  status: DeliveryStatus;
  error_code: string | null;
  error_message: string | null;
  /** STOP, START or HELP when an inbound text was one. */
  keyword?: string | null;
  timestamp: string;
  updated_at: string;
}

/** An email, as `GET /api/email/:id` answers it. */
export interface Email {
  id: string;
  conversation_id: string;
  direction: Direction;
  from_email: string;
  to_email: string;
  cc: string | null;
  bcc: string | null;
  reply_to: string | null;
  subject: string;
  body: string;
  html_content: string | null;
  attachments?: { filename: string; content_type: string; size: number }[];
  status: DeliveryStatus;
  error_code: string | null;
  error_message: string | null;
  timestamp: string;
  updated_at: string;
}

/** A message or an email in one mixed list (a contact's timeline, search results), tagged by kind. */
export type Item = (Message & { kind: "message" }) | (Email & { kind: "email" });

/** An SMS recipient's opt-out, as `GET /api/conversation/:id` answers it. */
export interface OptOut {
  /** The word they replied with, as they wrote it (STOP, unsubscribe…). */
  keyword: string;
  opted_out_at: string;
}

/** A saved person with their phone numbers and email addresses, as `GET /api/contacts/:id` answers it. */
export interface Contact {
  id: string;
  name: string;
  notes: string;
  phones: string[];
  emails: string[];
  created_at: string;
  updated_at: string;
  conversation_ids: string[];
}

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
  timestamp: string;
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

/** What the page handler gives the inbox page and, from there, its islands. */
export interface InboxData {
  conversations: Paged<Conversation>;
  /** The open conversation (`?c=`), if any and found. */
  open: Conversation | null;
  messages: Paged<Message> | null;
  emails: Paged<Email> | null;
  /** Set when `?c=` named a conversation that does not exist. */
  notFound: string | null;
  /** People-readable labels for the phone numbers on screen, so the browser need not load libphonenumber to hydrate. */
  labels: Record<string, string>;
  latestEventId: string;
  sandbox: boolean;
  defaultCountry: string;
  timeZone: string;
  /** The filter text from `?q=`. */
  filter: string;
  /** Messages and emails matching the filter text (absent when there is none). */
  search?: SearchState | null;
  /** The open SMS conversation's opt-out, when its recipient opted out. */
  optOut?: OptOut | null;
  /** The signed-in user's session CSRF token, sent with every write. */
  csrfToken: string | null;
  /** Who is signed in, for the sidebar's footer. */
  user: { email: string; role: string } | null;
}
