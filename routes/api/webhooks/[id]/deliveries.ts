import { z } from "zod";
import { define } from "@/lib/web/define.ts";
import { uuidParam } from "@/lib/web/input.ts";
import { WebhookDelivery } from "@/lib/webhooks/schemas.ts";
import { listDeliveries } from "@/lib/webhooks/service.ts";

export const adminOnly = true;

export const handler = define.handlers({
  async GET(c) {
    return c.json({ deliveries: await listDeliveries(c.var.app.sql, uuidParam(c, "webhook")) });
  },
});

export const docs = define.docs({
  GET: {
    summary: "Admins: an endpoint's newest deliveries, with the status and body it answered",
    tags: ["webhooks"],
    responses: {
      200: {
        description: "The delivery log",
        schema: z.object({ deliveries: z.array(WebhookDelivery) }),
      },
      404: { description: "No such endpoint" },
    },
  },
});
