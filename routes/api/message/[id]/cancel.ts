import { z } from "zod";
import { define } from "@/lib/web/define.ts";
import { uuidParam } from "@/lib/web/input.ts";
import { cancelScheduled } from "@/lib/messages/scheduled.ts";
import { Message } from "@/lib/messages/schemas.ts";
import { getMessage } from "@/lib/messages/service.ts";
import { actorOf } from "@/lib/auth/principal.ts";
import { clientIp } from "@/lib/web/session_cookie.ts";

export const handler = define.handlers({
  async POST(c) {
    const { sql } = c.var.app;
    const id = uuidParam(c, "message");
    await cancelScheduled(sql, { kind: "message", id }, actorOf(c.var.principal, clientIp(c)));
    return c.json({ message: await getMessage(sql, id) });
  },
});

export const docs = define.docs({
  POST: {
    summary:
      "Cancel a scheduled message before it leaves (it stays in the thread, marked cancelled)",
    tags: ["messages"],
    responses: {
      200: { description: "The cancelled message", schema: z.object({ message: Message }) },
      400: { description: "It was not scheduled" },
      404: { description: "No such message" },
      409: { description: "It has already left or was cancelled" },
    },
  },
});
