import { define } from "@/lib/web/define.ts";
import { readQuery } from "@/lib/web/input.ts";
import { SearchQuery, SearchResults } from "@/lib/search/schemas.ts";
import { Failure } from "@/lib/contacts/schemas.ts";
import { search } from "@/lib/search/service.ts";

export const handler = define.handlers({
  async GET(c) {
    const query = readQuery(c, SearchQuery);
    return c.json(await search(c.var.app.sql, query));
  },
});

export const docs = define.docs({
  GET: {
    summary:
      "Full-text search over message bodies and email subjects and bodies, newest first (keyset-paged with before=next_cursor)",
    tags: ["search"],
    query: SearchQuery,
    responses: {
      200: { description: "A page of matches", schema: SearchResults },
      400: { description: "Bad input, in words (an empty q among them)", schema: Failure },
      404: { description: "No such contact", schema: Failure },
    },
  },
});
