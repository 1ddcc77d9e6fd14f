import type { Ctx } from "./define.ts";
import { ForbiddenError, PayloadTooLargeError } from "@/lib/errors.ts";
import { verifyTwilioSignature } from "@/lib/providers/twilio_webhooks.ts";
import { storableText } from "@/lib/db/text.ts";

// Twilio's webhook bodies are small forms; anything bigger is not Twilio.
const MAX_WEBHOOK_BYTES = 256_000;

/** An empty TwiML answer: "received, nothing to reply". */
export const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';

/**
 * Reads a Twilio webhook's form and checks its X-Twilio-Signature against the public URL
 * Twilio called (HATCH_PUBLIC_URL + path + query); throws 403 when it does not match.
 */
export async function readTwilioWebhook(c: Ctx): Promise<URLSearchParams> {
  const { settings } = c.var.app;
  const text = await c.req.text();
  if (text.length > MAX_WEBHOOK_BYTES) {
    throw new PayloadTooLargeError(
      `Webhook body is too large: the limit is ${MAX_WEBHOOK_BYTES} bytes`,
    );
  }
  const form = new URLSearchParams(text);
  const url = new URL(c.req.url);
  const signedUrl = `${settings.publicUrl}${url.pathname}${url.search}`;
  const ok = verifyTwilioSignature({
    authToken: settings.TWILIO_AUTH_TOKEN,
    url: signedUrl,
    form,
    signature: c.req.header("x-twilio-signature"),
  });
  if (!ok) {
    throw new ForbiddenError(
      settings.TWILIO_AUTH_TOKEN
        ? `Invalid X-Twilio-Signature for ${signedUrl}`
        : "Twilio webhooks need TWILIO_AUTH_TOKEN to check their signature",
    );
  }
  // Checked as sent; stored with U+FFFD for what PostgreSQL cannot hold (a NUL in a Body).
  return new URLSearchParams([...form].map(([k, v]) => [storableText(k), storableText(v)]));
}
