// Saved replies: shared by the team, managed in Settings, inserted from the composer.
import type { Tx } from "@/lib/db/connect.ts";
import type { Settings } from "@/lib/config.ts";
import { BadRequestError, ConflictError, NotFoundError } from "@/lib/errors.ts";
import { type Actor, audit } from "@/lib/auth/audit.ts";
import { fillTemplate } from "@/lib/shared/template.ts";
import { sharedValues } from "@/lib/broadcasts/service.ts";
import type { SavedReply, SavedReplyInput } from "./schemas.ts";

// deno-lint-ignore no-explicit-any -- a saved_replies row
function toReply(r: Record<string, any>): SavedReply {
  return {
    id: r.id,
    title: r.title,
    body: r.body,
    updated_at: new Date(r.updated_at).toISOString(),
  };
}

// A reply naming a variable that does not exist would always be sent with a gap.
function assertKnownVariables(body: string): void {
  const { unknown } = fillTemplate(body, {});
  if (unknown.length) {
    throw new BadRequestError(
      `body uses "{{${
        unknown[0]
      }}}", which is not a variable: use contact.name, contact.first_name, contact.last_name, contact.phone, agent.name or business.name`,
    );
  }
}

/** Every saved reply by title, and the values every conversation shares. */
export async function listSavedReplies(
  sql: Tx,
  settings: Settings,
  userId: string | undefined,
): Promise<{ saved_replies: SavedReply[]; values: Record<string, string> }> {
  const rows = await sql`select * from saved_replies order by lower(title), id`;
  return { saved_replies: rows.map(toReply), values: await sharedValues(sql, settings, userId) };
}

async function unique<T>(work: () => PromiseLike<T>, title: string): Promise<T> {
  try {
    return await work();
  } catch (e) {
    if ((e as { code?: string }).code === "23505") {
      throw new ConflictError(`A saved reply is already called "${title}": pick another title`);
    }
    throw e;
  }
}

/** Saves a new reply. */
export async function createSavedReply(
  sql: Tx,
  input: SavedReplyInput,
  actor: Actor,
): Promise<SavedReply> {
  assertKnownVariables(input.body);
  return await sql.begin(async (tx) => {
    const [row] = await unique(() =>
      tx`
      insert into saved_replies (title, body, created_by)
      values (${input.title}, ${input.body}, ${actor.userId ?? null}) returning *`, input.title);
    await audit(tx, actor, "saved_reply.created", { target: input.title });
    return toReply(row);
  });
}

/** Changes a reply's title and text. */
export async function updateSavedReply(
  sql: Tx,
  id: string,
  input: SavedReplyInput,
  actor: Actor,
): Promise<SavedReply> {
  assertKnownVariables(input.body);
  return await sql.begin(async (tx) => {
    const [row] = await unique(() =>
      tx`
      update saved_replies set title = ${input.title}, body = ${input.body}, updated_at = now()
      where id = ${id} returning *`, input.title);
    if (!row) throw new NotFoundError(`Saved reply "${id}" not found`);
    await audit(tx, actor, "saved_reply.updated", { target: input.title });
    return toReply(row);
  });
}

/** Deletes a reply. */
export async function deleteSavedReply(sql: Tx, id: string, actor: Actor): Promise<void> {
  await sql.begin(async (tx) => {
    const [row] = await tx`delete from saved_replies where id = ${id} returning title`;
    if (!row) throw new NotFoundError(`Saved reply "${id}" not found`);
    await audit(tx, actor, "saved_reply.deleted", { target: row.title as string });
  });
}
