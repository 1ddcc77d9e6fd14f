import { z } from "zod";
import { define } from "@/lib/web/define.ts";
import { readJson, uuidParam } from "@/lib/web/input.ts";
import { clientIp } from "@/lib/web/session_cookie.ts";
import { updateUser, UpdateUserInput, User } from "@/lib/auth/users.ts";
import { actorOf } from "@/lib/auth/principal.ts";

export const adminOnly = true;

export const handler = define.handlers({
  async PATCH(c) {
    const id = uuidParam(c, "user");
    const changes = await readJson(c, UpdateUserInput);
    const user = await updateUser(c.var.app.sql, {
      id,
      changes,
      actor: actorOf(c.var.principal, clientIp(c)),
    });
    return c.json({ success: true, user });
  },
});

export const docs = define.docs({
  PATCH: {
    summary: "Admins: disable or enable a user, change their role, or reset their password",
    tags: ["users"],
    body: UpdateUserInput,
    responses: {
      200: { description: "Updated", schema: z.object({ success: z.literal(true), user: User }) },
      404: { description: "No such user" },
    },
  },
});
