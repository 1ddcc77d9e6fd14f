import { z } from "zod";

/** A saved reply the team shares. */
export const SavedReply = z.object({
  id: z.guid(),
  title: z.string(),
  body: z.string().describe("May use variables like {{contact.first_name}}"),
  updated_at: z.string(),
});
export type SavedReply = z.infer<typeof SavedReply>;

/** Body of POST /api/saved_replies and PATCH /api/saved_replies/:id. */
export const SavedReplyInput = z.object({
  title: z.string({ error: "title is required" }).trim().min(1, "title is empty: name the reply")
    .max(80, "title is too long: at most 80 characters"),
  body: z.string({ error: "body is required" }).refine((s) => s.trim().length > 0, {
    message: "body is empty: write the reply",
  }).refine((s) => s.length <= 1600, { message: "body is too long: at most 1600 characters" }),
});
export type SavedReplyInput = z.infer<typeof SavedReplyInput>;

/** Answer of GET /api/saved_replies: the replies, and the values shared by every conversation. */
export const SavedReplyList = z.object({
  saved_replies: z.array(SavedReply),
  values: z.record(z.string(), z.string()).describe(
    "{{agent.name}} (the asker) and {{business.name}}; contact values come from the conversation",
  ),
});
