import { z } from "zod";
import { Limit, SentBy, tooLong } from "@/lib/conversations/schemas.ts";

/** The longest SMS body Twilio accepts (it splits it into segments). */
export const MAX_SMS_LENGTH = 1600;
/** The longest `to` or `from`: a phone number or a contact's name. */
export const MAX_ADDRESS_LENGTH = 100;

// Code points, because Twilio states its 1,600 limit in characters and the composer's counter
// (countSms) counts code points: an emoji costs one, not its two UTF-16 units, and what the
// counter allows the API accepts. Not grapheme clusters: a family emoji of seven code points
// would count as one, letting through bodies far longer than the carriers' limit.
/** Characters as the SMS limit counts them: Unicode code points. */
export function smsLength(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/** Body of POST /api/send_message (the seed's fields). */
export const SendMessageInput = z.object({
  to: z.string({ error: "to is required: a phone number or a name" }).trim()
    .min(1, "to is required: a phone number or a name")
    .max(MAX_ADDRESS_LENGTH, tooLong("to", MAX_ADDRESS_LENGTH)),
  content: z.string({ error: "content is required" }).refine((s) => s.trim().length > 0, {
    message: "content is empty: write a message",
  }).refine((s) => smsLength(s) <= MAX_SMS_LENGTH, {
    error: (i) =>
      `content is too long: ${smsLength(i.input as string)} characters, at most ${MAX_SMS_LENGTH}`,
  }),
  conversation_id: z.guid({ error: "conversation_id must be a UUID" }).optional(),
  from: z.string().trim().min(1, "from is empty: leave it out or name a sender")
    .max(MAX_ADDRESS_LENGTH, tooLong("from", MAX_ADDRESS_LENGTH)).optional(),
  media_urls: z.array(z.url({ protocol: /^https?$/ })).max(10).optional(),
});
export type SendMessageInput = z.infer<typeof SendMessageInput>;

/** Answer of POST /api/send_message. */
export const SendMessageResult = z.object({
  success: z.literal(true),
  message_id: z.guid(),
  conversation_id: z.guid(),
  status: z.string(),
});
export type SendMessageResult = z.infer<typeof SendMessageResult>;

/** Every status a message can have. */
export const MessageStatus = z.enum([
  "queued",
  "sending",
  "sent",
  "delivered",
  "undelivered",
  "failed",
  "received",
]);
export type MessageStatus = z.infer<typeof MessageStatus>;

/** A message as the API shows it. */
export const Message = z.object({
  id: z.guid(),
  conversation_id: z.guid(),
  channel: z.enum(["sms", "chat"]),
  direction: z.enum(["outbound", "inbound"]),
  from_contact: z.string(),
  to_contact: z.string(),
  body: z.string(),
  media: z.array(z.object({ url: z.string(), content_type: z.string().nullable() })),
  status: MessageStatus,
  error_code: z.string().nullable(),
  error_message: z.string().nullable(),
  keyword: z.enum(["stop", "start", "help"]).nullable().describe("An inbound opt-out keyword"),
  sent_by: SentBy.nullable().describe("Who sent an outbound message (null: inbound, or the CLI)"),
  timestamp: z.string(),
  updated_at: z.string(),
});
export type Message = z.infer<typeof Message>;

/** Query of GET /api/conversation/:id/messages. */
export const MessagePageQuery = z.object({ limit: Limit, before: z.string().max(200).optional() });

/** Answer of GET /api/conversation/:id/messages: oldest first within the page. */
export const MessagePage = z.object({
  messages: z.array(Message),
  next_cursor: z.string().nullable(),
});

/** Body of POST /api/sandbox/inbound: a customer's answer in the sandbox. */
export const SandboxInboundInput = z.object({
  conversation_id: z.guid({ error: "conversation_id must be a UUID" }),
  body: z.string().refine((s) => s.trim().length > 0, { message: "body is empty" }).refine(
    (s) => smsLength(s) <= MAX_SMS_LENGTH,
    { message: `body is too long: at most ${MAX_SMS_LENGTH} characters` },
  ),
});
