// Labels: admins create, rename, colour and delete them; anyone applies them (team.ts).
import type { Tx } from "@/lib/db/connect.ts";
import { type Actor, audit } from "@/lib/auth/audit.ts";
import { ConflictError, NotFoundError } from "@/lib/errors.ts";
import type { Label } from "./team_schemas.ts";

const PALETTE = ["#3b82f6", "#10b981", "#f59e0b", "#ef4444", "#8b5cf6", "#ec4899", "#14b8a6"];

/** Every label, by name. */
export async function listLabels(sql: Tx): Promise<Label[]> {
  return await sql<Label[]>`select id, name, color from labels order by lower(name), id`;
}

function taken(e: unknown, name: string): never {
  if ((e as { code?: string }).code === "23505") {
    throw new ConflictError(`A label named "${name}" already exists`);
  }
  throw e;
}

/** Creates a label (a colour from the palette unless given); a taken name is a 409. */
export async function createLabel(
  sql: Tx,
  options: { name: string; color?: string; actor: Actor },
): Promise<Label> {
  const { name, actor } = options;
  return await sql.begin(async (tx) => {
    const [{ n }] = await tx`select count(*)::int as n from labels`;
    const color = options.color ?? PALETTE[n % PALETTE.length];
    const [label] = await tx<Label[]>`
      insert into labels (name, color) values (${name}, ${color})
      returning id, name, color`.catch((e) => taken(e, name));
    await audit(tx, actor, "label.created", { target: label.id, detail: { name, color } });
    return label;
  });
}

/** Renames or recolours a label. */
export async function updateLabel(
  sql: Tx,
  options: { id: string; name?: string; color?: string; actor: Actor },
): Promise<Label> {
  const { id, actor } = options;
  return await sql.begin(async (tx) => {
    const [label] = await tx<Label[]>`
      update labels set name = coalesce(${options.name ?? null}, name),
        color = coalesce(${options.color ?? null}, color)
      where id = ${id} returning id, name, color`.catch((e) => taken(e, options.name ?? ""));
    if (!label) throw new NotFoundError(`Label "${id}" not found`);
    await audit(tx, actor, "label.updated", {
      target: id,
      detail: { name: options.name, color: options.color },
    });
    return label;
  });
}

/** Deletes a label and takes it off every conversation that had it. */
export async function deleteLabel(sql: Tx, options: { id: string; actor: Actor }): Promise<void> {
  const { id, actor } = options;
  await sql.begin(async (tx) => {
    // Conversation rows first (the lock order), in a fixed order, then the label.
    await tx`
      update conversations set label_ids = array_remove(label_ids, ${id}::uuid)
      where id in (
        select id from conversations where label_ids @> array[${id}::uuid] order by id for update)`;
    const rows = await tx`delete from labels where id = ${id} returning name`;
    if (!rows.length) throw new NotFoundError(`Label "${id}" not found`);
    await audit(tx, actor, "label.deleted", { target: id, detail: { name: rows[0].name } });
  });
}
