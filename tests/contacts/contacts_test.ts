import assert from "node:assert/strict";
import { jsonRequest, randomEmail, startTestApp, test } from "@/tests/helpers.ts";
import { createContact, send, uniquePhone, uniqueWord } from "./fixtures.ts";

const t = await startTestApp();

async function contactsNamed(name: string): Promise<number> {
  const [{ n }] = await t.ctx.sql`select count(*)::int as n from contacts where name = ${name}`;
  return n;
}

test("a contact is created with normalised phones and lowercased emails, and read back", async () => {
  const phone = uniquePhone();
  const national = `(${phone.slice(2, 5)}) ${phone.slice(5, 8)}-${phone.slice(8)}`;
  const email = randomEmail();
  const res = await jsonRequest(t.app, "/api/contacts", {
    name: "  Ana Lima ",
    phones: [national, phone],
    emails: [email.toUpperCase()],
    notes: "Prefers texts",
  });
  assert.equal(res.status, 201);
  const body = await res.json();
  assert.equal(body.success, true);
  const c = body.contact;
  assert.equal(c.name, "Ana Lima");
  assert.deepEqual(c.phones, [phone], "both spellings are one E.164 number");
  assert.deepEqual(c.emails, [email]);
  assert.equal(c.notes, "Prefers texts");
  assert.deepEqual(c.conversation_ids, []);
  assert.ok(Date.parse(c.created_at) <= Date.parse(c.updated_at));
  const got = await (await t.app.request(`/api/contacts/${c.id}`)).json();
  assert.deepEqual(got.contact, c);
});

test("bad input is a 400 in words and stores nothing", async () => {
  const name = uniqueWord("Bad ");
  const cases: [unknown, RegExp][] = [
    [{}, /name is required/],
    [{ name: "   " }, /name is empty/],
    [{ name: "x".repeat(201) }, /name is too long/],
    [{ name, phones: ["12"] }, /^Cannot save phone "12": not a valid phone number$/],
    [{ name, phones: [uniquePhone(), "+1 415 000"] }, /Cannot save phone "\+1 415 000"/],
    [{ name, emails: ["not-an-email"] }, /^Cannot save email "not-an-email": not a valid email/],
    [{ name, phones: "+14155550100" }, /phones must be a list of phone numbers/],
    [{ name, phone: [uniquePhone()] }, /Unrecognized key.*"phone"/],
    ["{not json", /Malformed JSON/],
  ];
  for (const [input, error] of cases) {
    const res = await jsonRequest(t.app, "/api/contacts", input);
    assert.equal(res.status, 400, JSON.stringify(input));
    const body = await res.json();
    assert.equal(body.success, false);
    assert.match(body.error, error);
  }
  assert.equal(await contactsNamed(name), 0);
});

test("an unknown or malformed contact id is a 404 or a 400 in words", async () => {
  const missing = crypto.randomUUID();
  for (
    const [method, path, body] of [
      ["GET", `/api/contacts/${missing}`],
      ["PATCH", `/api/contacts/${missing}`, { name: "X" }],
      ["DELETE", `/api/contacts/${missing}`],
      ["GET", `/api/contacts/${missing}/timeline`],
    ] as [string, string, unknown?][]
  ) {
    const res = await send(t.app, method, path, body);
    assert.equal(res.status, 404, `${method} ${path}`);
    assert.equal((await res.json()).error, `Contact "${missing}" not found`);
  }
  const bad = await t.app.request("/api/contacts/nope");
  assert.equal(bad.status, 400);
  assert.equal((await bad.json()).error, 'Invalid contact id "nope": expected a UUID');
});

test("an address another contact holds is a 409 naming it and its owner; nothing is stored", async () => {
  const phone = uniquePhone();
  const email = randomEmail();
  const ana = await createContact(t.app, { name: "Ana Lima", phones: [phone], emails: [email] });
  const name = uniqueWord("Other ");
  const national = `${phone.slice(2, 5)}.${phone.slice(5, 8)}.${phone.slice(8)}`;
  const byPhone = await jsonRequest(t.app, "/api/contacts", {
    name,
    phones: [uniquePhone(), national],
  });
  assert.equal(byPhone.status, 409);
  assert.equal(
    (await byPhone.json()).error,
    `Phone "${phone}" already belongs to contact "Ana Lima"`,
  );
  const byEmail = await jsonRequest(t.app, "/api/contacts", {
    name,
    emails: [` ${email.toUpperCase()} `],
  });
  assert.equal(byEmail.status, 409);
  assert.equal(
    (await byEmail.json()).error,
    `Email "${email}" already belongs to contact "Ana Lima"`,
  );
  assert.equal(await contactsNamed(name), 0, "the failed creations left no contact behind");

  // Taking it over by an edit fails the same way and leaves the other contact as it was.
  const bo = await createContact(t.app, { name: "Bo", phones: [uniquePhone()] });
  const patch = await send(t.app, "PATCH", `/api/contacts/${bo.id}`, {
    name: "Bo Renamed",
    phones: [phone],
  });
  assert.equal(patch.status, 409);
  assert.match((await patch.json()).error, /already belongs to contact "Ana Lima"/);
  const after = (await (await t.app.request(`/api/contacts/${bo.id}`)).json()).contact;
  assert.deepEqual(after, bo);
  const owner = (await (await t.app.request(`/api/contacts/${ana.id}`)).json()).contact;
  assert.deepEqual(owner.phones, [phone]);
});

test("PATCH changes the given fields; phones and emails replace the sets", async () => {
  const [p1, p2, p3] = [uniquePhone(), uniquePhone(), uniquePhone()];
  const [e1, e2] = [randomEmail(), randomEmail()];
  const c = await createContact(t.app, { name: "Cy", phones: [p1, p2], emails: [e1] });
  const res = await send(t.app, "PATCH", `/api/contacts/${c.id}`, {
    name: "Cy Twombly",
    notes: "Painter",
  });
  assert.equal(res.status, 200);
  const renamed = (await res.json()).contact;
  assert.equal(renamed.name, "Cy Twombly");
  assert.equal(renamed.notes, "Painter");
  assert.deepEqual(renamed.phones, [p1, p2].sort(), "phones left out stay");
  assert.ok(renamed.updated_at > c.updated_at);

  const replaced = (await (await send(t.app, "PATCH", `/api/contacts/${c.id}`, {
    phones: [p2, p3],
    emails: [e2],
  })).json()).contact;
  assert.deepEqual(replaced.phones, [p2, p3].sort());
  assert.deepEqual(replaced.emails, [e2]);
  assert.equal(replaced.name, "Cy Twombly");

  // The numbers it gave up are free for someone else.
  const other = await createContact(t.app, { name: "Dee", phones: [p1], emails: [e1] });
  assert.deepEqual(other.phones, [p1]);

  const cleared = (await (await send(t.app, "PATCH", `/api/contacts/${c.id}`, {
    phones: [],
  })).json()).contact;
  assert.deepEqual(cleared.phones, []);
  assert.deepEqual(cleared.emails, [e2]);

  const bad = await send(t.app, "PATCH", `/api/contacts/${c.id}`, { name: "" });
  assert.equal(bad.status, 400);
  assert.match((await bad.json()).error, /name is empty/);
});

test("DELETE removes the contact; its conversations and messages stay, unlinked", async () => {
  const phone = uniquePhone();
  const sent = await (await jsonRequest(t.app, "/api/send_message", {
    to: phone,
    content: "hello there",
  })).json();
  const c = await createContact(t.app, { name: uniqueWord("Gone "), phones: [phone] });
  assert.deepEqual(c.conversation_ids, [sent.conversation_id]);
  const linked = await (await t.app.request(`/api/conversation/${sent.conversation_id}`)).json();
  assert.equal(linked.conversation.contact_id, c.id);

  const res = await send(t.app, "DELETE", `/api/contacts/${c.id}`);
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), { success: true });
  assert.equal((await t.app.request(`/api/contacts/${c.id}`)).status, 404);
  const conv = (await (await t.app.request(`/api/conversation/${sent.conversation_id}`)).json())
    .conversation;
  assert.equal(conv.contact_id, null);
  assert.equal(conv.contact_name, null);
  const [m] = await t.ctx.sql`select id from messages where id = ${sent.message_id}`;
  assert.ok(m, "the message stays");
  const [p] = await t.ctx.sql`select 1 from contact_phones where phone = ${phone}`;
  assert.equal(p, undefined, "its number is free again");
  assert.equal((await send(t.app, "DELETE", `/api/contacts/${c.id}`)).status, 404);
});

test("merge moves the other's addresses and notes here, keeps this name, deletes the other", async () => {
  const [pa, pb] = [uniquePhone(), uniquePhone()];
  const eb = randomEmail();
  const a = await createContact(t.app, { name: "Eve A", phones: [pa], notes: "VIP" });
  const b = await createContact(t.app, {
    name: "Eve B",
    phones: [pb],
    emails: [eb],
    notes: "Met at the fair",
  });
  const sms = await (await jsonRequest(t.app, "/api/send_message", { to: pb, content: "hi" }))
    .json();
  const res = await jsonRequest(t.app, `/api/contacts/${a.id}/merge`, { other_id: b.id });
  assert.equal(res.status, 200);
  const merged = (await res.json()).contact;
  assert.equal(merged.id, a.id);
  assert.equal(merged.name, "Eve A");
  assert.deepEqual(merged.phones, [pa, pb].sort());
  assert.deepEqual(merged.emails, [eb]);
  assert.equal(merged.notes, "VIP\n\nMet at the fair");
  assert.deepEqual(merged.conversation_ids, [sms.conversation_id]);
  assert.equal((await t.app.request(`/api/contacts/${b.id}`)).status, 404);
  const conv = (await (await t.app.request(`/api/conversation/${sms.conversation_id}`)).json())
    .conversation;
  assert.equal(conv.contact_id, a.id);
  assert.equal(conv.contact_name, "Eve A");
});

test("merge refuses itself, unknown contacts and a bad other_id, changing nothing", async () => {
  const a = await createContact(t.app, { name: "Fay", phones: [uniquePhone()] });
  const self = await jsonRequest(t.app, `/api/contacts/${a.id}/merge`, { other_id: a.id });
  assert.equal(self.status, 400);
  assert.equal((await self.json()).error, `Cannot merge contact "${a.id}" into itself`);
  const missing = crypto.randomUUID();
  const unknown = await jsonRequest(t.app, `/api/contacts/${a.id}/merge`, { other_id: missing });
  assert.equal(unknown.status, 404);
  assert.equal((await unknown.json()).error, `Contact "${missing}" not found`);
  const intoUnknown = await jsonRequest(t.app, `/api/contacts/${missing}/merge`, {
    other_id: a.id,
  });
  assert.equal(intoUnknown.status, 404);
  const bad = await jsonRequest(t.app, `/api/contacts/${a.id}/merge`, { other_id: "x" });
  assert.equal(bad.status, 400);
  assert.match((await bad.json()).error, /other_id must be a contact id/);
  const after = (await (await t.app.request(`/api/contacts/${a.id}`)).json()).contact;
  assert.deepEqual(after, a);
});

test("the list is ordered by name, case-insensitively, keyset-paged, filtered by q", async () => {
  const tag = uniqueWord("zz");
  const names = [`${tag} charlie`, `${tag} Alpha`, `${tag} bravo`, `${tag} Delta`];
  const phone = uniquePhone();
  const email = randomEmail();
  for (const [i, name] of names.entries()) {
    await createContact(t.app, {
      name,
      phones: i === 2 ? [phone] : [],
      emails: i === 3 ? [email] : [],
    });
  }
  const seen: string[] = [];
  let before: string | null = null;
  let pages = 0;
  do {
    const more: string = before ? `&before=${before}` : "";
    const res = await t.app.request(`/api/contacts?q=${tag}&limit=3${more}`);
    assert.equal(res.status, 200);
    const page = await res.json();
    seen.push(...page.contacts.map((c: { name: string }) => c.name));
    before = page.next_cursor;
    pages++;
  } while (before);
  assert.equal(pages, 2);
  assert.deepEqual(seen, [`${tag} Alpha`, `${tag} bravo`, `${tag} charlie`, `${tag} Delta`]);

  const byPhone = await (await t.app.request(`/api/contacts?q=${phone.slice(-7)}`)).json();
  assert.deepEqual(byPhone.contacts.map((c: { name: string }) => c.name), [`${tag} bravo`]);
  const byEmail = await (await t.app.request(`/api/contacts?q=${email.toUpperCase()}`)).json();
  assert.deepEqual(byEmail.contacts.map((c: { name: string }) => c.name), [`${tag} Delta`]);
  // An address whose digits are in someone's number is not a phone search.
  const lookalike = encodeURIComponent(`t${phone.slice(-7)}@example.com`);
  const byLookalike = await (await t.app.request(`/api/contacts?q=${lookalike}`)).json();
  assert.deepEqual(byLookalike.contacts, []);

  const bad = await t.app.request("/api/contacts?before=garbage");
  assert.equal(bad.status, 400);
  assert.match((await bad.json()).error, /Invalid cursor "garbage"/);
  assert.equal((await t.app.request("/api/contacts?limit=0")).status, 400);
});

test("the OpenAPI document lists the contact and search endpoints", async () => {
  const doc = await (await t.app.request("/openapi.json")).json();
  assert.ok(doc.paths["/api/contacts"].get && doc.paths["/api/contacts"].post);
  const one = doc.paths["/api/contacts/{id}"];
  assert.ok(one.get && one.patch && one.delete);
  assert.ok(doc.paths["/api/contacts/{id}/merge"].post);
  assert.ok(doc.paths["/api/contacts/{id}/timeline"].get);
  assert.ok(doc.paths["/api/search"].get);
});
