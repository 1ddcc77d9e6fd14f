import { z } from "zod";
import { define } from "@/lib/web/define.ts";
import { readJson, uuidParam } from "@/lib/web/input.ts";
import { actorOf } from "@/lib/auth/principal.ts";
import { clientIp } from "@/lib/web/session_cookie.ts";
import { WebhookEndpoint, WebhookPatch } from "@/lib/webhooks/schemas.ts";
import { deleteEndpoint, updateEndpoint } from "@/lib/webhooks/service.ts";

export const adminOnly = true;

export const handler = define.handlers({
  async PATCH(c) {
    const id = uuidParam(c, "webhook");
    const patch = await readJson(c, WebhookPatch);
    const actor = actorOf(c.var.principal, clientIp(c));
    return c.json({ endpoint: await updateEndpoint(c.var.app.sql, id, patch, actor) });
  },
  async DELETE(c) {
    const id = uuidParam(c, "webhook");
    await deleteEndpoint(c.var.app.sql, id, actorOf(c.var.principal, clientIp(c)));
    return c.json({ success: true });
  },
});

export const docs = define.docs({
  PATCH: {
    summary: "Admins: change an endpoint's URL or events, or disable or enable it",
    tags: ["webhooks"],
    body: WebhookPatch,
    responses: {
      200: { description: "Changed", schema: z.object({ endpoint: WebhookEndpoint }) },
      404: { description: "No such endpoint" },
    },
  },
  DELETE: {
    summary: "Admins: remove an endpoint and its delivery log",
    tags: ["webhooks"],
    responses: { 200: { description: "Removed" }, 404: { description: "No such endpoint" } },
  },
});
