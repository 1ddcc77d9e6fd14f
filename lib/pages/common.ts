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

/** The signed-in user as the islands show them: bubbles say "You" for their own sends. */
export interface Viewer {
  id: string;
  email: string;
  /** The display name; empty when they have not set one. */
  name: string;
  role: string;
}

/** The session's CSRF token and the sidebar's user (with their display name), from the request's principal. */
export async function viewer(sql: Tx, principal: PagePrincipal): Promise<{
  csrfToken: string | null;
  user: Viewer | null;
}> {
  const csrfToken = principal?.csrfToken ?? null;
  if (!principal?.email) return { csrfToken, user: null };
  const [row] = principal.userId
    ? await sql`select name from users where id = ${principal.userId}`
    : [];
  return {
    csrfToken,
    user: {
      id: principal.userId ?? "",
      email: principal.email,
      name: (row?.name as string | undefined) ?? "",
      role: principal.role ?? "agent",
    },
  };
}
