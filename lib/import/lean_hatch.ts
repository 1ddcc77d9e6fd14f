// `hatch import lean-hatch <url>`: copies a lean_hatch database (the seed's prototype) into
// Hatch, batch by batch. Rows keep their ids, so a re-run finds them there and adds nothing;
// conversations keep the prototype's ids (computed as it did when a row has none).
import { connect, type Sql, type Tx } from "@/lib/db/connect.ts";
import { audit } from "@/lib/auth/audit.ts";
import { BadRequestError } from "@/lib/errors.ts";
import {
  mapEmail,
  mapMessage,
  type Mapped,
  type SourceEmail,
  type SourceMessage,
  type TargetEmail,
  type TargetMessage,
} from "./lean_hatch_rows.ts";

const BATCH = 500;

/** Counts for one table. */
export interface TableCounts {
  read: number;
  imported: number;
  /** Rows whose id Hatch already has (an earlier run). */
  alreadyThere: number;
  skipped: number;
}

/** What an import did: per table, the reasons rows were skipped and how others were read. */
export interface ImportSummary {
  messages: TableCounts;
  emails: TableCounts;
  /** Conversations created or brought up to date. */
  conversations: number;
  /** Reason → how many rows, and a few of their ids. */
  skipped: Map<string, { count: number; ids: string[] }>;
  /** How odd values were read → how many rows. */
  notes: Map<string, number>;
  /** Tables of the prototype that were not copied, and why. */
  leftOut: string[];
}

/** Options of an import. */
export interface ImportOptions {
  /** How the prototype's naive timestamps are read (an IANA zone; default UTC). */
  timezone?: string;
  /** Called after each batch with rows done and rows in all. */
  onProgress?: (done: number, total: number) => void;
}

const counts = (): TableCounts => ({ read: 0, imported: 0, alreadyThere: 0, skipped: 0 });

const MESSAGE_COLUMNS = `id::text, to_contact, from_contact, body, type, "timestamp"::text as ts,
  status, conversation_id::text, external_sid, direction, error_code::text, error_message,
  num_media, num_segments, price, price_unit, date_sent::text, date_updated::text`;
const EMAIL_COLUMNS = `id::text, to_contact, from_contact, subject, body, html_content,
  "timestamp"::text as ts, status, conversation_id::text, direction, cc, bcc, reply_to,
  attachments, external_message_id, provider, provider_response, date_sent::text,
  date_updated::text, error_code::text, error_message`;

// A stored time naming no offset (the prototype's naive DateTime) is read in `zone`.
function at(sql: Tx, column: string, zone: string) {
  return sql.unsafe(
    `case when r.${column} ~ '([+-]\\d\\d(:?\\d\\d)?|Z)$' then r.${column}::timestamptz
      else coalesce((r.${column}::timestamp at time zone '${zone}'), now()) end`,
  );
}

async function tableExists(source: Sql, table: string): Promise<boolean> {
  const [row] = await source`select to_regclass(${`public.${table}`}) is not null as ok`;
  return row.ok;
}

// The conversations the rows need, before the rows (a foreign key); counts come after.
async function ensureConversations<T extends TargetMessage | TargetEmail>(
  tx: Tx,
  rows: T[],
  channelOf: (r: T) => string,
  subjectOf: (r: T) => string | null,
): Promise<void> {
  const list = rows.map((r) => ({
    id: r.conversation_id,
    channel: channelOf(r),
    participants: r.participants,
    subject: subjectOf(r),
  }));
  await tx`
    insert into conversations (id, channel, participants, subject, message_count)
    select distinct on (c.id) c.id, c.channel, array[c.participants ->> 0, c.participants ->> 1],
      c.subject, 0
    from jsonb_to_recordset(${tx.json(list)}::jsonb)
      as c(id uuid, channel text, participants jsonb, subject text)
    on conflict (id) do nothing`;
}

async function insertMessages(tx: Tx, rows: TargetMessage[], zone: string): Promise<string[]> {
  const inserted = await tx`
    insert into messages (id, conversation_id, channel, direction, from_contact, to_contact, body,
      status, provider, provider_message_id, error_code, error_message, provider_response,
      created_at, updated_at)
    select r.id, r.conversation_id, r.channel, r.direction, r.from_contact, r.to_contact, r.body,
      r.status, r.provider, r.provider_message_id, r.error_code, r.error_message,
      r.provider_response, ${at(tx, "created_at", zone)}, ${at(tx, "updated_at", zone)}
    from jsonb_to_recordset(${tx.json(rows)}::jsonb) as r(id uuid, conversation_id uuid,
      channel text, direction text, from_contact text, to_contact text, body text, status text,
      provider text, provider_message_id text, error_code text, error_message text,
      provider_response jsonb, created_at text, updated_at text)
    on conflict do nothing
    returning id::text`;
  return inserted.map((r) => r.id as string);
}

async function insertEmails(tx: Tx, rows: TargetEmail[], zone: string): Promise<string[]> {
  const inserted = await tx`
    insert into emails (id, conversation_id, direction, from_email, to_email, cc, bcc, reply_to,
      subject, body, html_content, status, provider, provider_message_id, error_code,
      error_message, provider_response, created_at, updated_at)
    select r.id, r.conversation_id, r.direction, r.from_email, r.to_email, r.cc, r.bcc,
      r.reply_to, r.subject, r.body, r.html_content, r.status, r.provider,
      r.provider_message_id, r.error_code, r.error_message, r.provider_response,
      ${at(tx, "created_at", zone)}, ${at(tx, "updated_at", zone)}
    from jsonb_to_recordset(${tx.json(rows)}::jsonb) as r(id uuid, conversation_id uuid,
      direction text, from_email text, to_email text, cc text, bcc text, reply_to text,
      subject text, body text, html_content text, status text, provider text,
      provider_message_id text, error_code text, error_message text, provider_response jsonb,
      created_at text, updated_at text)
    on conflict do nothing
    returning id::text`;
  return inserted.map((r) => r.id as string);
}

// Counts, last message and preview from the rows themselves, so a re-run changes nothing.
async function recount(sql: Sql, ids: string[]): Promise<void> {
  for (let i = 0; i < ids.length; i += BATCH) {
    const batch = ids.slice(i, i + BATCH);
    await sql`
      with m as (
        select conversation_id, created_at, body as preview, direction from messages
          where conversation_id = any(${batch}::uuid[])
        union all
        select conversation_id, created_at, subject || ' — ' || body, direction from emails
          where conversation_id = any(${batch}::uuid[])
      ), agg as (
        select conversation_id, count(*)::int as n, max(created_at) as last,
          min(created_at) as first
        from m group by conversation_id
      ), latest as (
        select distinct on (conversation_id) conversation_id, preview, direction
        from m order by conversation_id, created_at desc
      )
      update conversations c set message_count = agg.n, last_message_at = agg.last,
        created_at = least(c.created_at, agg.first),
        last_message_preview = left(latest.preview, 160), last_direction = latest.direction
      from agg join latest using (conversation_id)
      where c.id = agg.conversation_id`;
  }
}

function remember(map: ImportSummary["skipped"], reason: string, id: string): void {
  const entry = map.get(reason) ?? { count: 0, ids: [] };
  entry.count++;
  if (entry.ids.length < 3) entry.ids.push(id);
  map.set(reason, entry);
}

/** One table's copy: read in id order, map, insert each batch in a transaction. */
async function copyTable<S extends { id: string }, T extends TargetMessage | TargetEmail>(
  sql: Sql,
  source: Sql,
  o: {
    table: "messages" | "emails";
    columns: string;
    map: (row: S) => Mapped<T>;
    insert: (tx: Tx, rows: T[]) => Promise<string[]>;
    channelOf: (r: T) => string;
    subjectOf: (r: T) => string | null;
    summary: ImportSummary;
    touched: Set<string>;
    progress: () => void;
  },
): Promise<void> {
  const c = o.summary[o.table];
  let after = "00000000-0000-0000-0000-000000000000";
  for (;;) {
    const batch = await source.unsafe(
      `select ${o.columns} from ${o.table} where id > $1::uuid order by id limit ${BATCH}`,
      [after],
    ) as unknown as S[];
    if (!batch.length) return;
    after = batch[batch.length - 1].id;
    c.read += batch.length;
    const rows: T[] = [];
    for (const raw of batch) {
      const mapped = o.map(raw);
      if ("skip" in mapped) {
        c.skipped++;
        remember(o.summary.skipped, `${o.table}: ${mapped.skip}`, raw.id);
        continue;
      }
      rows.push(mapped.row);
      for (const note of mapped.notes) {
        const key = `${o.table}: ${note}`;
        o.summary.notes.set(key, (o.summary.notes.get(key) ?? 0) + 1);
      }
    }
    await sql.begin(async (tx) => {
      const ids = rows.map((r) => r.id);
      const known = new Set(
        (await tx`select id::text from ${tx(o.table)} where id = any(${ids}::uuid[])`)
          .map((r) => r.id as string),
      );
      const fresh = rows.filter((r) => !known.has(r.id));
      c.alreadyThere += known.size;
      if (!fresh.length) return;
      await ensureConversations(tx, fresh, o.channelOf, o.subjectOf);
      const inserted = new Set(await o.insert(tx, fresh));
      for (const r of fresh) {
        if (inserted.has(r.id)) {
          c.imported++;
          o.touched.add(r.conversation_id);
        } else {
          c.skipped++;
          remember(
            o.summary.skipped,
            `${o.table}: provider id "${r.provider_message_id}" already on another row`,
            r.id,
          );
        }
      }
    });
    o.progress();
  }
}

/** Copies a lean_hatch database at `sourceUrl` into Hatch's; see ImportSummary. */
export async function importLeanHatch(
  sql: Sql,
  sourceUrl: string,
  options: ImportOptions = {},
): Promise<ImportSummary> {
  const zone = options.timezone ?? "UTC";
  const [valid] = await sql`select count(*)::int as n from pg_timezone_names where name = ${zone}`;
  if (!valid.n) throw new BadRequestError(`Unknown time zone "${zone}": give an IANA name`);
  const source = connect(sourceUrl, { max: 1, statementTimeoutMs: 60_000 });
  const summary: ImportSummary = {
    messages: counts(),
    emails: counts(),
    conversations: 0,
    skipped: new Map(),
    notes: new Map(),
    leftOut: [],
  };
  try {
    if (!await tableExists(source, "messages")) {
      throw new BadRequestError(`No lean_hatch "messages" table in the database at ${sourceUrl}`);
    }
    const hasEmails = await tableExists(source, "emails");
    const [{ total }] = await source.unsafe(
      `select (select count(*) from messages)${
        hasEmails ? " + (select count(*) from emails)" : ""
      } as total`,
    );
    const progress = () =>
      options.onProgress?.(summary.messages.read + summary.emails.read, Number(total));
    const touched = new Set<string>();
    await copyTable<SourceMessage, TargetMessage>(sql, source, {
      table: "messages",
      columns: MESSAGE_COLUMNS,
      map: mapMessage,
      insert: (tx, rows) => insertMessages(tx, rows, zone),
      channelOf: (r) => (r as TargetMessage).channel,
      subjectOf: () => null,
      summary,
      touched,
      progress,
    });
    if (hasEmails) {
      await copyTable<SourceEmail, TargetEmail>(sql, source, {
        table: "emails",
        columns: EMAIL_COLUMNS,
        map: mapEmail,
        insert: (tx, rows) => insertEmails(tx, rows, zone),
        channelOf: () => "email",
        subjectOf: (r) => (r as TargetEmail).subject,
        summary,
        touched,
        progress,
      });
    } else summary.leftOut.push("emails: no such table (a lean_hatch from before email)");
    if (await tableExists(source, "users")) {
      summary.leftOut.push(
        "users: lean_hatch kept no passwords; create them with `hatch user create`",
      );
    }
    await recount(sql, [...touched]);
    summary.conversations = touched.size;
    await audit(sql, { label: "cli" }, "import.lean_hatch", {
      target: new URL(sourceUrl).pathname.slice(1) || undefined,
      detail: {
        messages: summary.messages,
        emails: summary.emails,
        conversations: summary.conversations,
        skipped: Object.fromEntries([...summary.skipped].map(([k, v]) => [k, v.count])),
      },
    });
    return summary;
  } finally {
    await source.end();
  }
}
