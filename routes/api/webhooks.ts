import { z } from "zod";
import { define } from "@/lib/web/define.ts";
import { readJson } from "@/lib/web/input.ts";
import { actorOf } from "@/lib/auth/principal.ts";
import { clientIp } from "@/lib/web/session_cookie.ts";
import { WebhookEndpoint, WebhookInput } from "@/lib/webhooks/schemas.ts";
import { createEndpoint, listEndpoints } from "@/lib/webhooks/service.ts";

export const adminOnly = true;

export const handler = define.handlers({
  async GET(c) {
    return c.json({ webhooks: await listEndpoints(c.var.app.sql) });
  },
  async POST(c) {
    const input = await readJson(c, WebhookInput);
    const actor = actorOf(c.var.principal, clientIp(c));
    return c.json(await createEndpoint(c.var.app.sql, input, actor), 201);
  },
});

export const docs = define.docs({
  GET: {
    summary: "Admins: the outgoing webhook endpoints",
    tags: ["webhooks"],
    responses: {
      200: { description: "Endpoints", schema: z.object({ webhooks: z.array(WebhookEndpoint) }) },
    },
  },
  POST: {
    summary:
      "Admins: subscribe a URL to events; deliveries are signed per Standard Webhooks with the secret answered here (shown once)",
    tags: ["webhooks"],
    body: WebhookInput,
    responses: {
      201: {
        description: "Subscribed",
        schema: z.object({ endpoint: WebhookEndpoint, secret: z.string() }),
      },
      400: { description: "Bad input, in words" },
    },
  },
});
