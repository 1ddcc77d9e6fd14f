// Internal notes: rows of their own in the thread, never handed to a provider (nothing here
// queues a delivery job), with @mentions of teammates. System lines share the table; the
// conversations' trigger writes them.
import type { Tx } from "@/lib/db/connect.ts";
import { type Actor, audit } from "@/lib/auth/audit.ts";
import { NotFoundError } from "@/lib/errors.ts";
import type { Note, Teammate } from "./team_schemas.ts";

// deno-lint-ignore no-explicit-any -- a notes row, shaped by toNote
type Row = Record<string, any>;

function toNote(r: Row): Note {
  return {
    id: r.id,
    conversation_id: r.conversation_id,
    kind: r.kind,
    author_id: r.author_id,
    body: r.body,
    mentions: r.mentions ?? [],
    detail: r.detail ?? {},
    created_at: new Date(r.created_at).toISOString(),
  };
}

/** The handles a teammate answers to after `@`: first name, full name run together, email's local part. */
export function handlesOf(user: Pick<Teammate, "name" | "email">): string[] {
  const name = user.name.trim().toLowerCase();
  const handles = [user.email.split("@")[0].toLowerCase()];
  if (name) handles.push(name.split(/\s+/)[0], name.replace(/\s+/g, ""));
  return [...new Set(handles)];
}

/** The teammates a note's text mentions with `@handle`. */
export function mentionedIn(body: string, team: Teammate[]): string[] {
  const words = new Set(
    [...body.matchAll(/(?:^|[^\p{L}\p{N}_])@([\p{L}\p{N}._-]+)/gu)].map((m) =>
      m[1].toLowerCase().replace(/[.]+$/, "")
    ),
  );
  return team.filter((u) => handlesOf(u).some((h) => words.has(h))).map((u) => u.id);
}

/** The enabled users, by name: whom one can assign and mention. */
export async function listTeammates(sql: Tx): Promise<Teammate[]> {
  return await sql<Teammate[]>`
    select id, name, email from users where disabled_at is null
    order by lower(coalesce(nullif(name, ''), email)), id`;
}

/** Adds a note to a conversation; mentioned teammates hear of it through its event. */
export async function addNote(
  sql: Tx,
  options: { conversationId: string; body: string; actor: Actor },
): Promise<Note> {
  const { conversationId, body, actor } = options;
  return await sql.begin(async (tx) => {
    const [conv] = await tx`select id from conversations where id = ${conversationId}`;
    if (!conv) throw new NotFoundError(`Conversation "${conversationId}" not found`);
    const mentions = mentionedIn(body, await listTeammates(tx));
    const [row] = await tx`
      insert into notes (conversation_id, kind, author_id, body, mentions)
      values (${conversationId}, 'note', ${actor.userId ?? null}, ${body}, ${mentions}::uuid[])
      returning *`;
    await audit(tx, actor, "note.created", {
      target: conversationId,
      detail: { note_id: row.id, mentions },
    });
    return toNote(row);
  });
}

/** A conversation's notes and system lines, oldest first (the newest 500). */
export async function listNotes(sql: Tx, conversationId: string): Promise<Note[]> {
  const rows = await sql`
    select * from (
      select * from notes where conversation_id = ${conversationId}
      order by created_at desc, id desc limit 500) n
    order by created_at, id`;
  return rows.map(toNote);
}

/** One note, or a 404 naming it. */
export async function getNote(sql: Tx, id: string): Promise<Note> {
  const [row] = await sql`select * from notes where id = ${id}`;
  if (!row) throw new NotFoundError(`Note "${id}" not found`);
  return toNote(row);
}
