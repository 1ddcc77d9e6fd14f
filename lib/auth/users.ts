import { z } from "zod";
import type { Tx } from "@/lib/db/connect.ts";
import { BadRequestError, ConflictError, NotFoundError } from "@/lib/errors.ts";
import { isEmail } from "@/lib/shared/address.ts";
import { type Actor, audit, SYSTEM } from "./audit.ts";
import { assertStrongPassword, hashPassword, verifyPassword } from "./passwords.ts";
import { forgetTokens } from "./tokens.ts";

/** A user as the API shows it (never the hash or the TOTP key). */
export const User = z.object({
  id: z.guid(),
  email: z.string(),
  name: z.string(),
  role: z.enum(["admin", "agent"]),
  totp_enabled: z.boolean(),
  disabled: z.boolean(),
  created_at: z.string(),
});
export type User = z.infer<typeof User>;

/** Body of POST /api/users. */
export const CreateUserInput = z.object({
  email: z.email({ error: "email must be an email address" }).max(254),
  name: z.string().trim().max(100).default(""),
  role: z.enum(["admin", "agent"]).default("agent"),
  password: z.string(),
});

// deno-lint-ignore no-explicit-any -- a users row, shaped by toUser
type Row = Record<string, any>;

/** Shapes a users row for the API. */
export function toUser(r: Row): User {
  return {
    id: r.id,
    email: r.email,
    name: r.name,
    role: r.role,
    totp_enabled: r.totp_key !== null,
    disabled: r.disabled_at !== null,
    created_at: new Date(r.created_at).toISOString(),
  };
}

/** Creates a user with a checked, hashed password, audited; a taken email is a 409. */
export async function createUser(
  sql: Tx,
  input: { email: string; name?: string; role: "admin" | "agent"; password: string },
  actor: Actor = SYSTEM,
): Promise<User> {
  const email = input.email.trim().toLowerCase();
  // The API's schema checks this too; the operator command reaches here without it.
  if (!isEmail(email)) {
    throw new BadRequestError(`Cannot create user "${input.email}": not an email address`);
  }
  assertStrongPassword(input.password, email);
  const hash = await hashPassword(input.password);
  return await sql.begin(async (tx) => {
    const rows = await tx`
      insert into users (email, name, role, password_hash)
      values (${email}, ${input.name ?? ""}, ${input.role}, ${hash})
      on conflict (email) do nothing
      returning *`;
    if (!rows.length) throw new ConflictError(`A user with email "${email}" already exists`);
    const user = toUser(rows[0]);
    await audit(tx, actor, "user.created", { target: user.email, detail: { role: user.role } });
    return user;
  });
}

/** Every user, admins first. */
export async function listUsers(sql: Tx): Promise<User[]> {
  const rows = await sql`select * from users order by role, email`;
  return rows.map(toUser);
}

/** The user with this id or email, or a 404 naming it. */
export async function findUser(sql: Tx, idOrEmail: string): Promise<User> {
  const rows = idOrEmail.includes("@")
    ? await sql`select * from users where email = ${idOrEmail.toLowerCase()}`
    : /^[0-9a-f-]{36}$/i.test(idOrEmail)
    ? await sql`select * from users where id = ${idOrEmail}`
    : [];
  if (!rows.length) throw new NotFoundError(`User "${idOrEmail}" not found`);
  return toUser(rows[0]);
}

/** Disables or re-enables a user; disabling ends their sessions and stops their tokens. */
export async function setUserDisabled(sql: Tx, id: string, disabled: boolean): Promise<User> {
  const rows = await sql`
    update users set disabled_at = ${disabled ? sql`now()` : null}, updated_at = now()
    where id = ${id} returning *`;
  forgetTokens();
  if (!rows.length) throw new NotFoundError(`User "${id}" not found`);
  if (disabled) await sql`delete from sessions where user_id = ${id}`;
  return toUser(rows[0]);
}

/** Changes a user's role; the last enabled admin cannot stop being one. */
export async function setUserRole(sql: Tx, id: string, role: "admin" | "agent"): Promise<User> {
  if (role === "agent") {
    const [{ n }] = await sql`
      select count(*)::int as n from users
      where role = 'admin' and disabled_at is null and id <> ${id}`;
    if (n === 0) {
      throw new BadRequestError("Cannot remove the last admin: make someone else admin first");
    }
  }
  const rows =
    await sql`update users set role = ${role}, updated_at = now() where id = ${id} returning *`;
  forgetTokens();
  if (!rows.length) throw new NotFoundError(`User "${id}" not found`);
  return toUser(rows[0]);
}

/** Sets a new password and ends every session of the user. */
export async function resetPassword(sql: Tx, id: string, password: string): Promise<void> {
  const [row] = await sql`select email from users where id = ${id}`;
  if (!row) throw new NotFoundError(`User "${id}" not found`);
  await storePasswordHash(sql, id, await strongHash(password, row.email));
}

// Checked and hashed before any transaction opens: argon2 takes a while, and holds no connection.
async function strongHash(password: string, email: string): Promise<string> {
  assertStrongPassword(password, email);
  return await hashPassword(password);
}

async function storePasswordHash(sql: Tx, id: string, hash: string): Promise<void> {
  await sql`
    update users set password_hash = ${hash}, password_changed_at = now(), updated_at = now()
    where id = ${id}`;
  await sql`delete from sessions where user_id = ${id}`;
}

/** A display name: what bubbles and previews call a user ("Lily: …"); empty clears it. */
export const DisplayName = z.string({ error: "name must be text" }).trim()
  .max(100, { error: (i) => `name is too long: ${String(i.input).length} characters, at most 100` })
  .refine((s) => !/\p{Cc}/u.test(s), { message: "name has control characters" });

/** Body of PATCH /api/me: what users may change about themselves. */
export const UpdateMeInput = z.object({ name: DisplayName });

/** Body of PATCH /api/users/:id: what an admin may change about a user. */
export const UpdateUserInput = z.object({
  name: DisplayName.optional(),
  disabled: z.boolean().optional(),
  role: z.enum(["admin", "agent"]).optional(),
  password: z.string().optional(),
});
export type UpdateUserInput = z.infer<typeof UpdateUserInput>;

/**
 * Applies an admin's changes to a user (role, disabled, password) all or nothing, audited as
 * `user.updated` in the same transaction; nobody can disable themselves. Returns the user after.
 */
export async function updateUser(
  sql: Tx,
  options: { id: string; changes: UpdateUserInput; actor: Actor },
): Promise<User> {
  const { id, changes, actor } = options;
  if (changes.disabled && id === actor.userId) {
    throw new BadRequestError("You cannot disable yourself");
  }
  const before = await findUser(sql, id);
  const hash = changes.password === undefined
    ? undefined
    : await strongHash(changes.password, before.email);
  const after = await sql.begin(async (tx) => {
    if (changes.name !== undefined) await setName(tx, id, changes.name);
    if (changes.role !== undefined) await setUserRole(tx, id, changes.role);
    if (changes.disabled !== undefined) await setUserDisabled(tx, id, changes.disabled);
    if (hash !== undefined) await storePasswordHash(tx, id, hash);
    await audit(tx, actor, "user.updated", {
      target: before.email,
      detail: { ...changes, password: changes.password === undefined ? undefined : "(reset)" },
    });
    return await findUser(tx, id);
  });
  // The token cache was cleared before the commit too: a lookup in between may have cached the
  // old row again.
  forgetTokens();
  return after;
}

async function setName(sql: Tx, id: string, name: string): Promise<void> {
  await sql`update users set name = ${name}, updated_at = now() where id = ${id}`;
}

/** Sets the signed-in user's own display name, audited as `user.renamed`; returns the user after. */
export async function renameSelf(
  sql: Tx,
  options: { id: string; name: string; actor: Actor },
): Promise<User> {
  return await sql.begin(async (tx) => {
    const before = await findUser(tx, options.id);
    await setName(tx, options.id, options.name);
    await audit(tx, options.actor, "user.renamed", {
      target: before.email,
      detail: { from: before.name, to: options.name },
    });
    return await findUser(tx, options.id);
  });
}

/** How many users exist (the first run creates the first admin). */
export async function countUsers(sql: Tx): Promise<number> {
  const [{ n }] = await sql`select count(*)::int as n from users`;
  return n;
}

/** Changes one's own password after checking the current one, audited; other sessions end. */
export async function changeOwnPassword(
  sql: Tx,
  options: { userId: string; current: string; next: string; keepSessionId?: string; actor: Actor },
): Promise<void> {
  const [row] = await sql`select email, password_hash from users where id = ${options.userId}`;
  if (!row) throw new NotFoundError(`User "${options.userId}" not found`);
  if (!(await verifyPassword(options.current, row.password_hash))) {
    throw new BadRequestError("Current password is wrong");
  }
  assertStrongPassword(options.next, row.email);
  const hash = await hashPassword(options.next);
  await sql.begin(async (tx) => {
    await tx`
      update users set password_hash = ${hash}, password_changed_at = now(), updated_at = now()
      where id = ${options.userId}`;
    await tx`
      delete from sessions
      where user_id = ${options.userId} and id <> ${options.keepSessionId ?? ""}`;
    await audit(tx, options.actor, "user.password_changed", { target: row.email });
  });
}
