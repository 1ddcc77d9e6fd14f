// The inbox page's first screen, read through the same services the API answers with (so the
// shapes and the paging cursors are the API's own); the islands continue from there.
import type { Tx } from "../db/connect.ts";
import { HatchError, NotFoundError } from "../errors.ts";
import { getConversation, listConversations } from "../conversations/service.ts";
import { listMessages } from "../messages/service.ts";
import { listEmails } from "../emails/service.ts";
import { optOutOf } from "../messages/opt_outs.ts";
import { search } from "../search/service.ts";
import { SEARCH_PAGE, toHit } from "./search.ts";
import type {
  Channel,
  Conversation,
  Email,
  Item,
  Message,
  OptOut,
  Paged,
  SearchState,
} from "./types.ts";

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether text has a UUID's shape (conversation ids are UUID-shaped hashes, not RFC UUIDs). */
export function isUuid(text: string): boolean {
  return UUID_RE.test(text);
}

/** The first page of the conversation list, newest activity first, optionally filtered. */
export async function firstConversations(
  sql: Tx,
  options: { limit: number; q?: string; channel?: Channel },
): Promise<Paged<Conversation>> {
  const page = await listConversations(sql, options);
  return { items: page.conversations, next_cursor: page.next_cursor };
}

/** One conversation by id, or null. */
export async function conversationById(sql: Tx, id: string): Promise<Conversation | null> {
  if (!isUuid(id)) return null;
  try {
    return await getConversation(sql, id);
  } catch (e) {
    if (e instanceof NotFoundError) return null;
    throw e;
  }
}

/** The newest page of a conversation's messages, oldest first, with the cursor for older ones. */
export async function newestMessages(
  sql: Tx,
  conversation: string,
  limit: number,
): Promise<Paged<Message>> {
  const page = await listMessages(sql, conversation, { limit });
  return { items: page.messages, next_cursor: page.next_cursor };
}

/** The newest page of a conversation's emails, oldest first, with the cursor for older ones. */
export async function newestEmails(
  sql: Tx,
  conversation: string,
  limit: number,
): Promise<Paged<Email>> {
  const page = await listEmails(sql, conversation, { limit });
  // The email schema types status as any string; the table's check constraint narrows it.
  return { items: page.emails as Email[], next_cursor: page.next_cursor };
}

/** The newest event id: the browser's stream starts after it, so nothing between is missed. */
export async function latestEventId(sql: Tx): Promise<string> {
  const [row] = await sql`select coalesce(max(id), 0)::text as id from events`;
  return row.id as string;
}

/** The opt-out of an SMS conversation's recipient, in the API's shape, or null. */
export async function optOutFor(sql: Tx, conv: Conversation): Promise<OptOut | null> {
  if (conv.channel !== "sms") return null;
  const out = await optOutOf(sql, conv.participants[0], conv.participants[1]);
  return out ? { keyword: out.keyword, opted_out_at: out.opted_out_at.toISOString() } : null;
}

/** The first page of messages and emails containing the filter text, cut for the result list. */
export async function searchHits(sql: Tx, q: string): Promise<SearchState | null> {
  if (!q.trim()) return null;
  try {
    const page = await search(sql, { q, limit: SEARCH_PAGE });
    return {
      q: q.trim(),
      hits: (page.results as Item[]).map((r) => toHit(r, q)),
      cursor: page.next_cursor,
      loading: false,
      error: null,
    };
  } catch (e) {
    // Text the search cannot take (too long, say) leaves the list filter to work alone.
    if (e instanceof HatchError) return null;
    throw e;
  }
}
