import { z } from "zod";
import { define } from "@/lib/web/define.ts";
import { readJson } from "@/lib/web/input.ts";
import { actorOf } from "@/lib/auth/principal.ts";
import { clientIp } from "@/lib/web/session_cookie.ts";
import { SavedReply, SavedReplyInput, SavedReplyList } from "@/lib/saved_replies/schemas.ts";
import { createSavedReply, listSavedReplies } from "@/lib/saved_replies/service.ts";

export const handler = define.handlers({
  async GET(c) {
    const { sql, settings } = c.var.app;
    return c.json(await listSavedReplies(sql, settings, c.var.principal.userId));
  },
  async POST(c) {
    const input = await readJson(c, SavedReplyInput);
    const actor = actorOf(c.var.principal, clientIp(c));
    return c.json({ saved_reply: await createSavedReply(c.var.app.sql, input, actor) }, 201);
  },
});

export const docs = define.docs({
  GET: {
    summary: "The team's saved replies, and the values of {{agent.name}} and {{business.name}}",
    tags: ["saved replies"],
    responses: { 200: { description: "Saved replies", schema: SavedReplyList } },
  },
  POST: {
    summary:
      "Save a reply (variables: {{contact.first_name}}, {{agent.name}}, {{business.name}} …)",
    tags: ["saved replies"],
    body: SavedReplyInput,
    responses: {
      201: { description: "Saved", schema: z.object({ saved_reply: SavedReply }) },
      400: { description: "Bad input or an unknown variable, in words" },
      409: { description: "The title is taken" },
    },
  },
});
