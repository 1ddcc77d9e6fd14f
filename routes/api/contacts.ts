import { define } from "@/lib/web/define.ts";
import { readJson, readQuery } from "@/lib/web/input.ts";
import {
  ContactCreateInput,
  ContactList,
  ContactListQuery,
  ContactResult,
  Failure,
} from "@/lib/contacts/schemas.ts";
import { createContact, listContacts } from "@/lib/contacts/service.ts";

export const handler = define.handlers({
  async GET(c) {
    const query = readQuery(c, ContactListQuery);
    return c.json(await listContacts(c.var.app.sql, query));
  },
  async POST(c) {
    const { sql, settings } = c.var.app;
    const input = await readJson(c, ContactCreateInput);
    return c.json({ success: true, contact: await createContact(sql, settings, input) }, 201);
  },
});

export const docs = define.docs({
  GET: {
    summary:
      "List contacts by name (keyset-paged with before=next_cursor); q matches name, phone or email",
    tags: ["contacts"],
    query: ContactListQuery,
    responses: {
      200: { description: "A page of contacts", schema: ContactList },
      400: { description: "Bad input, in words", schema: Failure },
    },
  },
  POST: {
    summary: "Create a contact with its phone numbers (stored in E.164) and emails (lowercased)",
    tags: ["contacts"],
    body: ContactCreateInput,
    responses: {
      201: { description: "Created", schema: ContactResult },
      400: { description: "Bad input, in words", schema: Failure },
      409: { description: "An address already belongs to another contact", schema: Failure },
    },
  },
});
