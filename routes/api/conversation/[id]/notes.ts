import { z } from "zod";
import { define } from "@/lib/web/define.ts";
import { readJson, uuidParam } from "@/lib/web/input.ts";
import { clientIp } from "@/lib/web/session_cookie.ts";
import { actorOf } from "@/lib/auth/principal.ts";
import { Note, NoteInput, NoteList } from "@/lib/conversations/team_schemas.ts";
import { addNote, listNotes } from "@/lib/conversations/notes.ts";

export const handler = define.handlers({
  async GET(c) {
    return c.json({ notes: await listNotes(c.var.app.sql, uuidParam(c, "conversation")) });
  },
  async POST(c) {
    const conversationId = uuidParam(c, "conversation");
    const { body } = await readJson(c, NoteInput);
    const note = await addNote(c.var.app.sql, {
      conversationId,
      body,
      actor: actorOf(c.var.principal, clientIp(c)),
    });
    return c.json({ success: true, note }, 201);
  },
});

export const docs = define.docs({
  GET: {
    summary: "A conversation's internal notes and system lines, oldest first (the newest 500)",
    tags: ["notes"],
    responses: { 200: { description: "Notes and system lines", schema: NoteList } },
  },
  POST: {
    summary: "Add an internal note (never sent to the customer); @name mentions notify teammates",
    tags: ["notes"],
    body: NoteInput,
    responses: {
      201: { description: "Added", schema: z.object({ success: z.literal(true), note: Note }) },
      404: { description: "No such conversation" },
    },
  },
});
