import { define } from "@/lib/web/define.ts";
import { readQuery } from "@/lib/web/input.ts";
import { ConversationList, ConversationListQuery } from "@/lib/conversations/schemas.ts";
import { listConversations } from "@/lib/conversations/service.ts";

export const handler = define.handlers({
  async GET(c) {
    const query = readQuery(c, ConversationListQuery);
    const { sql, settings } = c.var.app;
    return c.json(
      await listConversations(sql, {
        ...query,
        userId: c.var.principal.userId,
        country: settings.HATCH_DEFAULT_COUNTRY,
      }),
    );
  },
});

export const docs = define.docs({
  GET: {
    summary:
      "List conversations, newest activity first (keyset-paged with before=next_cursor), in a view (mine, unassigned, open, snoozed, closed) and/or with a label",
    tags: ["conversations"],
    query: ConversationListQuery,
    responses: { 200: { description: "A page of conversations", schema: ConversationList } },
  },
});
