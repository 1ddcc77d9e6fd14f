import { z } from "zod";
import { define } from "@/lib/web/define.ts";
import { uuidParam } from "@/lib/web/input.ts";
import { Email } from "@/lib/emails/schemas.ts";
import { getEmail } from "@/lib/emails/service.ts";

export const handler = define.handlers({
  async GET(c) {
    return c.json({ email: await getEmail(c.var.app.sql, uuidParam(c, "email")) });
  },
});

export const docs = define.docs({
  GET: {
    summary: "One email with its delivery status",
    tags: ["emails"],
    responses: {
      200: { description: "The email", schema: z.object({ email: Email }) },
      404: { description: "No such email" },
    },
  },
});
