import { z } from "zod";

/** A page size: 1–200, 50 unless asked. */
export const Limit = z.coerce.number().int().min(1, "limit must be at least 1").max(
  200,
  "limit must be at most 200",
).default(50);

// Needed wherever a string schema has its own `error` (for a missing value): zod words every
// check without a message of its own with it, so a 5,000-character `to` was called "required".
/** A `max` check's message that says the value is too long, by how much, and the limit. */
export function tooLong(
  field: string,
  max: number,
): { error: (issue: { input?: unknown }) => string } {
  return {
    error: (issue) =>
      `${field} is too long: ${String(issue.input ?? "").length} characters, at most ${max}`,
  };
}

/** Who sent an outbound message or email: a user, through the inbox or one of their API tokens. */
export const SentBy = z.object({
  user_id: z.guid().nullable(),
  token_id: z.guid().nullable(),
  name: z.string().describe("The user's display name (\"(API)\" added for a token's sends)"),
});
export type SentBy = z.infer<typeof SentBy>;

/** The `sent_by` of a messages or emails row read with `sender_name` (null when nobody is recorded). */
// deno-lint-ignore no-explicit-any -- a raw row
export function sentByOf(r: Record<string, any>): SentBy | null {
  if (!r.sent_by_user_id && !r.sent_by_token_id) return null;
  return {
    user_id: r.sent_by_user_id ?? null,
    token_id: r.sent_by_token_id ?? null,
    name: r.sender_name ?? "",
  };
}
/** A conversation's state: open, snoozed until a time, or closed. */
export const ConversationState = z.enum(["open", "snoozed", "closed"]);
export type ConversationState = z.infer<typeof ConversationState>;

/** The sidebar's views, as list filters. */
export const ConversationView = z.enum(["all", "mine", "unassigned", "open", "snoozed", "closed"]);
export type ConversationView = z.infer<typeof ConversationView>;

/** Query of GET /api/conversations. */
export const ConversationListQuery = z.object({
  limit: Limit,
  before: z.string().max(200).optional(),
  q: z.string().max(200).optional().describe(
    "Filter by participant, contact name, subject or text; a number as people write it (`555-1050`, `(415) 555-1050`) finds the E.164 number",
  ),
  channel: z.enum(["sms", "chat", "email"]).optional(),
  view: ConversationView.default("all").describe(
    "mine (open, assigned to you), unassigned (open), open, snoozed, closed, or all",
  ),
  label: z.guid({ error: "label must be a label's id" }).optional().describe(
    "Only conversations with this label",
  ),
});

/** A conversation as the API shows it (the seed's fields and more). */
export const Conversation = z.object({
  id: z.guid(),
  conversation_id: z.guid(),
  channel: z.enum(["sms", "chat", "email"]),
  participants: z.array(z.string()).length(2),
  contact: z.string(),
  contact_id: z.guid().nullable().describe("The contact holding the customer's address"),
  contact_name: z.string().nullable(),
  subject: z.string().nullable(),
  last_message: z.string(),
  last_message_time: z.string(),
  last_direction: z.enum(["inbound", "outbound"]).nullable(),
  last_sender: z.object({ user_id: z.guid(), name: z.string() }).nullable().describe(
    "Who sent the last message, when it was one of ours sent by a user",
  ),
  message_count: z.number().int(),
  unread_count: z.number().int().describe(
    "Messages from the customer the asking user has not read",
  ),
  state: ConversationState,
  snoozed_until: z.string().nullable(),
  assignee_id: z.guid().nullable(),
  label_ids: z.array(z.guid()),
  last_failed: z.boolean().describe("Whether the newest message or email failed to go out"),
});
export type Conversation = z.infer<typeof Conversation>;

/** Answer of GET /api/conversations. */
export const ConversationList = z.object({
  conversations: z.array(Conversation),
  next_cursor: z.string().nullable(),
});

/** An SMS recipient's opt-out: the word they replied with, as they wrote it (STOP, unsubscribe…). */
export const OptOut = z.object({ keyword: z.string(), opted_out_at: z.string() });
export type OptOut = z.infer<typeof OptOut>;

/** Answer of GET /api/conversation/:id. */
export const ConversationAnswer = z.object({
  conversation: Conversation,
  opt_out: OptOut.nullable(),
});
export type ConversationAnswer = z.infer<typeof ConversationAnswer>;

/** Path parameter `:id` of conversation routes. */
export const ConversationIdParam = z.guid({ error: "conversation id must be a UUID" });
