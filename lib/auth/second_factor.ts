// Turning a user's second factor (TOTP) on and off. Both need a code the app shows now, and both
// are audited in the same transaction as the change.
import type { Tx } from "@/lib/db/connect.ts";
import { BadRequestError } from "@/lib/errors.ts";
import { type Actor, audit } from "./audit.ts";
import { verifyTotp } from "./totp.ts";

const WRONG_CODE = "Wrong code: enter the 6 digits your app shows now";

/** Turns the second factor on once `code` shows the app holds `key`; audited as `user.totp_enabled`. */
export async function enableTotp(
  sql: Tx,
  options: { userId: string; key: string; code: string; actor: Actor },
): Promise<void> {
  if (!verifyTotp(options.key, options.code)) throw new BadRequestError(WRONG_CODE);
  await sql.begin(async (tx) => {
    const [user] = await tx`
      update users set totp_key = ${options.key}, updated_at = now()
      where id = ${options.userId} returning email`;
    await audit(tx, options.actor, "user.totp_enabled", { target: user?.email });
  });
}

/** Turns the second factor off, given a current code; audited as `user.totp_disabled`. */
export async function disableTotp(
  sql: Tx,
  options: { userId: string; code: string; actor: Actor },
): Promise<void> {
  await sql.begin(async (tx) => {
    const [user] = await tx`
      select email, totp_key from users where id = ${options.userId} for update`;
    if (!user?.totp_key || !verifyTotp(user.totp_key, options.code)) {
      throw new BadRequestError(WRONG_CODE);
    }
    await tx`update users set totp_key = null, updated_at = now() where id = ${options.userId}`;
    await audit(tx, options.actor, "user.totp_disabled", { target: user.email });
  });
}
