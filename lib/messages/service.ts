import type { Sql, Tx } from "@/lib/db/connect.ts";
import type { Settings } from "@/lib/config.ts";
import { threadPage } from "@/lib/db/thread.ts";
import { BadRequestError, NotFoundError } from "@/lib/errors.ts";
import { conversationId } from "@/lib/conversations/conversation_id.ts";
import { sentByOf } from "@/lib/conversations/schemas.ts";
import { isPermanentFailure } from "@/lib/shared/delivery_words.ts";
import { addJob, BULK_PRIORITY, deliveryJob } from "@/lib/delivery/jobs.ts";
import { isPlainOptOut } from "./opt_out_words.ts";
import { sendTime } from "./send_time.ts";
import { type Actor, audit, SYSTEM } from "@/lib/auth/audit.ts";
import { smsFromAddress } from "@/lib/providers/select.ts";
import type { InboundSms } from "@/lib/providers/types.ts";
import { parseRecipient } from "./address.ts";
import { applyKeyword, assertNotOptedOut, keywordOf } from "./opt_outs.ts";
import { type PreparedSend, type SendBatch, storeSends } from "./send_batch.ts";
import { type InboundBatch, storeInboundTexts } from "./inbound_batch.ts";
import type { Message, SendMessageInput, SendMessageResult } from "./schemas.ts";

/** A message that is one of many (a broadcast's): marketing, paced behind replies. */
export interface BulkSend {
  broadcastId: string;
  /** When its delivery job may start (the broadcast spaces them at the sender's rate). */
  runAt?: Date;
}

/** Stores an outbound message and, for SMS, queues its delivery in the same transaction. */
export async function sendMessage(
  sql: Tx,
  settings: Settings,
  input: SendMessageInput,
  /** `actor` is audited and recorded as the sender; `sentBy` is only recorded. */
  options: {
    actor?: Actor;
    sentBy?: Pick<Actor, "userId" | "tokenId">;
    bulk?: BulkSend;
    optOutConfirmation?: boolean;
    /** Sends arriving together, stored in one statement (only when `sql` is its pool). */
    batch?: SendBatch;
  } = {},
): Promise<SendMessageResult> {
  const sender = options.sentBy ?? options.actor;
  const to = parseRecipient(input.to, settings.HATCH_DEFAULT_COUNTRY);
  const sendAt = sendTime(input.send_at);
  if (sendAt && to.channel !== "sms") {
    throw new BadRequestError(
      `Cannot schedule a message to "${input.to}": only texts and emails can be sent later`,
    );
  }
  const from = to.channel === "sms" ? smsFromAddress(settings) : (input.from ?? "Hatch");
  if (to.channel === "sms" && input.from && input.from !== from) {
    throw new BadRequestError(`Cannot send from "${input.from}": SMS go out from ${from}`);
  }
  if (to.channel === "chat" && input.media_urls?.length) {
    throw new BadRequestError("media_urls: attachments go out by MMS only, to a phone number");
  }
  const id = conversationId(from, to.address);
  if (input.conversation_id && input.conversation_id !== id) {
    const [known] = await sql`select 1 from conversations where id = ${input.conversation_id}`;
    throw known
      ? new BadRequestError(
        `Conversation "${input.conversation_id}" is not with "${input.to}": leave conversation_id out or send to its participant`,
      )
      : new NotFoundError(`Conversation "${input.conversation_id}" not found`);
  }
  const status = to.channel === "sms" ? "queued" : "sent";
  const messageId = crypto.randomUUID();
  const send: PreparedSend = {
    messageId,
    conversationId: id,
    channel: to.channel,
    from,
    to: to.address,
    body: input.content,
    media: (input.media_urls ?? []).map((url) => ({ url, content_type: null })),
    status,
    provider: to.channel === "sms" ? settings.smsProvider : null,
    sentByUserId: sender?.userId ?? null,
    sentByTokenId: sender?.tokenId ?? null,
    sendAt: sendAt ?? null,
    marketing: Boolean(input.marketing || options.bulk),
    broadcastId: options.bulk?.broadcastId ?? null,
    keyword: options.optOutConfirmation ? "stop" : null,
    // The one text that may follow an opt-out is its confirmation.
    checkOptOut: to.channel === "sms" && !options.optOutConfirmation,
    assignTo: options.actor?.userId ?? null,
    job: to.channel === "sms"
      ? {
        payload: deliveryJob("message", messageId, id).payload,
        runAt: sendAt ?? options.bulk?.runAt ?? null,
        // A scheduled message's job is found again by its key when it is edited or cancelled.
        key: sendAt ? `message:${messageId}` : null,
        priority: options.bulk ? BULK_PRIORITY : null,
      }
      : null,
    audit: options.actor
      ? {
        userId: options.actor.userId ?? null,
        tokenId: options.actor.tokenId ?? null,
        label: options.actor.label,
        ip: options.actor.ip ?? null,
      }
      : null,
  };
  // On the pool it batches for, the send is stored with those arriving at the same time; inside
  // a caller's transaction (an Idempotency-Key, a broadcast), in a statement of its own.
  const stored = options.batch
    ? await options.batch.store(send, sql)
    : (await storeSends(sql, [send]))[0];
  if (!stored) {
    // Nothing stored: the recipient opted out. Said in words; when the opt-out was withdrawn
    // in the meantime, the send is tried again.
    await assertNotOptedOut(sql, from, to.address);
    return sendMessage(sql, settings, input, options);
  }
  return { success: true, message_id: messageId, conversation_id: id, status };
}

// deno-lint-ignore no-explicit-any -- a messages row, shaped by toMessage
type Row = Record<string, any>;

/** Shapes a messages row for the API. */
export function toMessage(r: Row): Message {
  return {
    id: r.id,
    conversation_id: r.conversation_id,
    channel: r.channel,
    direction: r.direction,
    from_contact: r.from_contact,
    to_contact: r.to_contact,
    body: r.body,
    media: r.media,
    status: r.status,
    error_code: r.error_code,
    error_message: r.error_message,
    keyword: r.keyword ?? null,
    send_at: r.send_at ? new Date(r.send_at).toISOString() : null,
    marketing: r.marketing ?? false,
    held_until: r.held_until ? new Date(r.held_until).toISOString() : null,
    sent_by: sentByOf(r),
    timestamp: new Date(r.created_at).toISOString(),
    updated_at: new Date(r.updated_at).toISOString(),
  };
}

/** The newest page of a conversation's messages before `before`, oldest first within it. */
export async function listMessages(
  sql: Tx,
  conversation: string,
  options: { limit: number; before?: string },
): Promise<{ messages: Message[]; next_cursor: string | null }> {
  const page = await threadPage(sql, "messages", conversation, options);
  return { messages: page.rows.map(toMessage), next_cursor: page.next_cursor };
}

/** One message, or a 404 naming it. */
export async function getMessage(sql: Tx, id: string): Promise<Message> {
  const [row] = await sql`
    select *, hatch_sender_name(sent_by_user_id, sent_by_token_id) as sender_name
    from messages where id = ${id}`;
  if (!row) throw new NotFoundError(`Message "${id}" not found`);
  return toMessage(row);
}

/**
 * Sends a failed message's text again as a new message (statuses never move back); `actor` is
 * recorded as its sender and audits the retry, in the same transaction.
 */
export async function retryMessage(
  sql: Tx,
  settings: Settings,
  id: string,
  options: { actor?: Actor } = {},
): Promise<SendMessageResult> {
  const actor = options.actor ?? SYSTEM;
  return await sql.begin(async (tx) => {
    const old = await getMessage(tx, id);
    if (old.direction !== "outbound" || !["failed", "undelivered"].includes(old.status)) {
      throw new BadRequestError(
        `Message "${id}" is ${old.status}: only failed messages can be retried`,
      );
    }
    if (isPermanentFailure(old.error_code)) {
      throw new BadRequestError(
        `Message "${id}" failed for good (${old.error_code}): sending it again cannot help`,
      );
    }
    const result = await sendMessage(tx, settings, {
      to: old.to_contact,
      content: old.body,
      conversation_id: old.conversation_id,
      media_urls: old.media.map((m) => m.url),
    }, { sentBy: actor });
    await audit(tx, actor, "send.retry", { detail: { message_id: result.message_id } });
    return result;
  });
}

/** Stores an inbound SMS in its conversation once per provider id; returns its id. */
export async function receiveInboundSms(
  sql: Sql,
  sms: InboundSms,
  options: { batch?: InboundBatch } = {},
): Promise<string> {
  try {
    return await storeInboundSms(sql, sms, options.batch);
  } catch (e) {
    // A concurrent copy of the same webhook won the unique index: answer with its row.
    if ((e as { code?: string }).code !== "23505") throw e;
    const [row] = await sql`
      select id from messages
      where provider = ${sms.provider} and provider_message_id = ${sms.providerMessageId}`;
    if (!row) throw e;
    return row.id as string;
  }
}

async function storeInboundSms(sql: Sql, sms: InboundSms, batch?: InboundBatch): Promise<string> {
  const said = keywordOf(sms.body);
  const plainOptOut = !said && isPlainOptOut(sms.body);
  const keyword = said ?? (plainOptOut ? "stop" : undefined);
  // Most texts are words for the team: stored with the others that arrive meanwhile.
  if (!keyword) {
    const text = { ...sms, keyword: null };
    const [stored] = batch ? [await batch.store(text, sql)] : await storeInboundTexts(sql, [text]);
    return stored.id;
  }
  return await sql.begin(async (tx) => {
    const [stored] = await storeInboundTexts(tx, [{ ...sms, keyword }]);
    if (!stored.fresh) return stored.id;
    await applyKeyword(tx, {
      sender: sms.to,
      recipient: sms.from,
      keyword,
      word: sms.body.trim().slice(0, 60),
    });
    // Carriers and Twilio answer their own keywords; words they do not know are ours to
    // confirm, and HELP gets the business's contact details.
    if (plainOptOut || keyword === "help") {
      await addJob(tx, "keyword_reply", { message_id: stored.id });
    }
    return stored.id;
  });
}
