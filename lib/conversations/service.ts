import type { Fragment, Tx } from "@/lib/db/connect.ts";
import { decodeCursor, encodeCursor } from "@/lib/db/cursor.ts";
import { BadRequestError, NotFoundError } from "@/lib/errors.ts";
import { phoneShape } from "@/lib/shared/address.ts";
import { readPhone } from "@/lib/shared/phone.ts";
import type { Conversation, ConversationView } from "./schemas.ts";

type Channel = Conversation["channel"];

/** One new message's effect on its conversation. */
export interface ConversationTouch {
  id: string;
  channel: Channel;
  /** Our address first, then the customer's. */
  participants: [string, string];
  preview: string;
  direction: "inbound" | "outbound";
  subject?: string;
  /** The user who sent an outbound message (null for the command line, or inbound). */
  senderId?: string | null;
  /** The user sending, who is assigned an unassigned conversation when the team wants that. */
  assignTo?: string;
}

/** What a conversation's list row shows of its newest message. */
export function previewOf(text: string): string {
  return text.slice(0, 160);
}

/** Creates the conversation or records a new message in it; call in the message's transaction. */
export async function touchConversation(sql: Tx, t: ConversationTouch): Promise<void> {
  const assignee = t.assignTo
    ? sql`(select ${t.assignTo}::uuid from team_settings where auto_assign)`
    : sql`null::uuid`;
  await conversationsUpsert(
    sql,
    t.direction,
    sql`select ${t.id}::uuid as id, ${t.channel}::text as channel,
      ${t.participants}::text[] as participants, ${t.subject ?? null}::text as subject,
      ${previewOf(t.preview)}::text as preview, 1 as messages,
      ${t.senderId ?? null}::uuid as sender_id, ${assignee} as assignee,
      ${t.assignTo ?? null}::uuid as changed_by`,
  );
}

/**
 * The conversations' upsert for `rows` (one per conversation: `id, channel, participants,
 * subject, preview, messages, sender_id, assignee, changed_by`), each recording `messages` new
 * messages. Rows are locked in id order, so statements that touch several never deadlock.
 */
export function conversationsUpsert(
  sql: Tx,
  direction: ConversationTouch["direction"],
  rows: Fragment,
) {
  const inbound = direction === "inbound";
  const unread = inbound ? sql`r.messages` : sql`0`;
  return sql`
    insert into conversations (id, channel, participants, subject, last_message_at,
      last_message_preview, last_direction, message_count, unread_count, inbound_count,
      assignee_id, changed_by, change_cause, last_sender_id)
    select r.id, r.channel, r.participants, r.subject, now(), r.preview, ${direction},
      r.messages, ${unread}, ${unread}, r.assignee, r.changed_by, 'auto', r.sender_id
    from (${rows}) r order by r.id
    on conflict (id) do update set
      last_message_at = greatest(conversations.last_message_at, now()),
      last_message_preview = excluded.last_message_preview,
      last_direction = excluded.last_direction,
      last_sender_id = excluded.last_sender_id,
      subject = coalesce(conversations.subject, excluded.subject),
      message_count = conversations.message_count + excluded.message_count,
      unread_count = conversations.unread_count + excluded.unread_count,
      inbound_count = conversations.inbound_count + excluded.inbound_count${
    inbound
      // The customer wrote: a closed or snoozed conversation is open again.
      ? sql`,
      state = 'open', snoozed_until = null, changed_by = null,
      change_cause = case when conversations.state = 'open' then conversations.change_cause
                          else 'reply' end`
      // A sender is assigned an unassigned conversation when the team wants that (assignee).
      : sql`,
      assignee_id = coalesce(conversations.assignee_id, excluded.assignee_id),
      changed_by = case when conversations.assignee_id is null and excluded.assignee_id is not null
                        then excluded.changed_by else conversations.changed_by end,
      change_cause = case when conversations.assignee_id is null and excluded.assignee_id is not null
                          then 'auto' else conversations.change_cause end`
  }`;
}

// deno-lint-ignore no-explicit-any -- a row of conversationSelect, shaped by toConversation
type Row = Record<string, any>;

/**
 * Conversations with their contact: the one holding the customer's address (participants[2]).
 * The lateral lookups are primary-key probes made only for the rows a page returns, so the
 * list still walks conversations_recent_idx and stops at the page's end.
 */
function conversationSelect(sql: Tx, userId?: string) {
  return sql`
    select c.*, k.id as linked_contact_id, k.name as linked_contact_name,
      hatch_sender_name(c.last_sender_id, null) as last_sender_name,
      case when c.channel = 'email'
        then (select status from emails e where e.conversation_id = c.id
              order by e.created_at desc, e.id desc limit 1)
        else (select status from messages m where m.conversation_id = c.id
              order by m.created_at desc, m.id desc limit 1)
      end as last_status,
      greatest(c.inbound_count - coalesce(r.read_inbound, 0), 0) as my_unread,
      to_char(c.last_message_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as cursor_at
    from conversations c
    left join lateral (
      select contact_id from contact_phones where phone = c.participants[2]
      union all
      select contact_id from contact_emails where email = c.participants[2]
      limit 1
    ) a on true
    left join contacts k on k.id = a.contact_id
    left join conversation_reads r on r.conversation_id = c.id and r.user_id = ${userId ?? null}`;
}

function toConversation(r: Row): Conversation {
  return {
    id: r.id,
    conversation_id: r.id,
    channel: r.channel,
    participants: r.participants,
    contact: r.participants[1],
    contact_id: r.linked_contact_id ?? null,
    contact_name: r.linked_contact_name ?? (r.channel === "chat" ? r.participants[1] : null),
    subject: r.subject,
    last_message: r.last_message_preview,
    last_message_time: new Date(r.last_message_at).toISOString(),
    last_direction: r.last_direction,
    last_sender: r.last_sender_id
      ? { user_id: r.last_sender_id, name: r.last_sender_name ?? "" }
      : null,
    message_count: r.message_count,
    unread_count: r.my_unread,
    last_failed: r.last_status === "failed" || r.last_status === "undelivered",
    state: r.state,
    snoozed_until: r.snoozed_until ? new Date(r.snoozed_until).toISOString() : null,
    assignee_id: r.assignee_id,
    label_ids: r.label_ids ?? [],
  };
}

/** A page of conversations, newest activity first, keyset-paged by `before`. */
export async function listConversations(
  sql: Tx,
  options: {
    limit: number;
    before?: string;
    q?: string;
    channel?: Channel;
    /** Reads a whole number in `q` as people write it (national numbers in this country). */
    country?: string;
    view?: ConversationView;
    label?: string;
    /** Who asks: their unread counts, and `mine`. */
    userId?: string;
  },
): Promise<{ conversations: Conversation[]; next_cursor: string | null }> {
  const cursor = options.before ? decodeCursor(options.before) : undefined;
  const like = options.q ? `%${options.q.replace(/[\\%_]/g, "\\$&")}%` : undefined;
  const number = numberFilter(options.q, options.country);
  const rows = await sql`
    ${conversationSelect(sql, options.userId)}
    where ${viewFilter(sql, options.view ?? "all", options.userId)}
      ${options.label ? sql`and c.label_ids @> array[${options.label}::uuid]` : sql``}
      ${
    cursor
      ? sql`and (c.last_message_at, c.id) < (${cursor.at}::text::timestamptz, ${cursor.id}::uuid)`
      : sql``
  }
      ${options.channel ? sql`and c.channel = ${options.channel}` : sql``}
      ${
    like
      // Contact names match through the addresses of the contacts so named (one hashed set):
      // testing k.name would join a contact to every conversation before the filter.
      ? sql`and (c.participants[2] ilike ${like} or c.last_message_preview ilike ${like}
               ${
        number
          ? sql`or c.participants[2] like ${`%${number.digits}%`}
                or c.participants[2] = ${number.e164 ?? ""}`
          : sql``
      }
               or coalesce(c.subject, '') ilike ${like}
               or c.participants[2] in (
                 select p.phone from contacts n join contact_phones p on p.contact_id = n.id
                 where n.name ilike ${like}
                 union all
                 select e.email from contacts n join contact_emails e on e.contact_id = n.id
                 where n.name ilike ${like}))`
      : sql``
  }
    order by c.last_message_at desc, c.id desc
    limit ${options.limit + 1}`;
  const page = rows.slice(0, options.limit).map(toConversation);
  // The cursor keeps the microseconds (and goes back as text: the driver would pass a
  // timestamptz parameter through a JS Date), else rows sharing the boundary's millisecond
  // would be skipped.
  const last = rows.length > options.limit ? rows[options.limit - 1] : undefined;
  return {
    conversations: page,
    next_cursor: last ? encodeCursor(last.cursor_at, last.id) : null,
  };
}

/**
 * The list rows of the conversations `ids` (those that exist), as the conversation list shapes
 * them: the event hub sends them with each conversation event, so open tabs move a row with no
 * request, and a field added to the list's row reaches them too. Shared by every tab, so no
 * one's unread count: `unread_count` is the conversation's inbound count, which tabs ignore.
 */
export async function conversationSummaries(
  sql: Tx,
  ids: readonly string[],
): Promise<Conversation[]> {
  if (!ids.length) return [];
  const rows = await sql`${conversationSelect(sql)} where c.id = any(${[...ids]}::uuid[])`;
  return rows.map(toConversation);
}

/**
 * A number as the list shows it (`555-1050`, `(415) 555-1050`) matches the E.164 form stored:
 * its digits in order, or the whole number it reads as. Null for text that is no number.
 */
export function numberFilter(
  q: string | undefined,
  country: string | undefined,
): { digits: string; e164: string | null } | null {
  if (!q || phoneShape(q) !== "digits") return null;
  const digits = q.replace(/\D/g, "");
  if (digits.length < 3) return null;
  const read = country ? readPhone(q, country) : null;
  return { digits, e164: read?.kind === "phone" ? read.e164 : null };
}

// Each view's condition matches an index's leading columns (conversations_state_idx,
// conversations_assignee_idx), so its pages walk that index in order.
function viewFilter(sql: Tx, view: ConversationView, userId?: string) {
  switch (view) {
    case "mine":
      if (!userId) throw new BadRequestError(`The view "mine" needs a signed-in user`);
      return sql`c.state = 'open' and c.assignee_id = ${userId}`;
    case "unassigned":
      return sql`c.state = 'open' and c.assignee_id is null`;
    case "open":
    case "snoozed":
    case "closed":
      return sql`c.state = ${view}`;
    default:
      return sql`true`;
  }
}

/** One conversation (with `userId`'s unread count), or a 404 naming it. */
export async function getConversation(
  sql: Tx,
  id: string,
  userId?: string,
): Promise<Conversation> {
  const [row] = await sql`${conversationSelect(sql, userId)} where c.id = ${id}`;
  if (!row) throw new NotFoundError(`Conversation "${id}" not found`);
  return toConversation(row);
}

/**
 * Marks a conversation read for one user: their position becomes its inbound count. One row per
 * user and conversation, written when they read, so an inbound message writes nothing per user.
 */
export async function markConversationRead(sql: Tx, id: string, userId: string): Promise<void> {
  const rows = await sql`
    insert into conversation_reads (user_id, conversation_id, read_inbound)
    select ${userId}, id, inbound_count from conversations where id = ${id}
    on conflict (user_id, conversation_id) do update set
      read_inbound = greatest(conversation_reads.read_inbound, excluded.read_inbound),
      read_at = now()
    returning conversation_id`;
  if (!rows.length) throw new NotFoundError(`Conversation "${id}" not found`);
}
