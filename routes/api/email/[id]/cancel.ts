import { z } from "zod";
import { define } from "@/lib/web/define.ts";
import { uuidParam } from "@/lib/web/input.ts";
import { cancelScheduled } from "@/lib/messages/scheduled.ts";
import { Email } from "@/lib/emails/schemas.ts";
import { getEmail } from "@/lib/emails/service.ts";
import { actorOf } from "@/lib/auth/principal.ts";
import { clientIp } from "@/lib/web/session_cookie.ts";

export const handler = define.handlers({
  async POST(c) {
    const { sql } = c.var.app;
    const id = uuidParam(c, "email");
    await cancelScheduled(sql, { kind: "email", id }, actorOf(c.var.principal, clientIp(c)));
    return c.json({ email: await getEmail(sql, id) });
  },
});

export const docs = define.docs({
  POST: {
    summary: "Cancel a scheduled email before it leaves (it stays in the thread, marked cancelled)",
    tags: ["emails"],
    responses: {
      200: { description: "The cancelled email", schema: z.object({ email: Email }) },
      400: { description: "It was not scheduled" },
      404: { description: "No such email" },
      409: { description: "It has already left or was cancelled" },
    },
  },
});
