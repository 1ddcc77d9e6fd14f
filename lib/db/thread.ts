import type { Fragment, Tx } from "./connect.ts";
import { decodeCursor, encodeCursor } from "./cursor.ts";
import { NotFoundError } from "@/lib/errors.ts";

/** The two tables whose rows make up threads and carry delivery statuses. */
export type ThreadTable = "messages" | "emails";

// deno-lint-ignore no-explicit-any -- raw rows; each caller shapes them
type Row = Record<string, any>;

/** The newest rows of a conversation before `before`, oldest first, with the next cursor. */
export async function threadPage(
  sql: Tx,
  table: ThreadTable,
  conversation: string,
  options: { limit: number; before?: string },
): Promise<{ rows: Row[]; next_cursor: string | null }> {
  const cursor = options.before ? decodeCursor(options.before) : undefined;
  const [exists] = await sql`select 1 from conversations where id = ${conversation}`;
  if (!exists) throw new NotFoundError(`Conversation "${conversation}" not found`);
  const rows = await sql`
    select *, hatch_sender_name(sent_by_user_id, sent_by_token_id) as sender_name,
      to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as cursor_at
    from ${sql(table)} where conversation_id = ${conversation}
      ${
    cursor
      ? sql`and (created_at, id) < (${cursor.at}::text::timestamptz, ${cursor.id}::uuid)`
      : sql``
  }
    order by created_at desc, id desc
    limit ${options.limit + 1}`;
  const page = rows.slice(0, options.limit);
  const oldest = rows.length > options.limit ? page[page.length - 1] : undefined;
  return {
    rows: page.reverse(),
    // Microseconds kept, and sent back as text: a Date would round them to milliseconds and
    // skip rows that share the boundary's millisecond.
    next_cursor: oldest ? encodeCursor(oldest.cursor_at, oldest.id) : null,
  };
}

/** What a provider reported about a message or an email. */
export interface StatusUpdate {
  status: string;
  providerMessageId?: string;
  errorCode?: string | null;
  errorMessage?: string | null;
  response?: unknown;
  /** Delivery attempts made so far (kept when smaller than what the row has). */
  attempts?: number;
}

/** Moves a row's status forward (never back); returns whether anything changed. */
export async function applyStatus(
  sql: Tx,
  table: ThreadTable,
  id: string,
  update: StatusUpdate,
): Promise<boolean> {
  return (await applyStatuses(sql, table, [{ id, update }])).size > 0;
}

/**
 * Moves many rows' statuses forward in one statement (a worker's batch of outcomes: one commit
 * for all of them); returns the ids that changed.
 */
export async function applyStatuses(
  sql: Tx,
  table: ThreadTable,
  changes: { id: string; update: StatusUpdate }[],
): Promise<Set<string>> {
  if (!changes.length) return new Set();
  const rows = await sql`with ${statusChanges(sql, table, changes, "changed")}
    select id from changed`;
  return new Set(rows.map((r) => r.id as string));
}

/**
 * The `with` items of a status change, for a statement that does more in the same round trip:
 * `name` holds the ids that changed with their new status (`name_values` and `name_locked` are
 * its steps). `changes` is not empty.
 */
export function statusChanges(
  sql: Tx,
  table: ThreadTable,
  changes: { id: string; update: StatusUpdate }[],
  name: string,
): Fragment {
  const values = changes.map(({ id, update }, n) => ({
    n,
    id,
    status: update.status,
    provider_message_id: update.providerMessageId ?? null,
    error_code: update.errorCode ?? null,
    error_message: update.errorMessage ?? null,
    response: update.response ?? null,
    attempts: update.attempts ?? 0,
  }));
  // Rows in id order, locked before they change: two batches sharing rows cannot deadlock. The
  // ids as an array keep the lookups on the primary key.
  const ids = changes.map((c) => c.id);
  const v = sql(`${name}_values`);
  const locked = sql(`${name}_locked`);
  // A row named twice (two reports in one batch) ends as if they came one by one: the first of
  // its furthest statuses (statuses only move forward). An update joined to two rows of values
  // would take either.
  return sql`${v} as (
      select distinct on (id) * from jsonb_to_recordset(${sql.json(values as never)}::jsonb) as
        v(n int, id uuid, status text, provider_message_id text, error_code text,
        error_message text, response jsonb, attempts int)
      order by id, hatch_status_rank(status) desc, n
    ), ${locked} as (
      select id from ${sql(table)} where id = any(${ids}::uuid[]) order by id for update
    ), ${sql(name)} as (
      update ${sql(table)} t set
        status = v.status,
        provider_message_id = coalesce(v.provider_message_id, t.provider_message_id),
        error_code = coalesce(v.error_code, t.error_code),
        error_message = coalesce(v.error_message, t.error_message),
        provider_response = coalesce(v.response, t.provider_response),
        attempts = greatest(t.attempts, v.attempts),
        updated_at = now()
      from ${v} v join ${locked} using (id)
      where t.id = any(${ids}::uuid[]) and t.id = v.id
        and hatch_status_rank(t.status) < hatch_status_rank(v.status)
      returning t.id, t.status)`;
}
