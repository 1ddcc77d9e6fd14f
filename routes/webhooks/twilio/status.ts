import { define } from "@/lib/web/define.ts";
import { readTwilioWebhook } from "@/lib/web/twilio_webhook.ts";
import { BadRequestError } from "@/lib/errors.ts";
import { parseStatusCallback } from "@/lib/providers/twilio_webhooks.ts";

// Twilio's signature, not a login, authenticates this route.
export const open = true;

export const handler = define.handlers({
  async POST(c) {
    const form = await readTwilioWebhook(c);
    const report = parseStatusCallback(form);
    if (!report) {
      throw new BadRequestError("Not a status callback: MessageSid and MessageStatus are required");
    }
    // Unknown sids and statuses that do not move forward are fine: answered 204 all the same,
    // once the report is stored (with the others that arrived meanwhile).
    await c.var.app.reports.store({
      provider: "twilio",
      providerMessageId: report.sid,
      status: report.hatchStatus,
      errorCode: report.errorCode,
      errorMessage: report.errorMessage,
      optedOut: report.optedOut,
    });
    return c.body(null, 204);
  },
});
