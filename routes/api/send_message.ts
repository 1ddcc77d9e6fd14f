import { z } from "zod";
import { define } from "@/lib/web/define.ts";
import { readJson } from "@/lib/web/input.ts";
import { idempotent } from "@/lib/idempotency/service.ts";
import { clientIp } from "@/lib/web/session_cookie.ts";
import { actorOf, principalKey } from "@/lib/auth/principal.ts";
import { takeSend } from "@/lib/auth/rate_limit.ts";
import { SendMessageInput, SendMessageResult } from "@/lib/messages/schemas.ts";
import { sendMessage } from "@/lib/messages/service.ts";

export const handler = define.handlers({
  async POST(c) {
    const { sql, settings, sends } = c.var.app;
    const principal = c.var.principal;
    takeSend(principalKey(principal), settings.HATCH_SEND_RATE_PER_MINUTE);
    const input = await readJson(c, SendMessageInput);
    const answer = await idempotent(
      sql,
      {
        scope: `send_message:${principalKey(principal)}`,
        key: c.req.header("idempotency-key"),
        request: input,
      },
      async (tx) => ({
        status: 202,
        // The audit row is written in the send's own statement.
        body: await sendMessage(tx, settings, input, {
          actor: actorOf(principal, clientIp(c)),
          batch: sends,
        }),
      }),
    );
    return c.json(answer.body as SendMessageResult, answer.status as 202);
  },
});

const Failure = z.object({ success: z.literal(false), error: z.string() });

export const docs = define.docs({
  POST: {
    summary:
      "Send a message: phone numbers go out by SMS, plain names are stored as in-app chat. Answers at once; delivery continues in a worker. Honours Idempotency-Key",
    tags: ["messages"],
    body: SendMessageInput,
    responses: {
      202: { description: "Accepted", schema: SendMessageResult },
      400: { description: "Bad input, in words", schema: Failure },
      404: { description: "Unknown conversation_id", schema: Failure },
      422: { description: "Same Idempotency-Key with another body", schema: Failure },
    },
  },
});
