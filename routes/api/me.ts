import { z } from "zod";
import { define } from "@/lib/web/define.ts";
import { findUser, User } from "@/lib/auth/users.ts";

export const handler = define.handlers({
  async GET(c) {
    const p = c.var.principal;
    return c.json({
      user: await findUser(c.var.app.sql, p.userId),
      via: p.via,
      csrf_token: p.csrfToken ?? null,
    });
  },
});

export const docs = define.docs({
  GET: {
    summary: "Who is asking: the signed-in user or the API token's user",
    tags: ["account"],
    responses: {
      200: {
        description: "The user",
        schema: z.object({ user: User, via: z.enum(["session", "token"]) }),
      },
    },
  },
});
