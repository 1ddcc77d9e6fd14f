import { z } from "zod";
import type { Tx } from "@/lib/db/connect.ts";
import { NotFoundError } from "@/lib/errors.ts";
import { randomToken, sha256Hex } from "./crypto.ts";
import { type Actor, audit, SYSTEM } from "./audit.ts";

/** An API token as listed (never the secret, which is shown once). */
export const ApiToken = z.object({
  id: z.guid(),
  name: z.string(),
  prefix: z.string(),
  user_id: z.guid(),
  created_at: z.string(),
  last_used_at: z.string().nullable(),
  expires_at: z.string().nullable(),
  revoked: z.boolean(),
});
export type ApiToken = z.infer<typeof ApiToken>;

// deno-lint-ignore no-explicit-any -- an api_tokens row, shaped by toToken
type Row = Record<string, any>;

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

function toToken(r: Row): ApiToken {
  return {
    id: r.id,
    name: r.name,
    prefix: r.prefix,
    user_id: r.user_id,
    created_at: new Date(r.created_at).toISOString(),
    last_used_at: iso(r.last_used_at),
    expires_at: iso(r.expires_at),
    revoked: r.revoked_at !== null,
  };
}

/** Creates a token for a user, audited; the secret is returned here once and stored only hashed. */
export async function createApiToken(
  sql: Tx,
  options: { userId: string; name: string; expiresAt?: Date; actor?: Actor },
): Promise<{ token: string; apiToken: ApiToken }> {
  const token = `hatch_${randomToken(24)}`;
  return await sql.begin(async (tx) => {
    const [row] = await tx`
      insert into api_tokens (user_id, name, token_hash, prefix, expires_at)
      values (${options.userId}, ${options.name}, ${sha256Hex(token)}, ${token.slice(0, 12)},
        ${options.expiresAt ?? null})
      returning *`;
    const apiToken = toToken(row);
    await audit(tx, options.actor ?? SYSTEM, "token.created", {
      target: apiToken.prefix,
      detail: { name: apiToken.name, token_id: apiToken.id },
    });
    return { token, apiToken };
  });
}

/** A user's tokens, or everyone's when `userId` is undefined. */
export async function listApiTokens(sql: Tx, userId?: string): Promise<ApiToken[]> {
  const rows = await sql`
    select * from api_tokens ${userId ? sql`where user_id = ${userId}` : sql``}
    order by created_at desc`;
  return rows.map(toToken);
}

/** Revokes a token (of `userId` when given), audited; a 404 when there is no such token. */
export async function revokeApiToken(
  sql: Tx,
  id: string,
  options: { userId?: string; actor?: Actor } = {},
): Promise<ApiToken> {
  const { userId } = options;
  const token = await sql.begin(async (tx) => {
    const rows = await tx`
      update api_tokens set revoked_at = coalesce(revoked_at, now())
      where id = ${id} ${userId ? tx`and user_id = ${userId}` : tx``}
      returning *`;
    if (!rows.length) throw new NotFoundError(`API token "${id}" not found`);
    const revoked = toToken(rows[0]);
    await audit(tx, options.actor ?? SYSTEM, "token.revoked", {
      target: revoked.prefix,
      detail: { token_id: revoked.id, name: revoked.name },
    });
    return revoked;
  });
  forgetTokens();
  return token;
}

/** A live token and its enabled user, as a bearer secret resolves to. */
export interface ResolvedToken {
  tokenId: string;
  userId: string;
  email: string;
  role: "admin" | "agent";
  /** When the token stops working by itself, if ever. */
  expiresAt: Date | null;
}

/** The live token and its enabled user for a bearer secret, or undefined. */
export async function resolveApiToken(
  sql: Tx,
  token: string,
): Promise<ResolvedToken | undefined> {
  if (!token.startsWith("hatch_") || token.length > 100) return undefined;
  const [row] = await sql`
    select t.id, t.user_id, t.last_used_at, t.expires_at, u.email, u.role
    from api_tokens t join users u on u.id = t.user_id
    where t.token_hash = ${sha256Hex(token)} and t.revoked_at is null
      and (t.expires_at is null or t.expires_at > now()) and u.disabled_at is null`;
  if (!row) return undefined;
  // Recording every use would make each API call a write; a minute's precision is enough.
  if (!row.last_used_at || Date.now() - new Date(row.last_used_at).getTime() > 60_000) {
    await sql`update api_tokens set last_used_at = now() where id = ${row.id}`;
  }
  return {
    tokenId: row.id,
    userId: row.user_id,
    email: row.email,
    role: row.role,
    expiresAt: row.expires_at ? new Date(row.expires_at) : null,
  };
}

// Resolved API tokens are kept for a few seconds: an integration sending hundreds of requests a
// second would otherwise spend a query on its token for each one. Access still ends at once: a
// trigger on api_tokens and users NOTIFYs `hatch_auth` on any change that can end or alter it
// (revoked, expired, disabled, role or email changed, deleted), and every process's
// listener forgets all cached tokens (also after it reconnects, as it may have missed one).
// The services that end access (revokeApiToken, the user changes in users.ts) also forget in
// their own process before they answer, so their caller never sees the old access.
// Sessions that end notify the same channel (sql/007), for open event streams to re-check.

/** The channel hatch_auth_changed() notifies. */
export const AUTH_CHANNEL = "hatch_auth";

// Long enough to spare the database under load, short enough that a missed notification
// (there should be none) would not matter for long.
const TTL_MS = 10_000;
// Random bearer strings are never cached (only live tokens are), so this bounds real tokens.
const MAX_ENTRIES = 10_000;

const cache = new Map<string, { token: ResolvedToken; until: number }>();
// Counts forgetTokens() calls: a lookup that a change overtook may have read the token from
// before it, so its answer stands for that one request but is not kept.
let forgotten = 0;

/** The live token for a bearer secret, from the cache when it was resolved moments ago. */
export async function cachedApiToken(sql: Tx, secret: string): Promise<ResolvedToken | undefined> {
  const key = sha256Hex(secret);
  const now = Date.now();
  const hit = cache.get(key);
  if (hit && hit.until > now) return hit.token;
  const seen = forgotten;
  const token = await resolveApiToken(sql, secret);
  if (!token) {
    cache.delete(key);
    return undefined;
  }
  if (seen !== forgotten) return token;
  if (cache.size >= MAX_ENTRIES) cache.clear();
  const until = Math.min(now + TTL_MS, token.expiresAt?.getTime() ?? Infinity);
  cache.set(key, { token, until });
  return token;
}

/** Forgets every cached token: a token or a user changed somewhere. */
export function forgetTokens(): void {
  forgotten++;
  cache.clear();
}
