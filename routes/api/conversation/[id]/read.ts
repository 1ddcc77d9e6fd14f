import { z } from "zod";
import { define } from "@/lib/web/define.ts";
import { uuidParam } from "@/lib/web/input.ts";
import { markConversationRead } from "@/lib/conversations/service.ts";

export const handler = define.handlers({
  async POST(c) {
    await markConversationRead(
      c.var.app.sql,
      uuidParam(c, "conversation"),
      c.var.principal.userId,
    );
    return c.json({ success: true });
  },
});

export const docs = define.docs({
  POST: {
    summary: "Mark a conversation read for you (read state is per user)",
    tags: ["conversations"],
    responses: {
      200: { description: "Done", schema: z.object({ success: z.literal(true) }) },
      404: { description: "No such conversation" },
    },
  },
});
