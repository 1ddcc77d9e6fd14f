// Sends that arrive together are stored in one statement (lib/messages/send_batch.ts): each
// stored as if alone — its conversation's counts and preview, its place in the thread, its job,
// its audit row — and one that cannot be stored, or may not be, fails alone.
import assert from "node:assert/strict";
import { type PreparedSend, SendBatch } from "@/lib/messages/send_batch.ts";
import { sendMessage } from "@/lib/messages/service.ts";
import { randomPhone, startTestApp, test } from "@/tests/helpers.ts";
import type { TestApp } from "@/tests/helpers.ts";

const actor = { label: "batch test", ip: "127.0.0.1" };

/** Sends `texts` at once through a batch that runs one statement at a time. */
function sendAll(t: TestApp, texts: { to: string; content: string }[]) {
  const batch = new SendBatch(t.ctx.sql);
  return Promise.allSettled(
    texts.map((text) => sendMessage(t.ctx.sql, t.ctx.settings, text, { actor, batch })),
  );
}

test("sends gathered behind one in flight share a statement, each stored as if alone", async () => {
  const t = await startTestApp({ HATCH_SMS_PROVIDER: "sandbox" });
  const [a, b] = [randomPhone(), randomPhone()];
  // The first goes at once; the next eight gather behind it: five to a, three to b.
  const texts = [a, a, b, a, b, a, b, a, a].map((to, i) => ({ to, content: `text ${i}` }));
  const results = await sendAll(t, texts);
  const ids = results.map((r) => {
    if (r.status === "rejected") throw r.reason;
    return r.value.message_id;
  });
  // No worker runs here: each row is as its send left it, xmin the transaction that stored it.
  const rows = await t.ctx.sql`
    select id, xmin::text as xid from messages
    where id = any(${ids}::uuid[])`;
  assert.equal(rows.length, 9);
  const xidOf = new Map(rows.map((r) => [r.id, String(r.xid)]));
  assert.equal(new Set(ids.slice(1).map((id) => xidOf.get(id))).size, 1, "one transaction");
  assert.notEqual(xidOf.get(ids[0]), xidOf.get(ids[1]));
  // Each conversation counts its messages, shows its last, and lists them in the order sent.
  for (const [to, count, last] of [[a, 6, "text 8"], [b, 3, "text 6"]] as const) {
    const [c] = await t.ctx.sql`
      select message_count, last_message_preview from conversations
      where participants[2] = ${to}`;
    assert.deepEqual([c.message_count, c.last_message_preview], [count, last]);
    const thread = await t.ctx.sql`
      select body from messages where to_contact = ${to} order by created_at, id`;
    assert.deepEqual(
      thread.map((r) => r.body),
      texts.filter((x) => x.to === to).map((x) => x.content),
    );
  }
  const jobs = await t.ctx.sql`
    select j.payload ->> 'message_id' as id from graphile_worker._private_jobs j
    join graphile_worker._private_tasks k on k.id = j.task_id
    where k.identifier = 'deliver_message' and j.payload ->> 'message_id' = any(${ids})`;
  assert.deepEqual(jobs.map((j) => j.id).sort(), [...ids].sort());
  const audited = await t.ctx.sql`
    select detail ->> 'message_id' as id, target, actor_label, ip from audit_log
    where action = 'send.message' and detail ->> 'message_id' = any(${ids})`;
  assert.equal(audited.length, 9);
  for (const r of audited) {
    assert.equal(r.target, texts[ids.indexOf(r.id)].to);
    assert.deepEqual([r.actor_label, r.ip], [actor.label, actor.ip]);
  }
});

test("a recipient who opted out is refused in words; the rest of the batch is stored", async () => {
  const t = await startTestApp({ HATCH_SMS_PROVIDER: "sandbox" });
  const out = randomPhone();
  await t.ctx.sql`
    insert into sms_opt_outs (sender, recipient, keyword)
    values (${t.ctx.settings.HATCH_SANDBOX_NUMBER}, ${out}, 'STOP')`;
  const texts = [randomPhone(), randomPhone(), out, randomPhone()]
    .map((to) => ({ to, content: "hello" }));
  const results = await sendAll(t, texts);
  assert.deepEqual(results.map((r) => r.status), [
    "fulfilled",
    "fulfilled",
    "rejected",
    "fulfilled",
  ]);
  const refused = results[2] as PromiseRejectedResult;
  assert.match(String(refused.reason), new RegExp(`Cannot send SMS to "\\${out}"`));
  const [{ count }] = await t.ctx.sql`
    select count(*)::int from messages where to_contact = any(${texts.map((x) => x.to)})`;
  assert.equal(count, 3);
});

test("a send that cannot be stored fails alone; its batch is stored one by one", async () => {
  const t = await startTestApp({ HATCH_SMS_PROVIDER: "sandbox" });
  const batch = new SendBatch(t.ctx.sql);
  const send = (body: string): PreparedSend => ({
    messageId: crypto.randomUUID(),
    conversationId: crypto.randomUUID(),
    channel: "chat",
    from: "Hatch",
    to: `someone ${crypto.randomUUID()}`,
    body,
    media: [],
    status: "sent",
    provider: null,
    sentByUserId: null,
    sentByTokenId: null,
    sendAt: null,
    marketing: false,
    broadcastId: null,
    keyword: null,
    checkOptOut: false,
    assignTo: null,
    job: null,
    audit: null,
  });
  // PostgreSQL's text cannot hold a NUL character: that send's statement fails.
  const sends = [send("first"), send("second"), send("bad \u0000"), send("fourth")];
  const results = await Promise.allSettled(sends.map((s) => batch.store(s)));
  assert.deepEqual(results.map((r) => r.status), [
    "fulfilled",
    "fulfilled",
    "rejected",
    "fulfilled",
  ]);
  const rows = await t.ctx.sql`
    select body from messages where id = any(${sends.map((s) => s.messageId)}::uuid[])
    order by body`;
  assert.deepEqual(rows.map((r) => r.body), ["first", "fourth", "second"]);
});
