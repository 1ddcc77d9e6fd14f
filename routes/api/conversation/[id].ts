import { z } from "zod";
import { define } from "../../../lib/web/define.ts";
import { uuidParam } from "../../../lib/web/input.ts";
import { Conversation } from "../../../lib/conversations/schemas.ts";
import { getConversation } from "../../../lib/conversations/service.ts";

export const handler = define.handlers({
  async GET(c) {
    const id = uuidParam(c, "conversation");
    return c.json({ conversation: await getConversation(c.var.app.sql, id) });
  },
});

export const docs = define.docs({
  GET: {
    summary: "One conversation",
    tags: ["conversations"],
    responses: {
      200: { description: "The conversation", schema: z.object({ conversation: Conversation }) },
      404: { description: "No such conversation" },
    },
  },
});
