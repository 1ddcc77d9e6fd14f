import { z } from "zod";
import { define } from "@/lib/web/define.ts";
import { readJson } from "@/lib/web/input.ts";
import { clientIp } from "@/lib/web/session_cookie.ts";
import { actorOf } from "@/lib/auth/principal.ts";
import { ForbiddenError } from "@/lib/errors.ts";
import { Label, LabelInput } from "@/lib/conversations/team_schemas.ts";
import { createLabel, listLabels } from "@/lib/conversations/labels.ts";

export const handler = define.handlers({
  async GET(c) {
    return c.json({ labels: await listLabels(c.var.app.sql) });
  },
  async POST(c) {
    if (c.var.principal.role !== "admin") throw new ForbiddenError("Only admins can do this");
    const input = await readJson(c, LabelInput);
    const label = await createLabel(c.var.app.sql, {
      ...input,
      actor: actorOf(c.var.principal, clientIp(c)),
    });
    return c.json({ success: true, label }, 201);
  },
});

export const docs = define.docs({
  GET: {
    summary: "Every label, by name",
    tags: ["labels"],
    responses: { 200: { description: "Labels", schema: z.object({ labels: z.array(Label) }) } },
  },
  POST: {
    summary: "Admins: create a label",
    tags: ["labels"],
    body: LabelInput,
    responses: {
      201: { description: "Created", schema: z.object({ success: z.literal(true), label: Label }) },
      409: { description: "A label of that name exists" },
    },
  },
});
