import { define } from "@/lib/web/define.ts";
import {
  checkInboundSecret,
  MAX_INBOUND_BYTES,
  readBodyBytes,
} from "@/lib/web/sendgrid_webhook.ts";
import { BadRequestError } from "@/lib/errors.ts";
import { InboundParseError, parseInboundPost } from "@/lib/providers/sendgrid_inbound.ts";
import { receiveInboundEmail } from "@/lib/emails/inbound.ts";

// The secret in the URL SendGrid's Inbound Parse is configured with, not a login, authenticates
// this route (Inbound Parse signs nothing).
export const open = true;

// SendGrid does not retry a 4xx: every email it can post must fit (see MAX_INBOUND_BYTES).
export const maxBodyBytes = MAX_INBOUND_BYTES;

export const handler = define.handlers({
  async POST(c) {
    const { sql, settings } = c.var.app;
    // Before reading a byte of the body: an unauthenticated post costs nothing.
    await checkInboundSecret(c);
    const body = await readBodyBytes(c, MAX_INBOUND_BYTES);
    const email = await parseInboundPost(body, c.req.header("content-type")).catch((e) => {
      throw e instanceof InboundParseError ? new BadRequestError(e.message) : e;
    });
    const result = await receiveInboundEmail(sql, settings, email);
    return c.json({ success: true, ...result }, 200);
  },
});
