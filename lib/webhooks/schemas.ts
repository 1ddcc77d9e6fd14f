import { z } from "zod";

/** The events an endpoint can subscribe to. */
export const WEBHOOK_EVENTS = [
  "message.received",
  "message.status",
  "email.received",
  "email.status",
  "broadcast.finished",
  "conversation.assigned",
  "conversation.closed",
] as const;

/** Body of POST /api/webhooks. */
export const WebhookInput = z.object({
  url: z.url({ protocol: /^https?$/, error: "url must be an http(s) URL" }),
  events: z.array(z.enum(WEBHOOK_EVENTS, {
    error: `events: each one of ${WEBHOOK_EVENTS.join(", ")}`,
  })).min(1, "events is empty: subscribe to at least one"),
});
export type WebhookInput = z.infer<typeof WebhookInput>;

/** Body of PATCH /api/webhooks/:id. */
export const WebhookPatch = z.object({
  url: WebhookInput.shape.url.optional(),
  events: WebhookInput.shape.events.optional(),
  enabled: z.boolean().optional().describe("false disables the endpoint; true enables it again"),
});

/** An endpoint as the API shows it (its secret only when created or rotated). */
export const WebhookEndpoint = z.object({
  id: z.guid(),
  url: z.string(),
  events: z.array(z.string()),
  disabled_at: z.string().nullable(),
  disabled_reason: z.string().nullable(),
  failing_since: z.string().nullable(),
  previous_secret_until: z.string().nullable(),
  created_at: z.string(),
});
export type WebhookEndpoint = z.infer<typeof WebhookEndpoint>;

/** One delivery with what the endpoint answered. */
export const WebhookDelivery = z.object({
  id: z.guid().describe("Also the webhook-id header"),
  event_type: z.string(),
  state: z.enum(["pending", "succeeded", "failed"]),
  attempts: z.number().int(),
  response_status: z.number().int().nullable(),
  response_body: z.string().nullable(),
  error: z.string().nullable(),
  last_attempt_at: z.string().nullable(),
  created_at: z.string(),
});
export type WebhookDelivery = z.infer<typeof WebhookDelivery>;
