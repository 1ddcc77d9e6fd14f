// What the server's page loaders share: reading ids and filter text from the address, the event
// id a page's live stream starts after, and who is signed in as the islands need it.
import type { Tx } from "@/lib/db/connect.ts";
import { NotFoundError } from "@/lib/errors.ts";
import { getConversation } from "@/lib/conversations/service.ts";
import type { Conversation } from "@/lib/shared/types.ts";

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether text has a UUID's shape (conversation ids are UUID-shaped hashes, not RFC UUIDs). */
export function isUuid(text: string): boolean {
  return UUID_RE.test(text);
}

/** A list's filter text from the address, as PostgreSQL can take it (no NUL), at most 200 characters. */
export function filterText(text: string): string {
  // PostgreSQL text cannot hold NUL: the filter searches for the rest.
  return text.slice(0, 200).replaceAll("\u0000", "");
}

/** One conversation by id, or null. */
export async function conversationById(
  sql: Tx,
  id: string,
  userId?: string,
): Promise<Conversation | null> {
  if (!isUuid(id)) return null;
  try {
    return await getConversation(sql, id, userId);
  } catch (e) {
    if (e instanceof NotFoundError) return null;
    throw e;
  }
}

/**
 * The newest final event's id (lib/realtime/event_log.ts): the browser's stream resumes after
 * it, so nothing the page does not show is missed (an event it already shows may come again).
 */
export async function latestEventId(sql: Tx): Promise<string> {
  const [row] = await sql`
    select coalesce((select id from events
      where xid < hatch_event_horizon()
      order by xid desc, id desc limit 1), 0)::text as id`;
  return row.id as string;
}

/**
 * Who is signed in, as the auth gate put it on the request; read loosely so pages also render
 * where no gate runs (tests that build the app without one).
 */
export type PagePrincipal =
  | { userId?: string; email?: string; role?: string; csrfToken?: string | null }
  | undefined;

/** The session's CSRF token and the sidebar's user, from the request's principal. */
export function viewer(principal: PagePrincipal): {
  csrfToken: string | null;
  user: { email: string; role: string } | null;
} {
  return {
    csrfToken: principal?.csrfToken ?? null,
    user: principal?.email ? { email: principal.email, role: principal.role ?? "agent" } : null,
  };
}
