// The inbox page's first screen, read straight from the tables in the API's shapes, so the
// server renders a full inbox (never "Loading…") and the islands continue from there.
import type { Tx } from "../db/connect.ts";
import { encodeCursor } from "../db/cursor.ts";
import type { Channel, Conversation, Email, Message, Paged } from "./types.ts";

// deno-lint-ignore no-explicit-any -- raw rows; each shaper below names the fields it reads
type Row = Record<string, any>;

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether text is a UUID (a conversation, message or email id). */
export function isUuid(text: string): boolean {
  return UUID_RE.test(text);
}

const iso = (v: Date | string): string => new Date(v).toISOString();

function toConversation(r: Row): Conversation {
  return {
    id: r.id,
    conversation_id: r.id,
    channel: r.channel,
    participants: r.participants,
    contact: r.participants[1],
    contact_name: r.channel === "chat" ? r.participants[1] : null,
    subject: r.subject,
    last_message: r.last_message_preview,
    last_message_time: iso(r.last_message_at),
    last_direction: r.last_direction,
    message_count: r.message_count,
    unread_count: r.unread_count,
  };
}

function toMessage(r: Row): Message {
  return {
    id: r.id,
    conversation_id: r.conversation_id,
    channel: r.channel,
    direction: r.direction,
    from_contact: r.from_contact,
    to_contact: r.to_contact,
    body: r.body,
    media: Array.isArray(r.media) ? r.media : [],
    status: r.status,
    error_code: r.error_code,
    error_message: r.error_message,
    timestamp: iso(r.created_at),
    updated_at: iso(r.updated_at),
  };
}

function toEmail(r: Row): Email {
  return {
    id: r.id,
    conversation_id: r.conversation_id,
    direction: r.direction,
    from_email: r.from_email,
    to_email: r.to_email,
    cc: r.cc,
    bcc: r.bcc,
    reply_to: r.reply_to,
    subject: r.subject,
    body: r.body,
    html_content: r.html_content,
    status: r.status,
    error_code: r.error_code,
    error_message: r.error_message,
    timestamp: iso(r.created_at),
    updated_at: iso(r.updated_at),
  };
}

/** The first page of the conversation list, newest activity first, optionally filtered. */
export async function firstConversations(
  sql: Tx,
  options: { limit: number; q?: string; channel?: Channel },
): Promise<Paged<Conversation>> {
  const like = options.q ? `%${options.q.replace(/[\\%_]/g, "\\$&")}%` : undefined;
  const rows = await sql`
    select * from conversations
    where true
      ${options.channel ? sql`and channel = ${options.channel}` : sql``}
      ${
    like
      ? sql`and (participants[2] ilike ${like} or last_message_preview ilike ${like}
               or coalesce(subject, '') ilike ${like})`
      : sql``
  }
    order by last_message_at desc, id desc
    limit ${options.limit + 1}`;
  const page = rows.slice(0, options.limit);
  const last = rows.length > options.limit ? page[page.length - 1] : undefined;
  return {
    items: page.map(toConversation),
    next_cursor: last ? encodeCursor(last.last_message_at, last.id) : null,
  };
}

/** One conversation by id, or null. */
export async function conversationById(sql: Tx, id: string): Promise<Conversation | null> {
  if (!isUuid(id)) return null;
  const [row] = await sql`select * from conversations where id = ${id}`;
  return row ? toConversation(row) : null;
}

async function newestRows(
  sql: Tx,
  table: "messages" | "emails",
  conversation: string,
  limit: number,
): Promise<{ rows: Row[]; next_cursor: string | null }> {
  const rows = await sql`
    select * from ${sql(table)} where conversation_id = ${conversation}
    order by created_at desc, id desc
    limit ${limit + 1}`;
  const page = rows.slice(0, limit);
  const oldest = rows.length > limit ? page[page.length - 1] : undefined;
  return {
    rows: page.reverse(),
    next_cursor: oldest ? encodeCursor(oldest.created_at, oldest.id) : null,
  };
}

/** The newest page of a conversation's messages, oldest first, with the cursor for older ones. */
export async function newestMessages(
  sql: Tx,
  conversation: string,
  limit: number,
): Promise<Paged<Message>> {
  const { rows, next_cursor } = await newestRows(sql, "messages", conversation, limit);
  return { items: rows.map(toMessage), next_cursor };
}

/** The newest page of a conversation's emails, oldest first, with the cursor for older ones. */
export async function newestEmails(
  sql: Tx,
  conversation: string,
  limit: number,
): Promise<Paged<Email>> {
  const { rows, next_cursor } = await newestRows(sql, "emails", conversation, limit);
  return { items: rows.map(toEmail), next_cursor };
}

/** The newest event id: the browser's stream starts after it, so nothing between is missed. */
export async function latestEventId(sql: Tx): Promise<string> {
  const [row] = await sql`select coalesce(max(id), 0)::text as id from events`;
  return row.id as string;
}
