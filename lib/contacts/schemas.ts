import { z } from "zod";
import { Limit } from "@/lib/conversations/schemas.ts";
import { Message } from "@/lib/messages/schemas.ts";
import { Email } from "@/lib/emails/schemas.ts";

/** Most phone numbers or emails one contact may have. */
export const MAX_ADDRESSES = 20;

const Name = z.string({ error: "name is required" }).trim().min(1, "name is empty").max(
  200,
  "name is too long: at most 200 characters",
);
const Notes = z.string({ error: "notes must be text" }).max(
  10_000,
  "notes are too long: at most 10000 characters",
);
const Phones = z.array(z.string({ error: "phones must be a list of phone numbers" }).max(40), {
  error: "phones must be a list of phone numbers",
}).max(MAX_ADDRESSES, `phones: at most ${MAX_ADDRESSES} numbers`);
const Emails = z.array(z.string({ error: "emails must be a list of email addresses" }).max(254), {
  error: "emails must be a list of email addresses",
}).max(MAX_ADDRESSES, `emails: at most ${MAX_ADDRESSES} addresses`);

/** Body of POST /api/contacts. */
export const ContactCreateInput = z.object({
  name: Name,
  phones: Phones.optional().describe("Phone numbers; stored in E.164"),
  emails: Emails.optional().describe("Email addresses; stored lowercased"),
  notes: Notes.optional(),
}).strict();
export type ContactCreateInput = z.infer<typeof ContactCreateInput>;

/** Body of PATCH /api/contacts/:id: given fields change, phones and emails replace the sets. */
export const ContactPatchInput = z.object({
  name: Name.optional(),
  phones: Phones.optional(),
  emails: Emails.optional(),
  notes: Notes.optional(),
}).strict();
export type ContactPatchInput = z.infer<typeof ContactPatchInput>;

/** Body of POST /api/contacts/:id/merge. */
export const ContactMergeInput = z.object({
  other_id: z.guid({ error: "other_id must be a contact id (a UUID)" }),
});

/** A contact as the API shows it. */
export const Contact = z.object({
  id: z.guid(),
  name: z.string(),
  notes: z.string(),
  phones: z.array(z.string()),
  emails: z.array(z.string()),
  created_at: z.string(),
  updated_at: z.string(),
  conversation_ids: z.array(z.guid()).describe("Conversations with any of its addresses"),
});
export type Contact = z.infer<typeof Contact>;

/** Query of GET /api/contacts. */
export const ContactListQuery = z.object({
  limit: Limit,
  before: z.string().max(400).optional(),
  q: z.string().max(200).optional().describe("Filter by name, phone or email"),
});

/** Answer of GET /api/contacts: by name, keyset-paged. */
export const ContactList = z.object({
  contacts: z.array(Contact),
  next_cursor: z.string().nullable(),
});

/** One entry of a mixed SMS and email list: a message or an email, tagged by `kind`. */
export const TimelineItem = z.discriminatedUnion("kind", [
  Message.extend({ kind: z.literal("message") }),
  Email.extend({ kind: z.literal("email") }),
]);
export type TimelineItem = z.infer<typeof TimelineItem>;

/** Query of GET /api/contacts/:id/timeline. */
export const TimelineQuery = z.object({ limit: Limit, before: z.string().max(200).optional() });

/** Answer of GET /api/contacts/:id/timeline: newest first. */
export const Timeline = z.object({
  items: z.array(TimelineItem),
  next_cursor: z.string().nullable(),
});

/** Answer of the routes that change a contact. */
export const ContactResult = z.object({ success: z.literal(true), contact: Contact });

/** The error answer every route shares. */
export const Failure = z.object({ success: z.literal(false), error: z.string() });
