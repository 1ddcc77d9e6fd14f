import { define } from "@/lib/web/define.ts";
import { uuidParam } from "@/lib/web/input.ts";
import { ConversationAnswer } from "@/lib/conversations/schemas.ts";
import { getConversation } from "@/lib/conversations/service.ts";
import { optOutOf } from "@/lib/messages/opt_outs.ts";

export const handler = define.handlers({
  async GET(c) {
    const id = uuidParam(c, "conversation");
    const { sql } = c.var.app;
    const conversation = await getConversation(sql, id);
    const [ours, theirs] = conversation.participants;
    const out = conversation.channel === "sms" ? await optOutOf(sql, ours, theirs) : undefined;
    return c.json({
      conversation,
      opt_out: out ? { keyword: out.keyword, opted_out_at: out.opted_out_at.toISOString() } : null,
    });
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
});
