import { z } from "zod";
import { define } from "@/lib/web/define.ts";
import { uuidParam } from "@/lib/web/input.ts";
import { actorOf } from "@/lib/auth/principal.ts";
import { clientIp } from "@/lib/web/session_cookie.ts";
import { WebhookEndpoint } from "@/lib/webhooks/schemas.ts";
import { rotateSecret, ROTATION_GRACE_HOURS } from "@/lib/webhooks/service.ts";

export const adminOnly = true;

export const handler = define.handlers({
  async POST(c) {
    const id = uuidParam(c, "webhook");
    return c.json(await rotateSecret(c.var.app.sql, id, actorOf(c.var.principal, clientIp(c))));
  },
});

export const docs = define.docs({
  POST: {
    summary:
      `Admins: a new signing secret (shown once); the old one also signs for ${ROTATION_GRACE_HOURS} hours`,
    tags: ["webhooks"],
    responses: {
      200: {
        description: "Rotated",
        schema: z.object({ endpoint: WebhookEndpoint, secret: z.string() }),
      },
      404: { description: "No such endpoint" },
    },
  },
});
