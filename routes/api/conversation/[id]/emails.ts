import { define } from "@/lib/web/define.ts";
import { readQuery, uuidParam } from "@/lib/web/input.ts";
import { EmailPage, EmailPageQuery } from "@/lib/emails/schemas.ts";
import { listEmails } from "@/lib/emails/service.ts";

export const handler = define.handlers({
  async GET(c) {
    const id = uuidParam(c, "conversation");
    const query = readQuery(c, EmailPageQuery);
    return c.json(await listEmails(c.var.app.sql, id, query));
  },
});

export const docs = define.docs({
  GET: {
    summary: "A conversation's emails: the newest page first, oldest first within a page",
    tags: ["emails"],
    query: EmailPageQuery,
    responses: {
      200: { description: "A page of emails", schema: EmailPage },
      404: { description: "No such conversation" },
    },
  },
});
