import { z } from "zod";
import { define } from "@/lib/web/define.ts";
import { readJson, uuidParam } from "@/lib/web/input.ts";
import { actorOf } from "@/lib/auth/principal.ts";
import { clientIp } from "@/lib/web/session_cookie.ts";
import { SavedReply, SavedReplyInput } from "@/lib/saved_replies/schemas.ts";
import { deleteSavedReply, updateSavedReply } from "@/lib/saved_replies/service.ts";

export const handler = define.handlers({
  async PATCH(c) {
    const id = uuidParam(c, "saved reply");
    const input = await readJson(c, SavedReplyInput);
    const actor = actorOf(c.var.principal, clientIp(c));
    return c.json({ saved_reply: await updateSavedReply(c.var.app.sql, id, input, actor) });
  },
  async DELETE(c) {
    const id = uuidParam(c, "saved reply");
    await deleteSavedReply(c.var.app.sql, id, actorOf(c.var.principal, clientIp(c)));
    return c.json({ success: true });
  },
});

export const docs = define.docs({
  PATCH: {
    summary: "Change a saved reply's title and text",
    tags: ["saved replies"],
    body: SavedReplyInput,
    responses: {
      200: { description: "Changed", schema: z.object({ saved_reply: SavedReply }) },
      404: { description: "No such saved reply" },
      409: { description: "The title is taken" },
    },
  },
  DELETE: {
    summary: "Delete a saved reply",
    tags: ["saved replies"],
    responses: { 200: { description: "Deleted" }, 404: { description: "No such saved reply" } },
  },
});
