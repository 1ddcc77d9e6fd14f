import { z } from "zod";
import { define } from "@/lib/web/define.ts";
import { readJson } from "@/lib/web/input.ts";
import { clientIp } from "@/lib/web/session_cookie.ts";
import { changeOwnPassword } from "@/lib/auth/users.ts";
import { actorOf } from "@/lib/auth/principal.ts";

const ChangePassword = z.object({
  current_password: z.string().max(200),
  new_password: z.string().max(200),
});

export const handler = define.handlers({
  async PUT(c) {
    const { sql } = c.var.app;
    const input = await readJson(c, ChangePassword);
    const p = c.var.principal;
    await changeOwnPassword(sql, {
      userId: p.userId,
      current: input.current_password,
      next: input.new_password,
      keepSessionId: p.sessionId,
      actor: actorOf(p, clientIp(c)),
    });
    return c.json({ success: true });
  },
});

export const docs = define.docs({
  PUT: {
    summary:
      "Change your own password (8–128 characters, not a common one); your other sessions end",
    tags: ["account"],
    body: ChangePassword,
    responses: {
      200: { description: "Changed", schema: z.object({ success: z.literal(true) }) },
      400: { description: "Wrong current password, or a weak new one" },
    },
  },
});
