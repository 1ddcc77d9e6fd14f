import { z } from "zod";
import { define } from "@/lib/web/define.ts";
import { readJson } from "@/lib/web/input.ts";
import { actorOf } from "@/lib/auth/principal.ts";
import { clientIp } from "@/lib/web/session_cookie.ts";
import { ContactImport, ImportInput } from "@/lib/contact_import/schemas.ts";
import { startImport } from "@/lib/contact_import/service.ts";

export const handler = define.handlers({
  async POST(c) {
    const input = await readJson(c, ImportInput);
    const actor = actorOf(c.var.principal, clientIp(c));
    return c.json({ import: await startImport(c.var.app.sql, input, actor) }, 202);
  },
});

export const docs = define.docs({
  POST: {
    summary:
      "Import contacts from a CSV: columns mapped or guessed, numbers normalised, rows matching a contact merged into it, labels assigned; follow it at GET /api/contact_imports/:id",
    tags: ["contacts"],
    body: ImportInput,
    responses: {
      202: { description: "Started", schema: z.object({ import: ContactImport }) },
      400: { description: "Bad input (no phone or email column, say), in words" },
    },
  },
});
