import { type Actor, audit } from "@/lib/auth/audit.ts";
import type { Tx } from "@/lib/db/connect.ts";
import type { Settings } from "@/lib/config.ts";
import { threadPage } from "@/lib/db/thread.ts";
import { BadRequestError, NotFoundError, PayloadTooLargeError } from "@/lib/errors.ts";
import { conversationId } from "@/lib/conversations/conversation_id.ts";
import { touchConversation } from "@/lib/conversations/service.ts";
import { sentByOf } from "@/lib/conversations/schemas.ts";
import { assertNotSuppressed } from "./suppressions.ts";
import { addJob, deliveryJob } from "@/lib/delivery/jobs.ts";
import { sendTime } from "@/lib/messages/send_time.ts";
import { emailFromAddress } from "@/lib/providers/select.ts";
import { isEmail, parseEmailList } from "@/lib/messages/address.ts";
import {
  type Email,
  MAX_ATTACHMENT_BYTES,
  type SendEmailInput,
  type SendEmailResult,
} from "./schemas.ts";

function decodedSize(base64: string): number {
  const clean = base64.replace(/\s/g, "");
  return Math.floor(clean.length * 3 / 4) - (clean.match(/=+$/)?.[0].length ?? 0);
}

// Long threads would grow References without end; RFC 5322 allows keeping the first and the
// most recent ones.
const MAX_REFERENCES = 20;

/** In-Reply-To and References for a new email in a conversation: it answers the newest one. */
export async function replyHeaders(
  tx: Tx,
  conversation: string,
): Promise<{ inReplyTo: string | null; references: string | null }> {
  const [parent] = await tx`
    select message_id_header, references_header, in_reply_to from emails
    where conversation_id = ${conversation} and message_id_header is not null
    order by created_at desc, id desc limit 1`;
  if (!parent) return { inReplyTo: null, references: null };
  const ids = `${parent.references_header ?? parent.in_reply_to ?? ""} ${parent.message_id_header}`
    .split(/\s+/).filter(Boolean);
  const kept = ids.length > MAX_REFERENCES ? [ids[0], ...ids.slice(-(MAX_REFERENCES - 1))] : ids;
  return { inReplyTo: parent.message_id_header, references: kept.join(" ") };
}

// Our address in the conversation: the configured sender for a new one, or the address the
// customer wrote to when replying in a conversation that began with their email.
async function conversationFor(
  sql: Tx,
  settings: Settings,
  options: { to: string; requested?: string },
): Promise<{ from: string; id: string }> {
  const from = emailFromAddress(settings).toLowerCase();
  const id = conversationId(from, options.to);
  if (!options.requested || options.requested === id) return { from, id };
  const [c] = await sql`
    select channel, participants from conversations where id = ${options.requested}`;
  if (!c || c.channel !== "email" || c.participants[1] !== options.to) {
    throw new BadRequestError(`Conversation "${options.requested}" is not with "${options.to}"`);
  }
  return { from: c.participants[0], id: options.requested };
}

/**
 * Stores an outbound email and queues its delivery in the same transaction, with the audit
 * row of whoever sent it (`actor`).
 */
export async function sendEmail(
  sql: Tx,
  settings: Settings,
  input: SendEmailInput,
  options: { actor?: Actor } = {},
): Promise<SendEmailResult> {
  const to = input.to_email.trim().toLowerCase();
  if (!isEmail(to)) {
    throw new BadRequestError(
      `Cannot send email to "${input.to_email}": not a valid email address`,
    );
  }
  const cc = parseEmailList(input.cc, "cc");
  const bcc = parseEmailList(input.bcc, "bcc");
  const replyTo = input.reply_to?.trim() || undefined;
  if (replyTo && !isEmail(replyTo)) {
    throw new BadRequestError(`reply_to: "${replyTo}" is not a valid email address`);
  }
  const attachments = (input.attachments ?? []).map((a) => ({
    ...a,
    size: decodedSize(a.content),
  }));
  const total = attachments.reduce((n, a) => n + a.size, 0);
  if (total > MAX_ATTACHMENT_BYTES) {
    throw new PayloadTooLargeError(
      `Attachments are too large: ${total} bytes, at most ${MAX_ATTACHMENT_BYTES}`,
    );
  }
  const sendAt = sendTime(input.send_at);
  // Bounced and complaining addresses are refused before anything is stored.
  await assertNotSuppressed(sql, [to, ...cc, ...bcc]);
  const { from, id } = await conversationFor(sql, settings, {
    to,
    requested: input.conversation_id,
  });
  const emailId = await sql.begin(async (tx) => {
    await touchConversation(tx, {
      id,
      channel: "email",
      participants: [from, to],
      preview: `${input.subject} — ${input.body}`,
      direction: "outbound",
      subject: input.subject,
      senderId: options.actor?.userId,
      assignTo: options.actor?.userId,
    });
    // After the conversation row's lock: concurrent sends see each other's emails as parents.
    const thread = await replyHeaders(tx, id);
    const [row] = await tx`
      insert into emails (conversation_id, direction, from_email, to_email, cc, bcc, reply_to,
        subject, body, html_content, attachments, status, provider, message_id_header,
        in_reply_to, references_header, sent_by_user_id, sent_by_token_id, send_at, created_at)
      values (${id}, 'outbound', ${from}, ${to}, ${cc.join(", ") || null},
        ${bcc.join(", ") || null}, ${replyTo ?? null}, ${input.subject}, ${input.body},
        ${input.html ?? null}, ${tx.json(attachments)}, 'queued', ${settings.emailProvider},
        '<' || gen_random_uuid() || '@' || ${from.split("@")[1]} || '>', ${thread.inReplyTo},
        ${thread.references}, ${options.actor?.userId ?? null}::uuid,
        ${options.actor?.tokenId ?? null}::uuid, ${sendAt ?? null},
        coalesce(${sendAt ?? null}::timestamptz, now()))
      returning id`;
    const job = deliveryJob("email", row.id, id);
    await addJob(tx, job.task, job.payload, {
      runAt: sendAt,
      jobKey: sendAt ? `email:${row.id}` : undefined,
    });
    if (options.actor) {
      await audit(tx, options.actor, "send.email", {
        target: to,
        detail: { email_id: row.id },
      });
    }
    return row.id as string;
  });
  return {
    success: true,
    email_id: emailId,
    conversation_id: id,
    status: "queued",
    message: "Email queued for delivery",
  };
}

// deno-lint-ignore no-explicit-any -- an emails row, shaped by toEmail
type Row = Record<string, any>;

/** Shapes an emails row for the API (attachment contents stay out). */
export function toEmail(r: Row): Email {
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
    attachments: (r.attachments as Row[]).map((a) => ({
      filename: a.filename,
      content_type: a.content_type,
      size: a.size,
    })),
    status: r.status,
    error_code: r.error_code,
    error_message: r.error_message,
    // Callers that select a few columns (search) leave the counters out.
    open_count: r.open_count ?? 0,
    click_count: r.click_count ?? 0,
    send_at: r.send_at ? new Date(r.send_at).toISOString() : null,
    sent_by: sentByOf(r),
    timestamp: new Date(r.created_at).toISOString(),
    updated_at: new Date(r.updated_at).toISOString(),
  };
}

/** One email, or a 404 naming it. */
export async function getEmail(sql: Tx, id: string): Promise<Email> {
  const [row] = await sql`
    select *, hatch_sender_name(sent_by_user_id, sent_by_token_id) as sender_name
    from emails where id = ${id}`;
  if (!row) throw new NotFoundError(`Email "${id}" not found`);
  return toEmail(row);
}

/** The newest page of a conversation's emails before `before`, oldest first within it. */
export async function listEmails(
  sql: Tx,
  conversation: string,
  options: { limit: number; before?: string },
): Promise<{ emails: Email[]; next_cursor: string | null }> {
  const page = await threadPage(sql, "emails", conversation, options);
  return { emails: page.rows.map(toEmail), next_cursor: page.next_cursor };
}
