import { z } from "zod";
import { define } from "@/lib/web/define.ts";
import { readJson } from "@/lib/web/input.ts";
import { clientIp } from "@/lib/web/session_cookie.ts";
import { actorOf } from "@/lib/auth/principal.ts";
import { BulkPatch } from "@/lib/conversations/team_schemas.ts";
import { updateConversations } from "@/lib/conversations/team.ts";

export const handler = define.handlers({
  async POST(c) {
    const { ids, change } = await readJson(c, BulkPatch);
    await updateConversations(c.var.app.sql, {
      ids,
      patch: change,
      actor: actorOf(c.var.principal, clientIp(c)),
    });
    return c.json({ success: true, updated: new Set(ids).size });
  },
});

export const docs = define.docs({
  POST: {
    summary: "Change several conversations at once (close, assign, label): all or none",
    tags: ["conversations"],
    body: BulkPatch,
    responses: {
      200: {
        description: "Changed",
        schema: z.object({ success: z.literal(true), updated: z.number().int() }),
      },
      404: { description: "One of them does not exist (none changed)" },
    },
  },
});
