import assert from "node:assert/strict";
import { findJob, jsonRequest, randomEmail, startTestApp, test } from "@/tests/helpers.ts";

const t = await startTestApp();

test("an email is stored with its fields, queued, and listed as an email conversation", async () => {
  const to = randomEmail();
  const res = await jsonRequest(t.app, "/api/send_email", {
    to_email: to,
    subject: "Your order",
    body: "It shipped.",
    cc: "a@example.com, b@example.com",
    reply_to: "support@example.com",
  });
  assert.equal(res.status, 202);
  const body = await res.json();
  assert.equal(body.success, true);
  const email = (await (await t.app.request(`/api/email/${body.email_id}`)).json()).email;
  assert.equal(email.to_email, to);
  assert.equal(email.cc, "a@example.com, b@example.com");
  assert.equal(email.status, "queued");
  const [row] = await t.ctx.sql`select message_id_header from emails where id = ${body.email_id}`;
  assert.match(row.message_id_header, /^<[0-9a-f-]+@[^>]+>$/);
  const list = await (await t.app.request("/api/conversations?channel=email&limit=1")).json();
  assert.equal(list.conversations[0].id, body.conversation_id);
  assert.equal(list.conversations[0].subject, "Your order");
  const thread = await (await t.app.request(`/api/conversation/${body.conversation_id}/emails`))
    .json();
  assert.equal(thread.emails.at(-1).id, body.email_id);
  assert.equal(
    (await findJob(t.ctx.sql, "email_id", body.email_id))?.task_identifier,
    "deliver_email",
  );
});

const bad: [string, Record<string, unknown>, RegExp][] = [
  [
    "a bad address",
    { to_email: "not-an-email", subject: "s", body: "b" },
    /"not-an-email": not a valid email/,
  ],
  ["a bad cc", { to_email: "a@example.com", cc: "x@", subject: "s", body: "b" }, /cc: "x@"/],
  ["no subject", { to_email: "a@example.com", subject: "", body: "b" }, /subject is empty/],
  ["no body", { to_email: "a@example.com", subject: "s", body: " " }, /body is empty/],
  [
    "a 5,000-character address",
    { to_email: `${"a".repeat(4988)}@example.com`, subject: "s", body: "b" },
    /^to_email: to_email is too long: 5000 characters, at most 254$/,
  ],
  [
    "a 999-character subject",
    { to_email: "a@example.com", subject: "s".repeat(999), body: "b" },
    /^subject: subject is too long: 999 characters, at most 998$/,
  ],
];
for (const [name, input, error] of bad) {
  test(`a bad email is refused with a 400 naming it: ${name}`, async () => {
    const [{ n: before }] = await t.ctx.sql`select count(*)::int as n from emails`;
    const res = await jsonRequest(t.app, "/api/send_email", input);
    assert.equal(res.status, 400);
    assert.match((await res.json()).error, error);
    const [{ n: after }] = await t.ctx.sql`select count(*)::int as n from emails`;
    assert.equal(after, before);
  });
}
