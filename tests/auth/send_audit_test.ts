// Every send is in the audit log: who (the token's user), when, to whom, and which row it made;
// a refused send leaves no entry, as it leaves no message.
import assert from "node:assert/strict";
import { jsonRequest, randomEmail, randomPhone, startTestApp, test } from "@/tests/helpers.ts";

const t = await startTestApp();

interface Entry {
  actor: string;
  action: string;
  target: string | null;
  detail: Record<string, unknown>;
}

async function entriesFor(action: string, target: string): Promise<Entry[]> {
  const res = await t.app.request(`/api/audit?action=${action}&limit=100`);
  assert.equal(res.status, 200);
  const { entries } = await res.json() as { entries: Entry[] };
  return entries.filter((e) => e.target === target);
}

test("an SMS send is audited with its sender, recipient and message", async () => {
  const to = randomPhone();
  const res = await jsonRequest(t.app, "/api/send_message", { to, content: "Your order is ready" });
  assert.equal(res.status, 202);
  const { message_id } = await res.json();
  const [entry] = await entriesFor("send.message", to);
  assert.ok(entry, "an entry for the send");
  assert.match(entry.actor, /\(token\)$/);
  assert.equal(entry.detail.message_id, message_id);
});

test("an email send is audited with its sender, recipient and email", async () => {
  const to = randomEmail();
  const res = await jsonRequest(t.app, "/api/send_email", {
    to_email: to,
    subject: "Receipt",
    body: "Thanks for your order",
  });
  assert.equal(res.status, 202);
  const { email_id } = await res.json();
  const entries = await entriesFor("send.email", to);
  assert.equal(entries.length, 1);
  assert.match(entries[0].actor, /\(token\)$/);
  assert.equal(entries[0].detail.email_id, email_id);
});

test("a refused send leaves no audit entry", async () => {
  const to = randomEmail();
  const res = await jsonRequest(t.app, "/api/send_email", {
    to_email: to,
    cc: "not-an-address",
    subject: "Hi",
    body: "Hello",
  });
  assert.equal(res.status, 400);
  await res.body?.cancel();
  assert.deepEqual(await entriesFor("send.email", to), []);
});
