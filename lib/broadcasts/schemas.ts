import { z } from "zod";
import { MAX_SMS_LENGTH, smsLength } from "@/lib/messages/schemas.ts";

/** Largest CSV a broadcast or an import takes: under the API's 1 MB JSON body limit. */
export const MAX_CSV_BYTES = 900_000;

/** Who a broadcast goes to: the contacts with a label, or the rows of a CSV (a phone column). */
export const Audience = z.union([
  z.object({ label: z.string().trim().min(1, "label is empty").max(60) }),
  z.object({
    csv: z.string().min(1, "csv is empty").max(MAX_CSV_BYTES, "csv is too large: at most 900 kB"),
  }),
], { error: "recipients must be { label } or { csv }" });
export type Audience = z.infer<typeof Audience>;

/** Body of POST /api/broadcasts and /api/broadcasts/preview. */
export const BroadcastInput = z.object({
  name: z.string().trim().min(1, "name is empty: name the broadcast").max(200),
  body: z.string().refine((s) => s.trim().length > 0, "body is empty: write the message")
    .refine((s) => smsLength(s) <= MAX_SMS_LENGTH, `body is too long: at most ${MAX_SMS_LENGTH}`),
  recipients: Audience,
});
export type BroadcastInput = z.infer<typeof BroadcastInput>;

/** What a broadcast would do, before it starts. */
export const BroadcastPreview = z.object({
  recipients: z.number().int().describe("Texts that would go out"),
  skipped_opted_out: z.number().int(),
  skipped_invalid: z.number().int().describe("Rows without a valid phone number"),
  skipped_duplicate: z.number().int(),
  segments: z.number().int().describe("SMS segments per text (the longest once filled in)"),
  encoding: z.enum(["GSM-7", "UCS-2"]),
  cost_per_message: z.number().describe("Estimated cost of one text, in USD"),
  cost_total: z.number(),
  missing_variables: z.array(z.string()).describe("Variables some recipients have no value for"),
  unknown_variables: z.array(z.string()),
  sample: z.string().describe("The text as the first recipient gets it"),
});
export type BroadcastPreview = z.infer<typeof BroadcastPreview>;

/** A broadcast with its progress. */
export const Broadcast = z.object({
  id: z.guid(),
  name: z.string(),
  body: z.string(),
  state: z.enum(["running", "paused", "canceled", "finished"]),
  created_at: z.string(),
  finished_at: z.string().nullable(),
  progress: z.object({
    total: z.number().int(),
    pending: z.number().int().describe("Not handed to the queue yet"),
    queued: z.number().int(),
    sent: z.number().int(),
    delivered: z.number().int(),
    failed: z.number().int(),
    replied: z.number().int(),
    skipped: z.number().int(),
    canceled: z.number().int(),
  }),
  skipped: z.record(z.string(), z.number().int()).describe("Skipped recipients by reason"),
});
export type Broadcast = z.infer<typeof Broadcast>;

/** Body of POST /api/broadcasts/:id/control. */
export const BroadcastControl = z.object({
  action: z.enum(["pause", "resume", "cancel"], {
    error: "action must be pause, resume or cancel",
  }),
});
