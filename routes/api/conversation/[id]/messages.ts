import { define } from "@/lib/web/define.ts";
import { readQuery, uuidParam } from "@/lib/web/input.ts";
import { MessagePage, MessagePageQuery } from "@/lib/messages/schemas.ts";
import { listMessages } from "@/lib/messages/service.ts";

export const handler = define.handlers({
  async GET(c) {
    const id = uuidParam(c, "conversation");
    const query = readQuery(c, MessagePageQuery);
    return c.json(await listMessages(c.var.app.sql, id, query));
  },
});

export const docs = define.docs({
  GET: {
    summary: "A conversation's messages: the newest page first, oldest first within a page",
    tags: ["messages"],
    query: MessagePageQuery,
    responses: {
      200: { description: "A page of messages", schema: MessagePage },
      404: { description: "No such conversation" },
    },
  },
});
