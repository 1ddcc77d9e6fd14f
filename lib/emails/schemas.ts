import { z } from "zod";
import { Limit, SentBy, tooLong } from "@/lib/conversations/schemas.ts";

/** Largest attachment payload accepted in one email (decoded bytes). */
export const MAX_ATTACHMENT_BYTES = 700_000;

const Attachment = z.object({
  filename: z.string().trim().min(1).max(200),
  content_type: z.string().regex(/^[\w.+-]+\/[\w.+-]+$/, "content_type must be a MIME type"),
  content: z.string().regex(/^[A-Za-z0-9+/=\s]*$/, "content must be base64"),
});

/** Body of POST /api/send_email (the seed's fields). */
export const SendEmailInput = z.object({
  // 254 is the longest address SMTP carries (RFC 5321's 256-octet path, less its brackets).
  to_email: z.string({ error: "to_email is required" }).trim().min(1, "to_email is required")
    .max(254, tooLong("to_email", 254)),
  // 998 is the longest line RFC 5322 allows, and a subject is one header line.
  subject: z.string({ error: "subject is required" }).trim().min(1, "subject is empty")
    .max(998, tooLong("subject", 998)),
  body: z.string({ error: "body is required" }).refine((s) => s.trim().length > 0, {
    message: "body is empty: write a message",
  }).refine((s) => s.length <= 200_000, { message: "body is too long: at most 200000 characters" }),
  html: z.string().max(500_000).optional(),
  cc: z.string().max(2000).optional(),
  bcc: z.string().max(2000).optional(),
  reply_to: z.string().max(254).optional(),
  // Conversation ids are sha256-derived, not RFC 4122 version/variant UUIDs: z.guid() refuses
  // most of them, z.guid() checks only the shape.
  conversation_id: z.guid({ error: "conversation_id must be a UUID" }).optional(),
  attachments: z.array(Attachment).max(10).optional(),
});
export type SendEmailInput = z.infer<typeof SendEmailInput>;

/** Answer of POST /api/send_email. */
export const SendEmailResult = z.object({
  success: z.literal(true),
  email_id: z.guid(),
  conversation_id: z.guid(),
  status: z.string(),
  message: z.string(),
});
export type SendEmailResult = z.infer<typeof SendEmailResult>;

/** An email as the API shows it. */
export const Email = z.object({
  id: z.guid(),
  conversation_id: z.guid(),
  direction: z.enum(["outbound", "inbound"]),
  from_email: z.string(),
  to_email: z.string(),
  cc: z.string().nullable(),
  bcc: z.string().nullable(),
  reply_to: z.string().nullable(),
  subject: z.string(),
  body: z.string(),
  html_content: z.string().nullable(),
  attachments: z.array(
    z.object({ filename: z.string(), content_type: z.string(), size: z.number() }),
  ),
  status: z.string(),
  error_code: z.string().nullable(),
  error_message: z.string().nullable(),
  open_count: z.number().int().describe("Opens SendGrid reported (its tracking pixel)"),
  click_count: z.number().int().describe("Link clicks SendGrid reported"),
  sent_by: SentBy.nullable().describe("Who sent an outbound email (null: inbound, or the CLI)"),
  timestamp: z.string(),
  updated_at: z.string(),
});
export type Email = z.infer<typeof Email>;

/** Query of GET /api/conversation/:id/emails. */
export const EmailPageQuery = z.object({ limit: Limit, before: z.string().max(200).optional() });

/** Answer of GET /api/conversation/:id/emails: oldest first within the page. */
export const EmailPage = z.object({ emails: z.array(Email), next_cursor: z.string().nullable() });
