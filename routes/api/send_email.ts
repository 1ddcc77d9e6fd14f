import { z } from "zod";
import { define } from "@/lib/web/define.ts";
import { readJson } from "@/lib/web/input.ts";
import { idempotent } from "@/lib/idempotency/service.ts";
import { clientIp } from "@/lib/web/session_cookie.ts";
import { actorOf, principalKey } from "@/lib/auth/principal.ts";
import { takeSend } from "@/lib/auth/rate_limit.ts";
import { SendEmailInput, SendEmailResult } from "@/lib/emails/schemas.ts";
import { sendEmail } from "@/lib/emails/service.ts";

export const handler = define.handlers({
  async POST(c) {
    const { sql, settings } = c.var.app;
    const principal = c.var.principal;
    takeSend(principalKey(principal), settings.HATCH_SEND_RATE_PER_MINUTE);
    const input = await readJson(c, SendEmailInput);
    const answer = await idempotent(
      sql,
      {
        scope: `send_email:${principalKey(principal)}`,
        key: c.req.header("idempotency-key"),
        request: input,
      },
      async (tx) => ({
        status: 202,
        // The audit row is written in the send's own transaction.
        body: await sendEmail(tx, settings, input, { actor: actorOf(principal, clientIp(c)) }),
      }),
    );
    return c.json(answer.body as SendEmailResult, answer.status as 202);
  },
});

const Failure = z.object({ success: z.literal(false), error: z.string() });

export const docs = define.docs({
  POST: {
    summary:
      "Send an email; answers at once, delivery continues in a worker. Honours Idempotency-Key",
    tags: ["emails"],
    body: SendEmailInput,
    responses: {
      202: { description: "Accepted", schema: SendEmailResult },
      400: { description: "Bad input, in words", schema: Failure },
      413: { description: "Attachments too large", schema: Failure },
      422: { description: "Same Idempotency-Key with another body", schema: Failure },
    },
  },
});
