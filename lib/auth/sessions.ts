import type { Tx } from "@/lib/db/connect.ts";
import { randomToken, sha256Hex } from "./crypto.ts";

/** A live session and its user's essentials. */
export interface SessionInfo {
  id: string;
  userId: string;
  email: string;
  role: "admin" | "agent";
  csrfToken: string;
  mfaPending: boolean;
  /** When the session ends by itself unless used again: its absolute expiry or idle limit. */
  expiresAt: Date;
}

/** Session lifetimes: idle minutes and absolute days. */
export interface SessionPolicy {
  idleMinutes: number;
  maxDays: number;
}

/** Starts a session; the returned token goes in the cookie, only its hash is stored. */
export async function createSession(
  sql: Tx,
  options: {
    userId: string;
    policy: SessionPolicy;
    mfaPending?: boolean;
    ip?: string;
    userAgent?: string;
  },
): Promise<{ token: string; csrfToken: string }> {
  const token = randomToken();
  const csrfToken = randomToken(24);
  await sql`
    insert into sessions (id, user_id, csrf_token, mfa_pending, expires_at, ip, user_agent)
    values (${sha256Hex(token)}, ${options.userId}, ${csrfToken}, ${options.mfaPending ?? false},
      now() + make_interval(days => ${options.policy.maxDays}), ${options.ip ?? null},
      ${options.userAgent?.slice(0, 300) ?? null})`;
  return { token, csrfToken };
}

/**
 * The session for a cookie token, if it is live: not past its absolute expiry, not idle longer
 * than the policy allows, and its user enabled. Touches last_seen_at at most once a minute.
 */
export async function resolveSession(
  sql: Tx,
  token: string,
  policy: SessionPolicy,
): Promise<SessionInfo | undefined> {
  if (!token || token.length > 100) return undefined;
  const id = sha256Hex(token);
  const [row] = await sql`
    select s.id, s.user_id, s.csrf_token, s.mfa_pending, s.last_seen_at, s.expires_at, u.email,
      u.role
    from sessions s join users u on u.id = s.user_id
    where s.id = ${id} and s.expires_at > now() and u.disabled_at is null
      and s.last_seen_at > now() - make_interval(mins => ${policy.idleMinutes})`;
  if (!row) return undefined;
  let lastSeen = new Date(row.last_seen_at).getTime();
  if (Date.now() - lastSeen > 60_000) {
    await sql`update sessions set last_seen_at = now() where id = ${id}`;
    lastSeen = Date.now();
  }
  const idleEnd = lastSeen + policy.idleMinutes * 60_000;
  return {
    id,
    userId: row.user_id,
    email: row.email,
    role: row.role,
    csrfToken: row.csrf_token,
    mfaPending: row.mfa_pending,
    expiresAt: new Date(Math.min(new Date(row.expires_at).getTime(), idleEnd)),
  };
}

/** Ends a session on the server (logout). */
export async function deleteSession(sql: Tx, id: string): Promise<void> {
  await sql`delete from sessions where id = ${id}`;
}

/** Deletes sessions past their absolute expiry. */
export async function pruneSessions(sql: Tx): Promise<number> {
  const rows = await sql`delete from sessions where expires_at < now() returning id`;
  return rows.length;
}
