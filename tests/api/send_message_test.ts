import assert from "node:assert/strict";
import { findJob, jsonRequest, randomPhone, startTestApp, test } from "@/tests/helpers.ts";

const t = await startTestApp();

async function count(table: string): Promise<number> {
  const [{ n }] = await t.ctx.sql`select count(*)::int as n from ${t.ctx.sql(table)}`;
  return n;
}

test("an SMS is stored, queued with its delivery job, and answered at once with 202", async () => {
  const to = randomPhone();
  const res = await jsonRequest(t.app, "/api/send_message", { to, content: "hi" });
  assert.equal(res.status, 202);
  const body = await res.json();
  assert.equal(body.success, true);
  assert.equal(body.status, "queued");
  const [m] = await t.ctx.sql`select * from messages where id = ${body.message_id}`;
  assert.equal(m.to_contact, to);
  assert.equal(m.status, "queued");
  const job = await findJob(t.ctx.sql, "message_id", body.message_id);
  assert.equal(job?.task_identifier, "deliver_message");
});

test("a number written for people is normalised to E.164", async () => {
  const res = await jsonRequest(t.app, "/api/send_message", {
    to: "(415) 555-2671",
    content: "hello",
  });
  const body = await res.json();
  const [m] = await t.ctx.sql`select to_contact from messages where id = ${body.message_id}`;
  assert.equal(m.to_contact, "+14155552671");
});

test("a plain name is an in-app chat: stored, not queued for SMS", async () => {
  const res = await jsonRequest(t.app, "/api/send_message", { to: "Alice", content: "lunch?" });
  assert.equal(res.status, 202);
  const body = await res.json();
  assert.equal(body.status, "sent");
  const [m] = await t.ctx.sql`select channel, status from messages where id = ${body.message_id}`;
  assert.deepEqual({ ...m }, { channel: "chat", status: "sent" });
  assert.equal(await findJob(t.ctx.sql, "message_id", body.message_id), undefined);
});

test("sending to a new number starts a conversation that the list shows first", async () => {
  const to = randomPhone();
  const sent = await (await jsonRequest(t.app, "/api/send_message", { to, content: "first" }))
    .json();
  const list = await (await t.app.request("/api/conversations?limit=5")).json();
  assert.equal(list.conversations[0].id, sent.conversation_id);
  assert.equal(list.conversations[0].contact, to);
  assert.equal(list.conversations[0].last_message, "first");
  assert.equal(list.conversations[0].message_count, 1);
  const thread = await (await t.app.request(`/api/conversation/${sent.conversation_id}/messages`))
    .json();
  assert.deepEqual(thread.messages.map((m: { body: string }) => m.body), ["first"]);
});

const badInputs: [string, unknown, number, RegExp][] = [
  ["an invalid phone number", { to: "+1415", content: "x" }, 400, /"\+1415": not a valid phone/],
  ["an empty body", { to: "+14155550100", content: "   " }, 400, /content is empty/],
  ["a missing body", { to: "+14155550100" }, 400, /content/],
  [
    "a 2000-character SMS",
    { to: "+14155550100", content: "x".repeat(2000) },
    400,
    /2000 characters, at most 1600/,
  ],
  [
    "1,601 emoji",
    { to: "+14155550100", content: "😀".repeat(1601) },
    400,
    /content is too long: 1601 characters, at most 1600/,
  ],
  ["an empty recipient", { to: "", content: "x" }, 400, /to is required/],
  [
    "a 5,000-character recipient",
    { to: "1".repeat(5000), content: "x" },
    400,
    /^to: to is too long: 5000 characters, at most 100$/,
  ],
  [
    "a 5,000-character sender",
    { to: "+14155550100", from: "1".repeat(5000), content: "x" },
    400,
    /^from: from is too long: 5000 characters, at most 100$/,
  ],
  ["a non-object", [1, 2], 400, /expected object/i],
  [
    "an unknown conversation",
    { to: "+14155550100", content: "x", conversation_id: crypto.randomUUID() },
    404,
    /Conversation ".*" not found/,
  ],
];
for (const [name, input, status, error] of badInputs) {
  test(`bad input is refused with a ${status} that names it, storing nothing: ${name}`, async () => {
    const before = await count("messages");
    const res = await jsonRequest(t.app, "/api/send_message", input);
    assert.equal(res.status, status);
    const body = await res.json();
    assert.equal(body.success, false);
    assert.match(body.error, error);
    assert.equal(await count("messages"), before);
  });
}

test("the SMS limit counts characters as people see them: 1,600 emoji go", async () => {
  const content = "😀".repeat(1600);
  const res = await jsonRequest(t.app, "/api/send_message", { to: randomPhone(), content });
  assert.equal(res.status, 202, await res.clone().text());
  const { message_id } = await res.json();
  const [row] = await t.ctx.sql`select body from messages where id = ${message_id}`;
  assert.equal(row.body, content);
});

test("malformed JSON gets a 400 in words", async () => {
  const res = await jsonRequest(t.app, "/api/send_message", '{"to": "+1415555', {});
  assert.equal(res.status, 400);
  assert.match((await res.json()).error, /^Malformed JSON/);
});

test("unknown conversation and message ids get 404, non-UUIDs 400", async () => {
  const id = crypto.randomUUID();
  assert.equal((await t.app.request(`/api/conversation/${id}/messages`)).status, 404);
  assert.equal((await t.app.request(`/api/conversation/${id}`)).status, 404);
  assert.equal((await t.app.request(`/api/message/${id}`)).status, 404);
  const res = await t.app.request(`/api/conversation/nope/messages`);
  assert.equal(res.status, 400);
  assert.match((await res.json()).error, /Invalid conversation id "nope"/);
});

test("a message can be read back by id", async () => {
  const sent = await (await jsonRequest(t.app, "/api/send_message", {
    to: randomPhone(),
    content: "by id",
  })).json();
  const res = await t.app.request(`/api/message/${sent.message_id}`);
  const { message } = await res.json();
  assert.equal(message.body, "by id");
  assert.equal(message.direction, "outbound");
});

test("a send into an existing conversation by its id (a sha256-derived UUID) is accepted", async () => {
  const to = randomPhone();
  const first = await (await jsonRequest(t.app, "/api/send_message", { to, content: "one" }))
    .json();
  const res = await jsonRequest(t.app, "/api/send_message", {
    to,
    content: "two",
    conversation_id: first.conversation_id,
  });
  assert.equal(res.status, 202);
  assert.equal((await res.json()).conversation_id, first.conversation_id);
  const other = await jsonRequest(t.app, "/api/send_message", {
    to: randomPhone(),
    content: "x",
    conversation_id: first.conversation_id,
  });
  assert.equal(other.status, 400);
  assert.match((await other.json()).error, /is not with/);
});

test("the sandbox simulator answers as the customer into an SMS conversation", async () => {
  const to = randomPhone();
  const sent = await (await jsonRequest(t.app, "/api/send_message", { to, content: "hi" })).json();
  const res = await jsonRequest(t.app, "/api/sandbox/inbound", {
    conversation_id: sent.conversation_id,
    body: "hello back",
  });
  assert.equal(res.status, 201);
  const { message_id } = await res.json();
  const { message } = await (await t.app.request(`/api/message/${message_id}`)).json();
  assert.deepEqual(
    [message.direction, message.status, message.from_contact, message.body],
    ["inbound", "received", to, "hello back"],
  );
  const chat =
    await (await jsonRequest(t.app, "/api/send_message", { to: "Chat Pal", content: "x" }))
      .json();
  const refused = await jsonRequest(t.app, "/api/sandbox/inbound", {
    conversation_id: chat.conversation_id,
    body: "y",
  });
  assert.equal(refused.status, 400);
});

test("a text to someone who opted out before any conversation stores nothing, and says why", async () => {
  const to = randomPhone();
  await t.ctx.sql`
    insert into sms_opt_outs (sender, recipient, keyword) values ('+15005550006', ${to}, 'STOP')`;
  const res = await jsonRequest(t.app, "/api/send_message", { to, content: "Sale!" });
  assert.equal(res.status, 422);
  assert.match((await res.json()).error, /they opted out \(STOP\) on \d{4}-\d\d-\d\d/);
  const stored = async () =>
    (await t.ctx.sql`
      select (select count(*)::int from conversations where participants[2] = ${to}) as c,
             (select count(*)::int from messages where to_contact = ${to}) as m`)[0];
  assert.deepEqual(await stored(), { c: 0, m: 0 });
  // Once the opt-out is gone (START), the same send goes through.
  await t.ctx.sql`delete from sms_opt_outs where recipient = ${to}`;
  const again = await jsonRequest(t.app, "/api/send_message", { to, content: "Sale!" });
  assert.equal(again.status, 202);
  await again.body?.cancel();
  assert.deepEqual(await stored(), { c: 1, m: 1 });
});
