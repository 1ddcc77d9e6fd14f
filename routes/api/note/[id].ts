import { define } from "@/lib/web/define.ts";
import { uuidParam } from "@/lib/web/input.ts";
import { getNote } from "@/lib/conversations/notes.ts";
import { Note } from "@/lib/conversations/team_schemas.ts";
import { z } from "zod";

export const handler = define.handlers({
  async GET(c) {
    return c.json({ note: await getNote(c.var.app.sql, uuidParam(c, "note")) });
  },
});

export const docs = define.docs({
  GET: {
    summary: "One note or system line",
    tags: ["notes"],
    responses: {
      200: { description: "The note", schema: z.object({ note: Note }) },
      404: { description: "No such note" },
    },
  },
});
