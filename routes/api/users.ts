import { z } from "zod";
import { define } from "@/lib/web/define.ts";
import { readJson } from "@/lib/web/input.ts";
import { clientIp } from "@/lib/web/session_cookie.ts";
import { createUser, CreateUserInput, listUsers, User } from "@/lib/auth/users.ts";
import { actorOf } from "@/lib/auth/principal.ts";

export const adminOnly = true;

export const handler = define.handlers({
  async GET(c) {
    return c.json({ users: await listUsers(c.var.app.sql) });
  },
  async POST(c) {
    const { sql } = c.var.app;
    const input = await readJson(c, CreateUserInput);
    const user = await createUser(sql, input, actorOf(c.var.principal, clientIp(c)));
    return c.json({ success: true, user }, 201);
  },
});

export const docs = define.docs({
  GET: {
    summary: "Admins: every user",
    tags: ["users"],
    responses: { 200: { description: "Users", schema: z.object({ users: z.array(User) }) } },
  },
  POST: {
    summary: "Admins: create a user (password 8–128 characters, not a common one)",
    tags: ["users"],
    body: CreateUserInput,
    responses: {
      201: { description: "Created", schema: z.object({ success: z.literal(true), user: User }) },
      409: { description: "The email is taken" },
    },
  },
});
