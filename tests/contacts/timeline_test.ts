import assert from "node:assert/strict";
import { jsonRequest, randomEmail, startTestApp, test } from "@/tests/helpers.ts";
import { receiveInboundSms } from "@/lib/messages/service.ts";
import { smsFromAddress } from "@/lib/providers/select.ts";
import { createContact, uniquePhone, uniqueWord } from "./fixtures.ts";

const t = await startTestApp();

interface Item {
  kind: "message" | "email";
  id: string;
  conversation_id: string;
  body: string;
  subject?: string;
  channel?: string;
  timestamp: string;
}

async function inbound(from: string, body: string): Promise<string> {
  return await receiveInboundSms(t.ctx.sql, {
    from,
    to: smsFromAddress(t.ctx.settings),
    body,
    provider: "sandbox",
    providerMessageId: `SM${crypto.randomUUID().replaceAll("-", "")}`,
  });
}

test("the timeline mixes one person's SMS and email, newest first, keyset-paged", async () => {
  const phone = uniquePhone();
  const email = randomEmail();
  const c = await createContact(t.app, { name: "Gia", phones: [phone], emails: [email] });
  const expected: string[] = [];
  const ids: string[] = [];
  const sms = async (content: string) => {
    const r = await (await jsonRequest(t.app, "/api/send_message", { to: phone, content })).json();
    ids.push(r.message_id);
    expected.push(content);
  };
  const mail = async (body: string) => {
    const r = await (await jsonRequest(t.app, "/api/send_email", {
      to_email: email,
      subject: `About ${body}`,
      body,
    })).json();
    ids.push(r.email_id);
    expected.push(body);
  };
  await sms("one");
  await mail("two");
  ids.push(await inbound(phone, "three"));
  expected.push("three");
  await mail("four");
  await sms("five");
  // Someone else's messages stay out of Gia's timeline.
  await jsonRequest(t.app, "/api/send_message", { to: uniquePhone(), content: "not gia" });

  const pages: string[][] = [];
  const items: Item[] = [];
  let before: string | null = null;
  do {
    const more: string = before ? `&before=${before}` : "";
    const res = await t.app.request(`/api/contacts/${c.id}/timeline?limit=2${more}`);
    assert.equal(res.status, 200);
    const page = await res.json();
    pages.push(page.items.map((i: Item) => i.body));
    items.push(...page.items);
    before = page.next_cursor;
  } while (before);
  assert.deepEqual(pages, [["five", "four"], ["three", "two"], ["one"]]);
  assert.deepEqual(items.map((i) => i.id), [...ids].reverse());
  assert.deepEqual(items.map((i) => i.kind), ["message", "email", "message", "email", "message"]);
  const four = items[1];
  assert.equal(four.subject, "About four");
  const three = items[2];
  assert.equal(three.channel, "sms");
  assert.deepEqual(
    new Set(items.map((i) => i.conversation_id)).size,
    2,
    "one SMS and one email conversation",
  );
  const contact = (await (await t.app.request(`/api/contacts/${c.id}`)).json()).contact;
  assert.deepEqual(
    [...contact.conversation_ids].sort(),
    [...new Set(items.map((i) => i.conversation_id))].sort(),
  );
  const stamps = items.map((i) => i.timestamp);
  assert.deepEqual(stamps, [...stamps].sort().reverse());
});

test("a contact without conversations has an empty timeline; bad paging is a 400", async () => {
  const c = await createContact(t.app, { name: "Hal" });
  const page = await (await t.app.request(`/api/contacts/${c.id}/timeline`)).json();
  assert.deepEqual(page, { items: [], next_cursor: null });
  const bad = await t.app.request(`/api/contacts/${c.id}/timeline?before=nope`);
  assert.equal(bad.status, 400);
  assert.match((await bad.json()).error, /Invalid cursor "nope"/);
  const big = await t.app.request(`/api/contacts/${c.id}/timeline?limit=500`);
  assert.equal(big.status, 400);
  assert.match((await big.json()).error, /limit must be at most 200/);
});

test("the conversation list shows the contact's name and id, and q finds it by that name", async () => {
  const phone = uniquePhone();
  const email = randomEmail();
  const name = uniqueWord("Ivy ");
  const sms = await (await jsonRequest(t.app, "/api/send_message", { to: phone, content: "yo" }))
    .json();
  const mail = await (await jsonRequest(t.app, "/api/send_email", {
    to_email: email,
    subject: "Hello",
    body: "Hi Ivy",
  })).json();
  const before = await (await t.app.request(`/api/conversation/${sms.conversation_id}`)).json();
  assert.equal(before.conversation.contact_name, null);
  assert.equal(before.conversation.contact_id, null);

  const c = await createContact(t.app, { name, phones: [phone], emails: [email] });
  const list = await (await t.app.request(`/api/conversations?q=${encodeURIComponent(name)}`))
    .json();
  const found = list.conversations.map((x: { id: string; contact_name: string }) => [
    x.id,
    x.contact_name,
  ]).sort();
  assert.deepEqual(found, [[sms.conversation_id, name], [mail.conversation_id, name]].sort());
  for (const conv of list.conversations) assert.equal(conv.contact_id, c.id);

  // A rename shows at once: the name is read through the link, never copied.
  await t.app.request(`/api/contacts/${c.id}`, {
    method: "PATCH",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ name: `${name} Renamed` }),
  });
  const one = await (await t.app.request(`/api/conversation/${mail.conversation_id}`)).json();
  assert.equal(one.conversation.contact_name, `${name} Renamed`);
});

test("a chat conversation keeps its chat name when no contact holds it", async () => {
  const chatName = uniqueWord("Chatter ");
  const chat = await (await jsonRequest(t.app, "/api/send_message", {
    to: chatName,
    content: "hello",
  })).json();
  const conv = (await (await t.app.request(`/api/conversation/${chat.conversation_id}`)).json())
    .conversation;
  assert.equal(conv.contact_name, chatName);
  assert.equal(conv.contact_id, null);
});

test("the conversation list pages without skipping rows a millisecond apart or less", async () => {
  // JS dates hold milliseconds, PostgreSQL microseconds: a cursor cut to the millisecond would
  // skip the rest of the boundary's millisecond.
  const tag = uniqueWord("tie");
  for (let i = 1; i <= 5; i++) {
    await t.ctx.sql`
      insert into conversations (id, channel, participants, last_message_at, last_message_preview)
      values (${crypto.randomUUID()}, 'sms', ${["+10000000000", uniquePhone()]},
        ${`2020-01-01T00:00:00.1230${i}0Z`}::text::timestamptz, ${`${tag} ${i}`})`;
  }
  const seen: string[] = [];
  let before: string | null = null;
  do {
    const more: string = before ? `&before=${before}` : "";
    const page = await (await t.app.request(`/api/conversations?q=${tag}&limit=2${more}`)).json();
    seen.push(...page.conversations.map((c: { last_message: string }) => c.last_message));
    before = page.next_cursor;
  } while (before);
  assert.deepEqual(seen, [5, 4, 3, 2, 1].map((i) => `${tag} ${i}`));
});
