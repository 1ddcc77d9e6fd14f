import { z } from "zod";
import { define } from "../../../lib/web/define.ts";
import { readJson } from "../../../lib/web/input.ts";
import { clientIp } from "../../../lib/web/session_cookie.ts";
import { newTotpKey, totpUri, verifyTotp } from "../../../lib/auth/totp.ts";
import { actorOf } from "../../../lib/auth/principal.ts";
import { audit } from "../../../lib/auth/audit.ts";
import { BadRequestError } from "../../../lib/errors.ts";

const Enable = z.object({
  key: z.string().regex(/^[0-9a-f]{40}$/, "key must be the key from POST /api/me/totp"),
  code: z.string().max(10),
});
const Disable = z.object({ code: z.string().max(10) });

export const handler = define.handlers({
  // Step one: a fresh key for the authenticator app; nothing is stored until it is confirmed.
  POST(c) {
    const key = newTotpKey();
    return c.json({ key, uri: totpUri(key, c.var.principal.email) });
  },
  async PUT(c) {
    const { sql } = c.var.app;
    const input = await readJson(c, Enable);
    if (!verifyTotp(input.key, input.code)) {
      throw new BadRequestError("Wrong code: enter the 6 digits your app shows now");
    }
    await sql`update users set totp_key = ${input.key}, updated_at = now() where id = ${c.var.principal.userId}`;
    await audit(sql, actorOf(c.var.principal, clientIp(c)), "user.totp_enabled", {
      target: c.var.principal.email,
    });
    return c.json({ success: true });
  },
  async DELETE(c) {
    const { sql } = c.var.app;
    const input = await readJson(c, Disable);
    const [u] = await sql`select totp_key from users where id = ${c.var.principal.userId}`;
    if (!u?.totp_key || !verifyTotp(u.totp_key, input.code)) {
      throw new BadRequestError("Wrong code: enter the 6 digits your app shows now");
    }
    await sql`update users set totp_key = null, updated_at = now() where id = ${c.var.principal.userId}`;
    await audit(sql, actorOf(c.var.principal, clientIp(c)), "user.totp_disabled", {
      target: c.var.principal.email,
    });
    return c.json({ success: true });
  },
});

const Ok = z.object({ success: z.literal(true) });

export const docs = define.docs({
  POST: {
    summary: "Start enrolling a second factor: a TOTP key and its otpauth:// URI",
    tags: ["account"],
    responses: {
      200: { description: "A key", schema: z.object({ key: z.string(), uri: z.string() }) },
    },
  },
  PUT: {
    summary: "Confirm the second factor with a code from the app",
    tags: ["account"],
    body: Enable,
    responses: { 200: { description: "Enabled", schema: Ok }, 400: { description: "Wrong code" } },
  },
  DELETE: {
    summary: "Turn the second factor off (needs a current code)",
    tags: ["account"],
    body: Disable,
    responses: { 200: { description: "Disabled", schema: Ok }, 400: { description: "Wrong code" } },
  },
});
