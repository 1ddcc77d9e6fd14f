import type { Tx } from "@/lib/db/connect.ts";
import { decodeCursor, encodeCursor } from "@/lib/db/cursor.ts";
import { BadRequestError, NotFoundError } from "@/lib/errors.ts";
import { toMessage } from "@/lib/messages/service.ts";
import { toEmail } from "@/lib/emails/service.ts";
import type { TimelineItem } from "@/lib/contacts/schemas.ts";
import { isDay, type SearchQuery } from "./schemas.ts";

/** What narrows a mixed list of messages and emails; every field is optional but the page. */
export interface ItemFilters {
  /** Words to match (websearch syntax); none lists everything that passes the other filters. */
  q?: string;
  channel?: "sms" | "chat" | "email";
  direction?: "inbound" | "outbound";
  status?: string;
  contactId?: string;
  /** Inclusive lower bound, an ISO instant. */
  since?: string;
  /** Exclusive upper bound, an ISO instant. */
  until?: string;
  limit: number;
  before?: string;
}

// deno-lint-ignore no-explicit-any -- raw rows of the two selects below, shaped by toMessage/toEmail
type Row = Record<string, any>;

// Timestamps leave the database as text with all six fractional digits, and cursors go back as
// text (the driver passes timestamptz parameters through a JS Date): a cursor cut to the
// millisecond would skip rows that share the page boundary's millisecond.
const AT = `to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
const SENDER = "hatch_sender_name(sent_by_user_id, sent_by_token_id)";

const MESSAGE_COLUMNS = [
  "id",
  "conversation_id",
  "channel",
  "direction",
  "from_contact",
  "to_contact",
  "body",
  "media",
  "status",
  "error_code",
  "error_message",
  "sent_by_user_id",
  "sent_by_token_id",
  "created_at",
  "updated_at",
];
const EMAIL_COLUMNS = [
  "id",
  "conversation_id",
  "direction",
  "from_email",
  "to_email",
  "cc",
  "bcc",
  "reply_to",
  "subject",
  "body",
  "html_content",
  "attachments",
  "status",
  "error_code",
  "error_message",
  "sent_by_user_id",
  "sent_by_token_id",
  "created_at",
  "updated_at",
];

/**
 * Reads `q` as websearch_to_tsquery does, and lets its last bare word match as a prefix too, so
 * a filter box finds "invoice" while the user is still typing "invo". The prefix term goes to
 * to_tsquery only when it is letters and digits alone, so it can carry no tsquery syntax.
 */
function tsQuery(sql: Tx, q: string) {
  const text = q.trim();
  const last = /(^|\s)([\p{L}\p{N}]+)$/u.exec(text);
  const openQuote = (text.match(/"/g) ?? []).length % 2 === 1;
  const rest = last ? text.slice(0, last.index + last[1].length) : "";
  if (!last || openQuote || /^or$/i.test(last[2]) || /(^|\s)or\s*$/i.test(rest)) {
    return sql`websearch_to_tsquery('simple', ${text})`;
  }
  const prefix = `${last[2]}:*`;
  return sql`(websearch_to_tsquery('simple', ${rest}) && to_tsquery('simple', ${prefix}))`;
}

function conditions(sql: Tx, f: ItemFilters, channel: boolean) {
  const cursor = f.before ? decodeCursor(f.before) : undefined;
  const list = [sql`true`];
  if (f.q !== undefined) list.push(sql`search @@ ${tsQuery(sql, f.q)}`);
  if (channel && f.channel) list.push(sql`channel = ${f.channel}`);
  if (f.direction) list.push(sql`direction = ${f.direction}`);
  if (f.status) list.push(sql`status = ${f.status}`);
  if (f.since) list.push(sql`created_at >= ${f.since}::timestamptz`);
  if (f.until) list.push(sql`created_at < ${f.until}::timestamptz`);
  if (cursor) {
    list.push(sql`(created_at, id) < (${cursor.at}::text::timestamptz, ${cursor.id}::uuid)`);
  }
  if (f.contactId) {
    // A contact's conversations are those whose customer address is one of its addresses.
    list.push(sql`conversation_id in (
      select c.id from conversations c where c.participants[2] in (
        select phone from contact_phones where contact_id = ${f.contactId}
        union all
        select email from contact_emails where contact_id = ${f.contactId}))`);
  }
  return list.reduce((all, one) => sql`${all} and ${one}`);
}

/** Messages and emails passing `f`, newest first, keyset-paged, each tagged with its kind. */
export async function findItems(
  sql: Tx,
  f: ItemFilters,
): Promise<{ items: TimelineItem[]; next_cursor: string | null }> {
  const take = f.limit + 1;
  // Each table gives its own newest `limit + 1`; together they hold the overall newest ones.
  const [messages, emails] = await Promise.all([
    f.channel === "email" ? [] : sql`
      select ${sql(MESSAGE_COLUMNS)}, ${sql.unsafe(AT)} as at, ${sql.unsafe(SENDER)} as sender_name
      from messages
      where ${conditions(sql, f, true)}
      order by created_at desc, id desc limit ${take}`,
    f.channel && f.channel !== "email" ? [] : sql`
      select ${sql(EMAIL_COLUMNS)}, ${sql.unsafe(AT)} as at, ${sql.unsafe(SENDER)} as sender_name
      from emails
      where ${conditions(sql, f, false)}
      order by created_at desc, id desc limit ${take}`,
  ]);
  const rows: { kind: "message" | "email"; row: Row }[] = [
    ...messages.map((row) => ({ kind: "message" as const, row })),
    ...emails.map((row) => ({ kind: "email" as const, row })),
  ];
  // Same order as the SQL: fixed-width UTC text sorts as time does, lowercase uuids as uuids do.
  rows.sort((a, b) =>
    a.row.at === b.row.at ? (a.row.id < b.row.id ? 1 : -1) : (a.row.at < b.row.at ? 1 : -1)
  );
  const page = rows.slice(0, f.limit);
  const last = rows.length > f.limit ? page[page.length - 1].row : undefined;
  return {
    items: page.map(({ kind, row }) =>
      kind === "message" ? { kind, ...toMessage(row) } : { kind, ...toEmail(row) }
    ),
    next_cursor: last ? encodeCursor(last.at, last.id) : null,
  };
}

/** Full-text search over message bodies and email subjects and bodies, with filters. */
export async function search(
  sql: Tx,
  query: SearchQuery,
): Promise<{ results: TimelineItem[]; next_cursor: string | null }> {
  if (!query.q.trim()) throw new BadRequestError("q is empty: give words to search for");
  if (query.contact_id) {
    const [known] = await sql`select 1 from contacts where id = ${query.contact_id}`;
    if (!known) throw new NotFoundError(`Contact "${query.contact_id}" not found`);
  }
  const since = query.since ? new Date(query.since).toISOString() : undefined;
  // A day given as `until` means through the end of that day.
  const until = query.until
    ? new Date(Date.parse(query.until) + (isDay(query.until) ? 86_400_000 : 0)).toISOString()
    : undefined;
  if (since && until && since >= until) {
    throw new BadRequestError(`until "${query.until}" is not after since "${query.since}"`);
  }
  const page = await findItems(sql, {
    q: query.q,
    channel: query.channel,
    direction: query.direction,
    status: query.status,
    contactId: query.contact_id,
    since,
    until,
    limit: query.limit,
    before: query.before,
  });
  return { results: page.items, next_cursor: page.next_cursor };
}
