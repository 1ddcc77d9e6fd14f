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
  /** The signed-in user's session CSRF token, sent with every write. */
  csrfToken: string | null;
  /** Who is signed in, for the sidebar's footer. */
  user: { email: string; role: string } | null;
}
