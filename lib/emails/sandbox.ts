// The sandbox simulator for email: the customer of an email conversation answers, threaded to
// the newest email as a real reply would be (In-Reply-To), and stored as inbound mail is.
import type { Sql } from "@/lib/db/connect.ts";
import type { Settings } from "@/lib/config.ts";
import { BadRequestError } from "@/lib/errors.ts";
import { getConversation } from "@/lib/conversations/service.ts";
import { receiveInboundEmail } from "./inbound.ts";

/** Stores the customer's simulated reply in an email conversation; returns the email's id. */
export async function simulateInboundEmail(
  sql: Sql,
  settings: Settings,
  input: { conversation_id: string; body: string },
): Promise<string> {
  const conversation = await getConversation(sql, input.conversation_id);
  if (conversation.channel !== "email") {
    throw new BadRequestError("The email simulator answers in email conversations only");
  }
  const [ours, theirs] = conversation.participants;
  const [last] = await sql`
    select subject, message_id_header from emails where conversation_id = ${conversation.id}
    order by created_at desc, id desc limit 1`;
  const subject = (last?.subject as string | undefined) ?? conversation.subject ?? "";
  const parent = (last?.message_id_header as string | null | undefined) ?? null;
  const result = await receiveInboundEmail(sql, settings, {
    from: theirs,
    to: [ours],
    cc: [],
    replyTo: null,
    envelopeTo: [ours],
    subject: /^re:/i.test(subject) ? subject : `Re: ${subject}`,
    text: input.body,
    html: null,
    headers: {},
    messageId: `<sim-${crypto.randomUUID()}@sandbox.local>`,
    inReplyTo: parent,
    references: parent ? [parent] : [],
    attachments: [],
  });
  return result.email_id;
}
