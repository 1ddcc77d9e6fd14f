import { z } from "zod";
import { define } from "@/lib/web/define.ts";
import { readJson, uuidParam } from "@/lib/web/input.ts";
import { editScheduled } from "@/lib/messages/scheduled.ts";
import { EditScheduledInput } from "@/lib/messages/schemas.ts";
import { actorOf } from "@/lib/auth/principal.ts";
import { clientIp } from "@/lib/web/session_cookie.ts";
import { Email } from "@/lib/emails/schemas.ts";
import { getEmail } from "@/lib/emails/service.ts";

export const handler = define.handlers({
  async GET(c) {
    return c.json({ email: await getEmail(c.var.app.sql, uuidParam(c, "email")) });
  },
  async PATCH(c) {
    const { sql } = c.var.app;
    const id = uuidParam(c, "email");
    const change = await readJson(c, EditScheduledInput);
    await editScheduled(sql, { kind: "email", id }, change, actorOf(c.var.principal, clientIp(c)));
    return c.json({ email: await getEmail(sql, id) });
  },
});

export const docs = define.docs({
  GET: {
    summary: "One email with its delivery status",
    tags: ["emails"],
    responses: {
      200: { description: "The email", schema: z.object({ email: Email }) },
      404: { description: "No such email" },
    },
  },
  PATCH: {
    summary: "Change a scheduled email's text or time before it leaves",
    tags: ["emails"],
    body: EditScheduledInput,
    responses: {
      200: { description: "The email as it now stands", schema: z.object({ email: Email }) },
      400: { description: "Not scheduled, or a bad time" },
      404: { description: "No such email" },
      409: { description: "It has already left or was cancelled" },
    },
  },
});
