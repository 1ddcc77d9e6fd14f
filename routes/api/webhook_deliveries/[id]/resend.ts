import { z } from "zod";
import { define } from "@/lib/web/define.ts";
import { uuidParam } from "@/lib/web/input.ts";
import { actorOf } from "@/lib/auth/principal.ts";
import { clientIp } from "@/lib/web/session_cookie.ts";
import { WebhookDelivery } from "@/lib/webhooks/schemas.ts";
import { resendDelivery } from "@/lib/webhooks/service.ts";

export const adminOnly = true;

export const handler = define.handlers({
  async POST(c) {
    const id = uuidParam(c, "delivery");
    const actor = actorOf(c.var.principal, clientIp(c));
    return c.json({ delivery: await resendDelivery(c.var.app.sql, id, actor) }, 202);
  },
});

export const docs = define.docs({
  POST: {
    summary: "Admins: send a delivery's payload again (a new delivery, with its own webhook-id)",
    tags: ["webhooks"],
    responses: {
      202: { description: "Queued", schema: z.object({ delivery: WebhookDelivery }) },
      404: { description: "No such delivery" },
    },
  },
});
