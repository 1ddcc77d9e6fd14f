import { z } from "zod";
import { define } from "@/lib/web/define.ts";
import { uuidParam } from "@/lib/web/input.ts";
import { Message } from "@/lib/messages/schemas.ts";
import { getMessage } from "@/lib/messages/service.ts";

export const handler = define.handlers({
  async GET(c) {
    return c.json({ message: await getMessage(c.var.app.sql, uuidParam(c, "message")) });
  },
});

export const docs = define.docs({
  GET: {
    summary: "One message with its delivery status",
    tags: ["messages"],
    responses: {
      200: { description: "The message", schema: z.object({ message: Message }) },
      404: { description: "No such message" },
    },
  },
});
