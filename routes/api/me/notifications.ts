import { z } from "zod";
import { define } from "@/lib/web/define.ts";
import { readJson } from "@/lib/web/input.ts";
import { setUserNotifies, userNotifies } from "@/lib/conversations/settings.ts";

const Notifications = z.object({
  notify: z.boolean().describe(
    "Desktop notifications for customer messages in your or unassigned conversations, and mentions",
  ),
});

export const handler = define.handlers({
  async GET(c) {
    return c.json({ notify: await userNotifies(c.var.app.sql, c.var.principal.userId) });
  },
  async PUT(c) {
    const { notify } = await readJson(c, Notifications);
    await setUserNotifies(c.var.app.sql, { userId: c.var.principal.userId, notify });
    return c.json({ notify });
  },
});

export const docs = define.docs({
  GET: {
    summary: "Whether you get desktop notifications",
    tags: ["me"],
    responses: { 200: { description: "Your setting", schema: Notifications } },
  },
  PUT: {
    summary: "Turn your desktop notifications on or off",
    tags: ["me"],
    body: Notifications,
    responses: { 200: { description: "Your setting", schema: Notifications } },
  },
});
