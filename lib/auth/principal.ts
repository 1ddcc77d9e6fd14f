import type { Settings } from "@/lib/config.ts";
import type { Tx } from "@/lib/db/connect.ts";
import { resolveSession, type SessionPolicy } from "./sessions.ts";
import { cachedApiToken } from "./tokens.ts";
import type { Actor } from "./audit.ts";

/** Who is asking: a signed-in user (session cookie) or an API token, and its user. */
export interface Principal {
  userId: string;
  email: string;
  role: "admin" | "agent";
  via: "session" | "token";
  sessionId?: string;
  csrfToken?: string;
  tokenId?: string;
  /** When access ends by itself (token expiry, session expiry or idle limit), if ever. */
  expiresAt?: Date;
}

/** The session cookie's name: `__Host-` prefixed (so Secure, host-only) behind HTTPS. */
export function sessionCookieName(settings: Settings): string {
  return settings.publicUrl.startsWith("https://") ? "__Host-hatch_session" : "hatch_session";
}

/** The session lifetimes the settings ask for. */
export function sessionPolicy(settings: Settings): SessionPolicy {
  return {
    idleMinutes: settings.HATCH_SESSION_IDLE_MINUTES,
    maxDays: settings.HATCH_SESSION_MAX_DAYS,
  };
}

/** The principal behind a request's bearer token or session cookie, or undefined. */
export async function authenticate(
  sql: Tx,
  settings: Settings,
  request: {
    header: (name: string) => string | undefined;
    cookie: (name: string) => string | undefined;
  },
): Promise<Principal | undefined> {
  const auth = request.header("authorization");
  if (auth !== undefined) {
    const m = auth.match(/^Bearer\s+(\S+)$/i);
    const found = m ? await cachedApiToken(sql, m[1]) : undefined;
    if (!found) return undefined;
    return {
      userId: found.userId,
      email: found.email,
      role: found.role,
      via: "token",
      tokenId: found.tokenId,
      expiresAt: found.expiresAt ?? undefined,
    };
  }
  const token = request.cookie(sessionCookieName(settings));
  if (!token) return undefined;
  const session = await resolveSession(sql, token, sessionPolicy(settings));
  if (!session || session.mfaPending) return undefined;
  return {
    userId: session.userId,
    email: session.email,
    role: session.role,
    via: "session",
    sessionId: session.id,
    csrfToken: session.csrfToken,
    expiresAt: session.expiresAt,
  };
}

/**
 * Which of `principals` still hold, in their order: the token unrevoked and unexpired, or the
 * session live (the conditions of resolveApiToken and resolveSession), and the user enabled.
 * One query however many there are, so re-checking every open stream costs one round trip.
 */
export async function livePrincipals(
  sql: Tx,
  principals: readonly Pick<Principal, "tokenId" | "sessionId">[],
  policy: SessionPolicy,
): Promise<boolean[]> {
  const tokenIds = [...new Set(principals.flatMap((p) => p.tokenId ?? []))];
  const sessionIds = [...new Set(principals.flatMap((p) => p.sessionId ?? []))];
  const rows = await sql<{ id: string }[]>`
    select t.id::text as id
    from api_tokens t join users u on u.id = t.user_id
    where t.id = any(${tokenIds}::uuid[]) and t.revoked_at is null
      and (t.expires_at is null or t.expires_at > now()) and u.disabled_at is null
    union all
    select s.id
    from sessions s join users u on u.id = s.user_id
    where s.id = any(${sessionIds}::text[]) and not s.mfa_pending and s.expires_at > now()
      and s.last_seen_at > now() - make_interval(mins => ${policy.idleMinutes})
      and u.disabled_at is null`;
  const live = new Set(rows.map((r) => r.id));
  return principals.map((p) => live.has(p.tokenId ?? p.sessionId ?? ""));
}

/** The audit log's actor for a principal. */
export function actorOf(p: Principal, ip?: string): Actor {
  return {
    userId: p.userId,
    tokenId: p.tokenId,
    label: p.tokenId ? `${p.email} (token)` : p.email,
    ip,
  };
}

/** A key that scopes per-client state (idempotency keys, rate limits) to one principal. */
export function principalKey(p: Principal): string {
  return p.tokenId ? `token:${p.tokenId}` : `user:${p.userId}`;
}
