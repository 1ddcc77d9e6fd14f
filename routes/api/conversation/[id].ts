import { define } from "@/lib/web/define.ts";
import { z } from "zod";
import { readJson, uuidParam } from "@/lib/web/input.ts";
import { clientIp } from "@/lib/web/session_cookie.ts";
import { actorOf } from "@/lib/auth/principal.ts";
import { Conversation, ConversationAnswer } from "@/lib/conversations/schemas.ts";
import { ConversationPatch } from "@/lib/conversations/team_schemas.ts";
import { updateConversation } from "@/lib/conversations/team.ts";
import { getConversation } from "@/lib/conversations/service.ts";
import { optOutOf } from "@/lib/messages/opt_outs.ts";

export const handler = define.handlers({
  async GET(c) {
    const id = uuidParam(c, "conversation");
    const { sql } = c.var.app;
    const conversation = await getConversation(sql, id, c.var.principal.userId);
    const [ours, theirs] = conversation.participants;
    const out = conversation.channel === "sms" ? await optOutOf(sql, ours, theirs) : undefined;
    return c.json({
      conversation,
      opt_out: out ? { keyword: out.keyword, opted_out_at: out.opted_out_at.toISOString() } : null,
    });
  },
  async PATCH(c) {
    const id = uuidParam(c, "conversation");
    const patch = await readJson(c, ConversationPatch);
    const conversation = await updateConversation(c.var.app.sql, {
      id,
      patch,
      actor: actorOf(c.var.principal, clientIp(c)),
    });
    return c.json({ success: true, conversation });
  },
});

export const docs = define.docs({
  GET: {
    summary: "One conversation",
    tags: ["conversations"],
    responses: {
      200: {
        description: "The conversation, and whether its SMS recipient opted out",
        schema: ConversationAnswer,
      },
      404: { description: "No such conversation" },
    },
  },
  PATCH: {
    summary:
      "Change a conversation's state (open, snoozed with snoozed_until, closed), assignee or labels",
    tags: ["conversations"],
    body: ConversationPatch,
    responses: {
      200: {
        description: "Changed; a system line and an audit entry say who did what",
        schema: z.object({ success: z.literal(true), conversation: Conversation }),
      },
      400: { description: "No such user or label, or a snooze time that has passed" },
      404: { description: "No such conversation" },
    },
  },
});
