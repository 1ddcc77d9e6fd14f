// The team inbox's shapes: changing a conversation (state, assignee, labels), labels, notes and
// system lines, the views' counts, presence, the team's settings.
import { z } from "zod";
import { ConversationState } from "./schemas.ts";

const LabelIds = z.array(z.guid({ error: "labels must be label ids" })).max(
  20,
  "labels: at most 20 per conversation",
);

/** Body of PATCH /api/conversation/:id: any of its state, assignee and labels. */
export const ConversationPatch = z.object({
  state: ConversationState.optional(),
  snoozed_until: z.iso.datetime({
    offset: true,
    error: "snoozed_until must be an ISO 8601 time with its zone",
  }).optional().describe("Required with state snoozed: when it comes back by itself"),
  assignee_id: z.guid({ error: "assignee_id must be a user's id or null" }).nullable()
    .optional().describe("A teammate's user id; null unassigns"),
  label_ids: LabelIds.optional().describe("The conversation's labels, all of them"),
  add_label_ids: LabelIds.optional().describe("Labels to add to those it has"),
  remove_label_ids: LabelIds.optional().describe("Labels to take off"),
});
export type ConversationPatch = z.infer<typeof ConversationPatch>;

/** Body of POST /api/conversations/bulk: one change to several conversations. */
export const BulkPatch = z.object({
  ids: z.array(z.guid()).min(1, "ids: name at least one conversation").max(
    200,
    "ids: at most 200 at once",
  ),
  change: ConversationPatch,
});

/** A label, as `GET /api/labels` lists it. */
export const Label = z.object({
  id: z.guid(),
  name: z.string(),
  color: z.string(),
});
export type Label = z.infer<typeof Label>;

/** Body of POST /api/labels and PATCH /api/labels/:id. */
export const LabelInput = z.object({
  name: z.string({ error: "name is required" }).trim().min(1, "name cannot be empty").max(
    40,
    "name is too long: at most 40 characters",
  ),
  color: z.string().regex(/^#[0-9a-f]{6}$/i, "color must look like #3b82f6").transform((c) =>
    c.toLowerCase()
  ).optional(),
});
export const LabelPatch = LabelInput.partial();

/** A note or a system line in a thread. */
export const Note = z.object({
  id: z.guid(),
  conversation_id: z.guid(),
  kind: z.enum(["note", "system"]),
  author_id: z.guid().nullable(),
  body: z.string(),
  mentions: z.array(z.guid()),
  detail: z.record(z.string(), z.unknown()).describe(
    "A system line's facts: action (assigned, unassigned, closed, snoozed, reopened), assignee_id, until, cause (user, auto, reply, snooze)",
  ),
  created_at: z.string(),
});
export type Note = z.infer<typeof Note>;

/** Body of POST /api/conversation/:id/notes. */
export const NoteInput = z.object({
  body: z.string({ error: "body is required" }).trim().min(1, "body cannot be empty").max(
    10_000,
    "body is too long: at most 10000 characters",
  ),
});

/** Answer of GET /api/conversation/:id/notes. */
export const NoteList = z.object({ notes: z.array(Note) });

/** A teammate, for assigning, mentions and avatars. */
export const Teammate = z.object({ id: z.guid(), name: z.string(), email: z.string() });
export type Teammate = z.infer<typeof Teammate>;

/** Answer of GET /api/views: how many conversations each view holds, for the asking user. */
export const ViewCounts = z.object({
  mine: z.number().int(),
  unassigned: z.number().int(),
  open: z.number().int(),
  snoozed: z.number().int(),
  closed: z.number().int(),
  labels: z.record(z.string(), z.number().int()).describe("Open conversations per label id"),
});
export type ViewCounts = z.infer<typeof ViewCounts>;

/** Body of POST /api/conversation/:id/presence. */
export const PresenceInput = z.object({
  state: z.enum(["viewing", "typing", "left"]),
});

/** The team's settings. */
export const TeamSettings = z.object({
  auto_assign: z.boolean().describe(
    "Replying to an unassigned conversation assigns it to whoever replied",
  ),
});
