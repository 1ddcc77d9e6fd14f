import type { Tx } from "@/lib/db/connect.ts";
import { TooManyRequestsError } from "@/lib/errors.ts";
import { audit } from "./audit.ts";
import { generatePassword, hashPassword, verifyPassword } from "./passwords.ts";
import { loginKeys, loginWaitSeconds, recordLoginFailure, recordLoginSuccess } from "./throttle.ts";
import { verifyTotp } from "./totp.ts";

/** The outcome of a password (and maybe code) check. */
export type LoginResult =
  | { ok: true; userId: string; email: string; needsCode: boolean }
  | { ok: false; error: string };

// One answer for a wrong email and a wrong password, so the form does not reveal accounts.
const WRONG = "Wrong email or password";

// Verifying against a throwaway hash when the account does not exist keeps both paths equally
// slow, so response time does not reveal accounts either.
let dummyHash: Promise<string> | undefined;

/**
 * Checks a login attempt under the throttle: growing delays after three failures per IP and
 * per account, a 15-minute lock after ten; every attempt goes to the audit log.
 */
export async function checkLogin(
  sql: Tx,
  attempt: { email: string; password: string; code?: string; ip: string },
): Promise<LoginResult> {
  const email = attempt.email.trim().toLowerCase();
  const keys = loginKeys(attempt.ip, email);
  const wait = await loginWaitSeconds(sql, keys);
  if (wait > 0) {
    await audit(sql, { label: email || "(no email)", ip: attempt.ip }, "login.throttled", {
      target: email,
      detail: { retry_after: wait },
    });
    throw new TooManyRequestsError(
      `Too many failed sign-ins: try again in ${wait} s`,
      wait,
    );
  }
  const [user] = await sql`
    select id, email, password_hash, totp_key from users
    where email = ${email} and disabled_at is null`;
  dummyHash ??= hashPassword(generatePassword());
  const good = await verifyPassword(attempt.password, user?.password_hash ?? await dummyHash) &&
    Boolean(user);
  const codeOk = good && user.totp_key && attempt.code
    ? verifyTotp(user.totp_key, attempt.code)
    : undefined;
  if (!good || codeOk === false) {
    await recordLoginFailure(sql, keys);
    await audit(
      sql,
      { userId: user?.id, label: email || "(no email)", ip: attempt.ip },
      "login.failed",
      {
        target: email,
        detail: { reason: good ? "wrong code" : "wrong email or password" },
      },
    );
    return { ok: false, error: good ? "Wrong authentication code" : WRONG };
  }
  const needsCode = Boolean(user.totp_key) && codeOk === undefined;
  if (!needsCode) {
    await recordLoginSuccess(sql, email);
    await audit(sql, { userId: user.id, label: email, ip: attempt.ip }, "login.succeeded", {
      target: email,
    });
  }
  return { ok: true, userId: user.id, email, needsCode };
}

/**
 * Checks the second step of a login: the code from the user's authenticator app, for the user a
 * password check left pending, under the same throttle as passwords (a six-digit code would
 * otherwise fall to guessing). Success and failure both go to the audit log.
 */
export async function checkLoginCode(
  sql: Tx,
  attempt: { userId: string; code: string; ip: string },
): Promise<boolean> {
  const [user] = await sql`select email, totp_key from users where id = ${attempt.userId}`;
  const email: string = user?.email ?? "";
  const actor = { userId: attempt.userId, label: email || "?", ip: attempt.ip };
  const keys = loginKeys(attempt.ip, email);
  const wait = await loginWaitSeconds(sql, keys);
  if (wait > 0) {
    await audit(sql, actor, "login.throttled", {
      target: email,
      detail: { retry_after: wait, second_factor: true },
    });
    throw new TooManyRequestsError(`Too many wrong codes: try again in ${wait} s`, wait);
  }
  const ok = Boolean(user?.totp_key && verifyTotp(user.totp_key, attempt.code));
  if (ok) await recordLoginSuccess(sql, email);
  else await recordLoginFailure(sql, keys);
  await audit(sql, actor, ok ? "login.succeeded" : "login.failed", {
    target: email,
    detail: ok ? { second_factor: true } : { reason: "wrong code" },
  });
  return ok;
}
