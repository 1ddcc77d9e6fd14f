import { z } from "zod";
import { define } from "@/lib/web/define.ts";
import { readJson, uuidParam } from "@/lib/web/input.ts";
import { editScheduled } from "@/lib/messages/scheduled.ts";
import { EditScheduledInput, Message } from "@/lib/messages/schemas.ts";
import { actorOf } from "@/lib/auth/principal.ts";
import { clientIp } from "@/lib/web/session_cookie.ts";
import { getMessage } from "@/lib/messages/service.ts";

export const handler = define.handlers({
  async GET(c) {
    return c.json({ message: await getMessage(c.var.app.sql, uuidParam(c, "message")) });
  },
  async PATCH(c) {
    const { sql } = c.var.app;
    const id = uuidParam(c, "message");
    const change = await readJson(c, EditScheduledInput);
    await editScheduled(
      sql,
      { kind: "message", id },
      change,
      actorOf(c.var.principal, clientIp(c)),
    );
    return c.json({ message: await getMessage(sql, id) });
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
  PATCH: {
    summary: "Change a scheduled message's text or time before it leaves",
    tags: ["messages"],
    body: EditScheduledInput,
    responses: {
      200: { description: "The message as it now stands", schema: z.object({ message: Message }) },
      400: { description: "Not scheduled, or a bad time" },
      404: { description: "No such message" },
      409: { description: "It has already left or was cancelled" },
    },
  },
});
