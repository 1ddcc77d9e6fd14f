import { z } from "zod";
import { define } from "@/lib/web/define.ts";
import { readJson, uuidParam } from "@/lib/web/input.ts";
import { Contact, ContactPatchInput, ContactResult, Failure } from "@/lib/contacts/schemas.ts";
import { deleteContact, getContact, updateContact } from "@/lib/contacts/service.ts";

export const handler = define.handlers({
  async GET(c) {
    const id = uuidParam(c, "contact");
    return c.json({ contact: await getContact(c.var.app.sql, id) });
  },
  async PATCH(c) {
    const { sql, settings } = c.var.app;
    const id = uuidParam(c, "contact");
    const input = await readJson(c, ContactPatchInput);
    return c.json({ success: true, contact: await updateContact(sql, settings, { ...input, id }) });
  },
  async DELETE(c) {
    await deleteContact(c.var.app.sql, uuidParam(c, "contact"));
    return c.json({ success: true });
  },
});

export const docs = define.docs({
  GET: {
    summary: "One contact with its addresses and the ids of its conversations",
    tags: ["contacts"],
    responses: {
      200: { description: "The contact", schema: z.object({ contact: Contact }) },
      404: { description: "No such contact", schema: Failure },
    },
  },
  PATCH: {
    summary: "Change a contact; phones and emails, when given, replace its sets",
    tags: ["contacts"],
    body: ContactPatchInput,
    responses: {
      200: { description: "Changed", schema: ContactResult },
      400: { description: "Bad input, in words", schema: Failure },
      404: { description: "No such contact", schema: Failure },
      409: { description: "An address already belongs to another contact", schema: Failure },
    },
  },
  DELETE: {
    summary: "Delete a contact; its conversations and messages stay, unlinked",
    tags: ["contacts"],
    responses: {
      200: { description: "Deleted", schema: z.object({ success: z.literal(true) }) },
      404: { description: "No such contact", schema: Failure },
    },
  },
});
