import { define } from "@/lib/web/define.ts";
import { readQuery, uuidParam } from "@/lib/web/input.ts";
import { Failure, Timeline, TimelineQuery } from "@/lib/contacts/schemas.ts";
import { contactTimeline } from "@/lib/contacts/service.ts";

export const handler = define.handlers({
  async GET(c) {
    const id = uuidParam(c, "contact");
    const query = readQuery(c, TimelineQuery);
    return c.json(await contactTimeline(c.var.app.sql, id, query));
  },
});

export const docs = define.docs({
  GET: {
    summary:
      "A contact's SMS, chat and email in one list, newest first (keyset-paged with before=next_cursor)",
    tags: ["contacts"],
    query: TimelineQuery,
    responses: {
      200: { description: "A page of the timeline", schema: Timeline },
      400: { description: "Bad input, in words", schema: Failure },
      404: { description: "No such contact", schema: Failure },
    },
  },
});
