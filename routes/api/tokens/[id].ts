import { z } from "zod";
import { define } from "@/lib/web/define.ts";
import { uuidParam } from "@/lib/web/input.ts";
import { clientIp } from "@/lib/web/session_cookie.ts";
import { ApiToken, revokeApiToken } from "@/lib/auth/tokens.ts";
import { actorOf } from "@/lib/auth/principal.ts";

export const handler = define.handlers({
  async DELETE(c) {
    const p = c.var.principal;
    const token = await revokeApiToken(c.var.app.sql, uuidParam(c, "token"), {
      userId: p.role === "admin" ? undefined : p.userId,
      actor: actorOf(p, clientIp(c)),
    });
    return c.json({ success: true, api_token: token });
  },
});

export const docs = define.docs({
  DELETE: {
    summary: "Revoke an API token (yours; admins: anyone's)",
    tags: ["tokens"],
    responses: {
      200: {
        description: "Revoked",
        schema: z.object({ success: z.literal(true), api_token: ApiToken }),
      },
      404: { description: "No such token" },
    },
  },
});
