import { z } from "zod";
import { define } from "@/lib/web/define.ts";
import { readJson, uuidParam } from "@/lib/web/input.ts";
import { PresenceInput } from "@/lib/conversations/team_schemas.ts";
import { announcePresence } from "@/lib/realtime/presence.ts";

export const handler = define.handlers({
  async POST(c) {
    const id = uuidParam(c, "conversation");
    const { state } = await readJson(c, PresenceInput);
    await announcePresence(c.var.app.sql, {
      conversation_id: id,
      user_id: c.var.principal.userId,
      state,
    });
    return c.json({ success: true });
  },
});

export const docs = define.docs({
  POST: {
    summary:
      "Say you are viewing or typing in a conversation (or left it): streams get a presence event, never stored nor replayed; repeat every 2 s while it holds",
    tags: ["conversations"],
    body: PresenceInput,
    responses: {
      200: { description: "Announced", schema: z.object({ success: z.literal(true) }) },
    },
  },
});
