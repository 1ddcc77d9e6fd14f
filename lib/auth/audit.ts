import { z } from "zod";
import type { Tx } from "@/lib/db/connect.ts";

/** Who did something: a signed-in user, a token, or the system (CLI, first run). */
export interface Actor {
  userId?: string;
  tokenId?: string;
  label: string;
  ip?: string;
}

/** The actor of changes made by Hatch itself or by code that names no one (tests, benchmarks). */
export const SYSTEM: Actor = { label: "system" };

/** One line of the audit log. */
export const AuditEntry = z.object({
  id: z.number(),
  at: z.string(),
  actor: z.string(),
  action: z.string(),
  target: z.string().nullable(),
  ip: z.string().nullable(),
  detail: z.record(z.string(), z.unknown()),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

/** Appends to the audit log. */
export async function audit(
  sql: Tx,
  actor: Actor,
  action: string,
  options: { target?: string; detail?: Record<string, unknown> } = {},
): Promise<void> {
  await sql`
    insert into audit_log (actor_user_id, actor_token_id, actor_label, action, target, ip, detail)
    values (${actor.userId ?? null}::uuid, ${actor.tokenId ?? null}::uuid, ${actor.label},
      ${action}, ${options.target ?? null}, ${actor.ip ?? null},
      ${sql.json((options.detail ?? {}) as never)}::jsonb)`;
}

/** The newest audit entries, optionally of one action, paged by id. */
export async function listAudit(
  sql: Tx,
  options: { limit: number; beforeId?: number; action?: string },
): Promise<{ entries: AuditEntry[]; next_before: number | null }> {
  const rows = await sql`
    select * from audit_log where true
      ${options.beforeId ? sql`and id < ${options.beforeId}` : sql``}
      ${options.action ? sql`and action = ${options.action}` : sql``}
    order by id desc limit ${options.limit + 1}`;
  const page = rows.slice(0, options.limit).map((r) => ({
    id: Number(r.id),
    at: new Date(r.at).toISOString(),
    actor: r.actor_label,
    action: r.action,
    target: r.target,
    ip: r.ip,
    detail: r.detail,
  }));
  return {
    entries: page,
    next_before: rows.length > options.limit ? page[page.length - 1].id : null,
  };
}
