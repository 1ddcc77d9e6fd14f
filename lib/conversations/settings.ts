// The team's settings (one row) and each user's own preferences.
import type { Tx } from "@/lib/db/connect.ts";
import { type Actor, audit } from "@/lib/auth/audit.ts";

/** The team's settings. */
export async function teamSettings(sql: Tx): Promise<{ auto_assign: boolean }> {
  const [row] = await sql`select auto_assign from team_settings`;
  return { auto_assign: row?.auto_assign ?? true };
}

/** Changes the team's settings. */
export async function updateTeamSettings(
  sql: Tx,
  options: { auto_assign: boolean; actor: Actor },
): Promise<{ auto_assign: boolean }> {
  await sql.begin(async (tx) => {
    await tx`update team_settings set auto_assign = ${options.auto_assign}`;
    await audit(tx, options.actor, "team.settings", {
      detail: { auto_assign: options.auto_assign },
    });
  });
  return { auto_assign: options.auto_assign };
}

/** Whether a user asked for desktop notifications. */
export async function userNotifies(sql: Tx, userId: string): Promise<boolean> {
  const [row] = await sql`select notify from users where id = ${userId}`;
  return row?.notify ?? false;
}

/** Turns a user's desktop notifications on or off. */
export async function setUserNotifies(
  sql: Tx,
  options: { userId: string; notify: boolean },
): Promise<void> {
  await sql`update users set notify = ${options.notify} where id = ${options.userId}`;
}
