import { define } from "@/lib/web/define.ts";
import { uuidParam } from "@/lib/web/input.ts";
import { SendMessageResult } from "@/lib/messages/schemas.ts";
import { retryMessage } from "@/lib/messages/service.ts";
import { clientIp } from "@/lib/web/session_cookie.ts";
import { actorOf, principalKey } from "@/lib/auth/principal.ts";
import { takeSend } from "@/lib/auth/rate_limit.ts";

export const handler = define.handlers({
  async POST(c) {
    const { sql, settings } = c.var.app;
    const principal = c.var.principal;
    takeSend(principalKey(principal), settings.HATCH_SEND_RATE_PER_MINUTE);
    const actor = actorOf(principal, clientIp(c));
    const result = await retryMessage(sql, settings, uuidParam(c, "message"), { actor });
    return c.json(result, 202);
  },
});

export const docs = define.docs({
  POST: {
    summary: "Send a failed message's text again, as a new message",
    tags: ["messages"],
    responses: {
      202: { description: "Queued again", schema: SendMessageResult },
      400: { description: "The message has not failed" },
      404: { description: "No such message" },
    },
  },
});
