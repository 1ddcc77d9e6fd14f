import { z } from "zod";
import { define } from "../../../lib/web/define.ts";
import { readJson, uuidParam } from "../../../lib/web/input.ts";
import { clientIp } from "../../../lib/web/session_cookie.ts";
import {
  findUser,
  resetPassword,
  setUserDisabled,
  setUserRole,
  User,
} from "../../../lib/auth/users.ts";
import { actorOf } from "../../../lib/auth/principal.ts";
import { audit } from "../../../lib/auth/audit.ts";
import { BadRequestError } from "../../../lib/errors.ts";

export const adminOnly = true;

const UpdateUser = z.object({
  disabled: z.boolean().optional(),
  role: z.enum(["admin", "agent"]).optional(),
  password: z.string().optional(),
});

export const handler = define.handlers({
  async PATCH(c) {
    const { sql } = c.var.app;
    const id = uuidParam(c, "user");
    const input = await readJson(c, UpdateUser);
    const actor = actorOf(c.var.principal, clientIp(c));
    if (input.disabled && id === c.var.principal.userId) {
      throw new BadRequestError("You cannot disable yourself");
    }
    const user = await findUser(sql, id);
    if (input.role !== undefined) await setUserRole(sql, id, input.role);
    if (input.disabled !== undefined) await setUserDisabled(sql, id, input.disabled);
    if (input.password !== undefined) await resetPassword(sql, id, input.password);
    const changes = { ...input, password: input.password === undefined ? undefined : "(reset)" };
    await audit(sql, actor, "user.updated", { target: user.email, detail: changes });
    return c.json({ success: true, user: await findUser(sql, id) });
  },
});

export const docs = define.docs({
  PATCH: {
    summary: "Admins: disable or enable a user, change their role, or reset their password",
    tags: ["users"],
    body: UpdateUser,
    responses: {
      200: { description: "Updated", schema: z.object({ success: z.literal(true), user: User }) },
      404: { description: "No such user" },
    },
  },
});
