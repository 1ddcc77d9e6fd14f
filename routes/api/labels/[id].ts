import { z } from "zod";
import { define } from "@/lib/web/define.ts";
import { readJson, uuidParam } from "@/lib/web/input.ts";
import { clientIp } from "@/lib/web/session_cookie.ts";
import { actorOf } from "@/lib/auth/principal.ts";
import { Label, LabelPatch } from "@/lib/conversations/team_schemas.ts";
import { deleteLabel, updateLabel } from "@/lib/conversations/labels.ts";

export const adminOnly = true;

export const handler = define.handlers({
  async PATCH(c) {
    const id = uuidParam(c, "label");
    const input = await readJson(c, LabelPatch);
    const label = await updateLabel(c.var.app.sql, {
      id,
      ...input,
      actor: actorOf(c.var.principal, clientIp(c)),
    });
    return c.json({ success: true, label });
  },
  async DELETE(c) {
    const id = uuidParam(c, "label");
    await deleteLabel(c.var.app.sql, { id, actor: actorOf(c.var.principal, clientIp(c)) });
    return c.json({ success: true });
  },
});

export const docs = define.docs({
  PATCH: {
    summary: "Admins: rename or recolour a label",
    tags: ["labels"],
    body: LabelPatch,
    responses: {
      200: { description: "Changed", schema: z.object({ success: z.literal(true), label: Label }) },
      404: { description: "No such label" },
    },
  },
  DELETE: {
    summary: "Admins: delete a label (it comes off every conversation)",
    tags: ["labels"],
    responses: {
      200: { description: "Deleted", schema: z.object({ success: z.literal(true) }) },
      404: { description: "No such label" },
    },
  },
});
