import { define } from "@/lib/web/define.ts";
import { EMPTY_TWIML, readTwilioWebhook } from "@/lib/web/twilio_webhook.ts";
import { BadRequestError } from "@/lib/errors.ts";
import { parseInboundSms } from "@/lib/providers/twilio_webhooks.ts";
import { receiveInboundSms } from "@/lib/messages/service.ts";

// Twilio's signature, not a login, authenticates this route.
export const open = true;

export const handler = define.handlers({
  async POST(c) {
    const form = await readTwilioWebhook(c);
    const sms = parseInboundSms(form);
    if (!sms) {
      throw new BadRequestError("Not an inbound message: MessageSid, From and To are required");
    }
    // Answered once stored (with the texts that arrived meanwhile): Twilio sends again until then.
    await receiveInboundSms(c.var.app.sql, sms, { batch: c.var.app.inbound });
    return c.body(EMPTY_TWIML, 200, { "content-type": "text/xml" });
  },
});
