import { z } from "zod";
import { define } from "@/lib/web/define.ts";
import { readJson } from "@/lib/web/input.ts";
import { clientIp } from "@/lib/web/session_cookie.ts";
import { actorOf } from "@/lib/auth/principal.ts";
import { findUser, renameSelf, UpdateMeInput, User } from "@/lib/auth/users.ts";

export const handler = define.handlers({
  async GET(c) {
    const p = c.var.principal;
    return c.json({
      user: await findUser(c.var.app.sql, p.userId),
      via: p.via,
      csrf_token: p.csrfToken ?? null,
    });
  },
  async PATCH(c) {
    const p = c.var.principal;
    const input = await readJson(c, UpdateMeInput);
    const user = await renameSelf(c.var.app.sql, {
      id: p.userId,
      name: input.name,
      actor: actorOf(p, clientIp(c)),
    });
    return c.json({ success: true, user });
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
  PATCH: {
    summary: "Set your display name: what your colleagues see on your messages",
    tags: ["account"],
    body: UpdateMeInput,
    responses: {
      200: { description: "Updated", schema: z.object({ success: z.literal(true), user: User }) },
      400: { description: "Bad input, in words" },
    },
  },
});
