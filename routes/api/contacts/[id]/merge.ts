import { define } from "@/lib/web/define.ts";
import { readJson, uuidParam } from "@/lib/web/input.ts";
import { ContactMergeInput, ContactResult, Failure } from "@/lib/contacts/schemas.ts";
import { mergeContacts } from "@/lib/contacts/service.ts";

export const handler = define.handlers({
  async POST(c) {
    const into = uuidParam(c, "contact");
    const { other_id } = await readJson(c, ContactMergeInput);
    const contact = await mergeContacts(c.var.app.sql, { into, other: other_id.toLowerCase() });
    return c.json({ success: true, contact });
  },
});

export const docs = define.docs({
  POST: {
    summary:
      "Merge another contact into this one: its addresses and notes move here, this one's name stays, the other is deleted",
    tags: ["contacts"],
    body: ContactMergeInput,
    responses: {
      200: { description: "Merged", schema: ContactResult },
      400: { description: "Bad input, or a merge into itself", schema: Failure },
      404: { description: "No such contact", schema: Failure },
    },
  },
});
