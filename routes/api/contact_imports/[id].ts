import { z } from "zod";
import { define } from "@/lib/web/define.ts";
import { uuidParam } from "@/lib/web/input.ts";
import { ContactImport } from "@/lib/contact_import/schemas.ts";
import { getImport } from "@/lib/contact_import/service.ts";

export const handler = define.handlers({
  async GET(c) {
    return c.json({ import: await getImport(c.var.app.sql, uuidParam(c, "import")) });
  },
});

export const docs = define.docs({
  GET: {
    summary: "An import's progress, and the report: created, merged, every skipped row and why",
    tags: ["contacts"],
    responses: {
      200: { description: "The import", schema: z.object({ import: ContactImport }) },
      404: { description: "No such import" },
    },
  },
});
