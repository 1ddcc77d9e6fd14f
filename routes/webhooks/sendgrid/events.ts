import { define } from "@/lib/web/define.ts";
import { MAX_EVENTS_BYTES, readSignedSendgridEvents } from "@/lib/web/sendgrid_webhook.ts";
import { BadRequestError } from "@/lib/errors.ts";
import { parseSendgridEvents } from "@/lib/providers/sendgrid_webhooks.ts";
import { applySendgridEvents } from "@/lib/emails/events.ts";

// SendGrid's ECDSA signature, not a login, authenticates this route.
export const open = true;

// SendGrid batches events into posts far below this.
export const maxBodyBytes = MAX_EVENTS_BYTES;

export const handler = define.handlers({
  async POST(c) {
    const body = await readSignedSendgridEvents(c);
    const events = await parseSendgridEvents(new TextDecoder().decode(body));
    if (!events) throw new BadRequestError("Not a SendGrid event batch: expected a JSON array");
    const summary = await applySendgridEvents(c.var.app.sql, events);
    return c.json({ success: true, ...summary }, 200);
  },
});
