import { z } from "zod";
import { define } from "@/lib/web/define.ts";
import { readJson } from "@/lib/web/input.ts";
import { clientIp } from "@/lib/web/session_cookie.ts";
import { newTotpKey, totpUri } from "@/lib/auth/totp.ts";
import { disableTotp, enableTotp } from "@/lib/auth/second_factor.ts";
import { actorOf } from "@/lib/auth/principal.ts";

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
    const input = await readJson(c, Enable);
    await enableTotp(c.var.app.sql, {
      userId: c.var.principal.userId,
      key: input.key,
      code: input.code,
      actor: actorOf(c.var.principal, clientIp(c)),
    });
    return c.json({ success: true });
  },
  async DELETE(c) {
    const input = await readJson(c, Disable);
    await disableTotp(c.var.app.sql, {
      userId: c.var.principal.userId,
      code: input.code,
      actor: actorOf(c.var.principal, clientIp(c)),
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
