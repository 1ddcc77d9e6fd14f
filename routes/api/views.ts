import { define } from "@/lib/web/define.ts";
import { ViewCounts } from "@/lib/conversations/team_schemas.ts";
import { viewCounts } from "@/lib/conversations/views.ts";

export const handler = define.handlers({
  async GET(c) {
    return c.json(await viewCounts(c.var.app.sql, c.var.principal.userId));
  },
});

export const docs = define.docs({
  GET: {
    summary: "How many conversations each view holds (mine: yours)",
    tags: ["conversations"],
    responses: { 200: { description: "Counts per view and per label", schema: ViewCounts } },
  },
});
