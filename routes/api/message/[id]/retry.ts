import { define } from "../../../../lib/web/define.ts";
import { uuidParam } from "../../../../lib/web/input.ts";
import { SendMessageResult } from "../../../../lib/messages/schemas.ts";
import { retryMessage } from "../../../../lib/messages/service.ts";

export const handler = define.handlers({
  async POST(c) {
    const { sql, settings } = c.var.app;
    return c.json(await retryMessage(sql, settings, uuidParam(c, "message")), 202);
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
