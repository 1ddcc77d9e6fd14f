// Texts from customers arrive as Twilio webhooks, one per message, and Twilio delivers one again
// until it is answered; each stored in a transaction of its own costs a commit and several round
// trips. Texts that arrive while others are being stored are stored together (InboundBatch): one
// statement for all of them, each webhook answered once it has committed.
import type { Sql, Tx } from "@/lib/db/connect.ts";
import { conversationsUpsert, previewOf } from "@/lib/conversations/service.ts";
import { conversationId } from "@/lib/conversations/conversation_id.ts";
import { StoreBatch } from "@/lib/delivery/batcher.ts";
import { logger } from "@/lib/log.ts";
import type { InboundSms } from "@/lib/providers/types.ts";

const log = logger("messages");

/** A text to store, with the keyword it carries (STOP, HELP…) when it is one. */
export interface InboundText extends InboundSms {
  keyword: string | null;
}

/** Where a text is stored: its message's id, and whether this call stored it (not a repeat). */
export interface StoredText {
  id: string;
  fresh: boolean;
}

/**
 * Stores `texts` in one statement: each new one's message and its conversation's new state (one
 * row per conversation, reopened, unread counts up); a text Twilio delivered before (its sid
 * stored already, or earlier in `texts`) is not stored again and answers with the first's id.
 */
export async function storeInboundTexts(sql: Tx, texts: InboundText[]): Promise<StoredText[]> {
  const firstOf = new Map<string, number>();
  const rows = texts.flatMap((t, ord) => {
    const key = keyOf(t);
    if (firstOf.has(key)) return [];
    firstOf.set(key, ord);
    return [{
      ord,
      conversation_id: conversationId(t.to, t.from),
      from_contact: t.from,
      to_contact: t.to,
      body: t.body,
      preview: previewOf(t.body || (t.media?.length ? "(media)" : "")),
      media: t.media ?? [],
      provider: t.provider,
      sid: t.providerMessageId,
      keyword: t.keyword,
    }];
  });
  const found = await sql<{ ord: number; id: string; fresh: boolean }[]>`
    with texts as (
      select * from jsonb_to_recordset(${sql.json(rows)}::jsonb) as t(ord int,
        conversation_id uuid, from_contact text, to_contact text, body text, preview text,
        media jsonb, provider text, sid text, keyword text)
    ), known as materialized (
      select t.ord, m.id from texts t
      join messages m on m.provider = t.provider and m.provider_message_id = t.sid
    ), fresh as materialized (
      -- nth: a conversation's messages in one statement share now(); a microsecond apiece keeps
      -- them in the order they arrived.
      select t.*, row_number() over (partition by t.conversation_id order by t.ord) - 1 as nth
      from texts t where t.ord not in (select ord from known)
    ), conversation as (${
    conversationsUpsert(
      sql,
      "inbound",
      sql`select distinct on (f.conversation_id) f.conversation_id as id, 'sms' as channel,
        array[f.to_contact, f.from_contact] as participants, null::text as subject, f.preview,
        count(*) over (partition by f.conversation_id) as messages, null::uuid as sender_id,
        null::uuid as assignee, null::uuid as changed_by
      from fresh f order by f.conversation_id, f.ord desc`,
    )
  } returning id
    ), message as (
      insert into messages (conversation_id, channel, direction, from_contact, to_contact, body,
        media, status, provider, provider_message_id, keyword, created_at)
      select c.id, 'sms', 'inbound', f.from_contact, f.to_contact, f.body, f.media, 'received',
        f.provider, f.sid, f.keyword, now() + f.nth * interval '1 microsecond'
      from fresh f join conversation c on c.id = f.conversation_id order by f.ord
      returning id, provider, provider_message_id
    )
    select f.ord, m.id, true as fresh from message m
    join fresh f on f.provider = m.provider and f.sid = m.provider_message_id
    union all
    select ord, id, false from known`;
  const byOrd = new Map(found.map((f) => [f.ord, f]));
  return texts.map((t, ord) => {
    const first = firstOf.get(keyOf(t))!;
    const stored = byOrd.get(first)!;
    return { id: stored.id, fresh: stored.fresh && first === ord };
  });
}

/** A text's identity at its provider: what Twilio sends again, the same each time. */
function keyOf(t: InboundSms): string {
  return `${t.provider} ${t.providerMessageId}`;
}

/** Texts stored together (`StoreBatch`): one statement in flight, the others gathering behind it. */
export class InboundBatch extends StoreBatch<InboundText, StoredText> {
  constructor(sql: Sql, options: { inFlight?: number; max?: number } = {}) {
    super(sql, storeInboundTexts, { ...options, split: { log, what: "inbound texts" } });
  }
}
