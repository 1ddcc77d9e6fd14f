// Who sent what, through the API: every outbound message and email records its user and token,
// display names are set by the user (PATCH /api/me) or an admin (PATCH /api/users/:id), the
// audit log names numbers in E.164, and the list finds a conversation by a number as shown.
import assert from "node:assert/strict";
import { applyStatus } from "@/lib/db/thread.ts";
import { retryMessage } from "@/lib/messages/service.ts";
import { jsonRequest, randomEmail, randomPhone, startTestApp, test } from "@/tests/helpers.ts";

const t = await startTestApp();

function patch(path: string, body: unknown): Promise<Response> {
  return Promise.resolve(t.app.request(path, {
    method: "PATCH",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  }));
}

test("a send records its user and token; the name comes from the display name, set by the user", async () => {
  const name = `Lily ${crypto.randomUUID().slice(0, 6)}`;
  const renamed = await patch("/api/me", { name });
  assert.equal(renamed.status, 200);
  assert.equal((await renamed.json()).user.name, name);
  const to = randomPhone();
  const sent = await (await jsonRequest(t.app, "/api/send_message", { to, content: "hi" })).json();
  const { message } = await (await t.app.request(`/api/message/${sent.message_id}`)).json();
  assert.equal(message.sent_by.user_id, t.userId);
  assert.ok(message.sent_by.token_id);
  assert.equal(message.sent_by.name, `${name} (API)`);
  const { conversation } = await (await t.app.request(`/api/conversation/${sent.conversation_id}`))
    .json();
  assert.deepEqual(conversation.last_sender, { user_id: t.userId, name });

  const mail = await (await jsonRequest(t.app, "/api/send_email", {
    to_email: randomEmail(),
    subject: "Quote",
    body: "Attached",
  })).json();
  const { email } = await (await t.app.request(`/api/email/${mail.email_id}`)).json();
  assert.equal(email.sent_by.user_id, t.userId);

  const [audit] = await t.ctx.sql`
    select detail from audit_log where action = 'user.renamed' order by id desc limit 1`;
  assert.equal(audit.detail.to, name);
});

test("an admin renames a user; a name too long is refused in words", async () => {
  const created = await (await jsonRequest(t.app, "/api/users", {
    email: randomEmail(),
    role: "agent",
    password: `Tulip-${crypto.randomUUID()}`,
  })).json();
  const res = await patch(`/api/users/${created.user.id}`, { name: "Ana" });
  assert.equal(res.status, 200);
  assert.equal((await res.json()).user.name, "Ana");
  const long = await patch("/api/me", { name: "x".repeat(101) });
  assert.equal(long.status, 400);
  assert.match((await long.json()).error, /name is too long: 101 characters, at most 100/);
});

test("the audit log names a number as E.164 however it was typed", async () => {
  const to = randomPhone();
  const typed = `(${to.slice(2, 5)}) ${to.slice(5, 8)}-${to.slice(8)}`;
  const sent = await (await jsonRequest(t.app, "/api/send_message", { to: typed, content: "x" }))
    .json();
  const [row] = await t.ctx.sql`
    select target from audit_log where detail ->> 'message_id' = ${sent.message_id}`;
  assert.equal(row.target, to);
});

test("a number with a stray letter is a 400 in words, never a chat", async () => {
  const res = await jsonRequest(t.app, "/api/send_message", { to: "4155550100x", content: "x" });
  assert.equal(res.status, 400);
  assert.match(
    (await res.json()).error,
    /^Cannot send SMS to "4155550100x": not a valid phone number \(a phone number has no letters/,
  );
});

test("the list finds a conversation by its number as the list shows it", async () => {
  const to = randomPhone();
  const sent = await (await jsonRequest(t.app, "/api/send_message", { to, content: "x" })).json();
  for (
    const q of [
      `${to.slice(5, 8)}-${to.slice(8)}`,
      `(${to.slice(2, 5)}) ${to.slice(5, 8)}-${to.slice(8)}`,
      `001 ${to.slice(2)}`,
    ]
  ) {
    const list = await (await t.app.request(`/api/conversations?q=${encodeURIComponent(q)}`))
      .json();
    assert.deepEqual(
      list.conversations.map((c: { id: string }) => c.id),
      [sent.conversation_id],
      q,
    );
  }
});

test("a message that failed for good (an invalid number) is not retried; a passing failure is", async () => {
  const send = async () =>
    (await (await jsonRequest(t.app, "/api/send_message", { to: randomPhone(), content: "x" }))
      .json()).message_id as string;
  const [lost, passing] = [await send(), await send()];
  // As the delivery worker records a provider's refusal.
  await applyStatus(t.ctx.sql, "messages", lost, { status: "failed", errorCode: "21211" });
  await applyStatus(t.ctx.sql, "messages", passing, { status: "failed", errorCode: "30003" });
  const refused = await t.app.request(`/api/message/${lost}/retry`, { method: "POST" });
  assert.equal(refused.status, 400);
  assert.match(
    (await refused.json()).error,
    /failed for good \(21211\): sending it again cannot help/,
  );
  const again = await t.app.request(`/api/message/${passing}/retry`, { method: "POST" });
  assert.equal(again.status, 202);
  const { message_id } = await again.json();
  const { message } = await (await t.app.request(`/api/message/${message_id}`)).json();
  assert.equal(message.sent_by.user_id, t.userId, "the retry records who asked");
  const audited = await t.ctx.sql`
    select actor_user_id from audit_log
    where action = 'send.retry' and detail ->> 'message_id' = ${message_id}`;
  assert.deepEqual(audited.map((r) => r.actor_user_id), [t.userId], "the retry is audited");
});

test("a retry and its audit entry commit together: rolled back, neither stays", async () => {
  const sent = await (await jsonRequest(t.app, "/api/send_message", {
    to: randomPhone(),
    content: "x",
  })).json();
  await applyStatus(t.ctx.sql, "messages", sent.message_id, {
    status: "failed",
    errorCode: "30003",
  });
  let retried = "";
  await assert.rejects(
    t.ctx.sql.begin(async (tx) => {
      const actor = { userId: t.userId, label: "tester" };
      retried = (await retryMessage(tx, t.ctx.settings, sent.message_id, { actor })).message_id;
      const [entry] = await tx`
        select 1 from audit_log
        where action = 'send.retry' and detail ->> 'message_id' = ${retried}`;
      assert.ok(entry, "audited inside the transaction");
      throw new Error("rolled back");
    }),
    /rolled back/,
  );
  const left = await t.ctx.sql`
    select (select count(*)::int from messages where id = ${retried}) as messages,
      (select count(*)::int from audit_log where detail ->> 'message_id' = ${retried}) as audited`;
  assert.deepEqual({ ...left[0] }, { messages: 0, audited: 0 });
});
