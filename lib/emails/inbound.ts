// Stores an email a customer sent us: threaded into the conversation of the email it answers,
// stored once however often the provider delivers it, attachments on disk.
import type { Sql, Tx } from "@/lib/db/connect.ts";
import type { Settings } from "@/lib/config.ts";
import { BadRequestError } from "@/lib/errors.ts";
import { conversationId } from "@/lib/conversations/conversation_id.ts";
import { touchConversation } from "@/lib/conversations/service.ts";
import { emailFromAddress } from "@/lib/providers/select.ts";
import type { InboundEmail } from "@/lib/providers/sendgrid_inbound.ts";
import { removeAttachments, storeAttachments } from "./attachments.ts";

/** What storing an inbound email did. */
export interface InboundResult {
  email_id: string;
  conversation_id: string;
  /** True when this Message-ID was stored before: nothing new was written. */
  duplicate: boolean;
}

/**
 * Our side of the exchange: an address Hatch is known by, else where the mail really arrived
 * (the envelope), else the first To (then Cc) address that is not the sender.
 */
export function ourAddress(settings: Settings, email: InboundEmail): string {
  const sender = email.from ?? "";
  const known = [settings.HATCH_INBOUND_EMAIL_ADDRESS, emailFromAddress(settings)]
    .filter(Boolean).map((a) => a.toLowerCase());
  const candidates = [...email.envelopeTo, ...email.to, ...email.cc].filter((a) => a !== sender);
  return candidates.find((a) => known.includes(a)) ?? candidates[0] ?? known[0];
}

async function findDuplicate(
  sql: Tx,
  messageId: string | null,
): Promise<{ id: string; conversation_id: string } | undefined> {
  if (!messageId) return undefined;
  const [row] = await sql`
    select id, conversation_id from emails
    where message_id_header = ${messageId} and direction = 'inbound'
    order by created_at limit 1`;
  return row as { id: string; conversation_id: string } | undefined;
}

// The conversation of the email this one answers: In-Reply-To first, then the newest reference.
async function findThread(
  tx: Tx,
  email: InboundEmail,
): Promise<{ id: string; participants: [string, string] } | undefined> {
  const ids = [
    ...new Set([email.inReplyTo, ...email.references.toReversed()].filter(Boolean)),
  ] as string[];
  if (!ids.length) return undefined;
  const [row] = await tx`
    select c.id, c.participants from emails e join conversations c on c.id = e.conversation_id
    where e.message_id_header = any(${ids})
    order by array_position(${ids}::text[], e.message_id_header), e.created_at desc
    limit 1`;
  return row as { id: string; participants: [string, string] } | undefined;
}

function preview(email: InboundEmail): string {
  const text = email.text.replace(/\s+/g, " ").trim();
  return email.subject ? `${email.subject} — ${text}` : text;
}

async function insert(
  tx: Tx,
  row: { id: string; email: InboundEmail; settings: Settings; attachments: unknown[] },
): Promise<string> {
  const { email, settings } = row;
  const thread = await findThread(tx, email);
  const ours = thread?.participants[0] ?? ourAddress(settings, email);
  const theirs = thread?.participants[1] ?? email.from!;
  const conversation = thread?.id ?? conversationId(ours, theirs);
  await touchConversation(tx, {
    id: conversation,
    channel: "email",
    participants: [ours, theirs],
    preview: preview(email),
    direction: "inbound",
    subject: email.subject || undefined,
  });
  await tx`
    insert into emails (id, conversation_id, direction, from_email, to_email, cc, reply_to,
      subject, body, html_content, attachments, status, provider, message_id_header, in_reply_to,
      references_header, headers)
    values (${row.id}, ${conversation}, 'inbound', ${email.from!},
      ${email.to.join(", ") || ours}, ${email.cc.join(", ") || null}, ${email.replyTo},
      ${email.subject}, ${email.text}, ${email.html}, ${tx.json(row.attachments as never)},
      'received', 'sendgrid', ${email.messageId}, ${email.inReplyTo},
      ${email.references.join(" ") || null}, ${tx.json(email.headers)})`;
  return conversation;
}

/** Stores an inbound email (once per Message-ID) and counts it unread in its conversation. */
export async function receiveInboundEmail(
  sql: Sql,
  settings: Settings,
  email: InboundEmail,
): Promise<InboundResult> {
  if (!email.from) {
    throw new BadRequestError("Cannot store the inbound email: it names no sender address");
  }
  // A cheap check first, so a repeated delivery writes no files.
  const seen = await findDuplicate(sql, email.messageId);
  if (seen) return { email_id: seen.id, conversation_id: seen.conversation_id, duplicate: true };
  const id = crypto.randomUUID();
  const dataDir = settings.HATCH_DATA_DIR;
  // Files first, outside the transaction, so no lock is held while megabytes reach the disk.
  const attachments = await storeAttachments(
    { dataDir, emailId: id, maxBytes: settings.HATCH_ATTACHMENT_MAX_BYTES },
    email.attachments,
  );
  try {
    const result = await sql.begin(async (tx) => {
      if (email.messageId) {
        // Two copies arriving at once: the second waits here, then finds the first.
        await tx`select pg_advisory_xact_lock(hashtextextended(${
          "hatch:inbound-email:" + email.messageId
        }, 0))`;
        const dup = await findDuplicate(tx, email.messageId);
        if (dup) return { email_id: dup.id, conversation_id: dup.conversation_id, duplicate: true };
      }
      const conversation = await insert(tx, { id, email, settings, attachments });
      return { email_id: id, conversation_id: conversation, duplicate: false };
    });
    if (result.duplicate) await removeAttachments(dataDir, id);
    return result;
  } catch (e) {
    await removeAttachments(dataDir, id);
    throw e;
  }
}
