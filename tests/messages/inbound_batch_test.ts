// Texts from customers that arrive together are stored in one statement (lib/messages/inbound_batch.ts):
// each as if alone — its conversation reopened and counted, its place in the thread — a text
// Twilio delivers twice stored once, a keyword handled on its own, and one that cannot be stored
// fails alone.
import assert from "node:assert/strict";
import { InboundBatch } from "@/lib/messages/inbound_batch.ts";
import { receiveInboundSms } from "@/lib/messages/service.ts";
import { randomPhone, startTestApp, test } from "@/tests/helpers.ts";
import type { TestApp } from "@/tests/helpers.ts";

const OURS = "+15005550006";

/** Receives `texts` at once through a batch that runs one statement at a time. */
function receiveAll(t: TestApp, texts: { from: string; body: string; sid?: string }[]) {
  const batch = new InboundBatch(t.ctx.sql);
  return Promise.allSettled(texts.map((x) =>
    receiveInboundSms(t.ctx.sql, {
      from: x.from,
      to: OURS,
      body: x.body,
      provider: "twilio",
      providerMessageId: x.sid ?? `SM${crypto.randomUUID().replaceAll("-", "")}`,
    }, { batch })
  ));
}

function ids(results: PromiseSettledResult<string>[]): string[] {
  return results.map((r) => {
    if (r.status === "rejected") throw r.reason;
    return r.value;
  });
}

test("texts gathered behind one in flight share a statement, each stored as if alone", async () => {
  const t = await startTestApp();
  const [a, b] = [randomPhone(), randomPhone()];
  // b's conversation exists and was closed: a customer's text opens it again.
  await receiveAll(t, [{ from: b, body: "earlier" }]);
  await t.ctx.sql`update conversations set state = 'closed' where participants[2] = ${b}`;
  const texts = [a, a, b, a, b, a].map((from, i) => ({ from, body: `text ${i}` }));
  const stored = ids(await receiveAll(t, texts));
  const rows = await t.ctx.sql`
    select id, xmin::text as xid from messages where id = any(${stored}::uuid[])`;
  const xidOf = new Map(rows.map((r) => [r.id, String(r.xid)]));
  assert.equal(new Set(stored.slice(1).map((id) => xidOf.get(id))).size, 1, "one transaction");
  assert.notEqual(xidOf.get(stored[0]), xidOf.get(stored[1]), "the first went alone, at once");
  for (const [from, count, last] of [[a, 4, "text 5"], [b, 3, "text 4"]] as const) {
    const [c] = await t.ctx.sql`
      select message_count, unread_count, last_message_preview, state, last_direction
      from conversations where participants = array[${OURS}, ${from}]`;
    assert.deepEqual(
      [c.message_count, c.unread_count, c.last_message_preview, c.state, c.last_direction],
      [count, count, last, "open", "inbound"],
    );
    const thread = await t.ctx.sql`
      select body from messages where from_contact = ${from} and body like 'text %'
      order by created_at, id`;
    assert.deepEqual(
      thread.map((r) => r.body),
      texts.filter((x) => x.from === from).map((x) => x.body),
    );
  }
});

test("a text Twilio delivers twice is stored once, in one batch or across two", async () => {
  const t = await startTestApp();
  const from = randomPhone();
  const sid = `SMtwice${crypto.randomUUID().replaceAll("-", "")}`;
  const first = ids(await receiveAll(t, [{ from, body: "hello", sid }]));
  const again = ids(
    await receiveAll(t, [
      { from, body: "other" },
      { from, body: "hello", sid },
      { from, body: "hello", sid },
    ]),
  );
  assert.equal(again[1], first[0]);
  assert.equal(again[2], first[0]);
  const [c] = await t.ctx.sql`
    select message_count from conversations where participants = array[${OURS}, ${from}]`;
  assert.equal(c.message_count, 2);
});

test("a keyword is handled on its own; a text that cannot be stored fails alone", async () => {
  const t = await startTestApp();
  const [a, b, c] = [randomPhone(), randomPhone(), randomPhone()];
  const results = await receiveAll(t, [
    { from: a, body: "first" },
    { from: b, body: "STOP" },
    // PostgreSQL's JSON cannot hold a NUL: this one cannot be stored.
    { from: c, body: "bad\u0000text" },
    { from: a, body: "second" },
  ]);
  assert.deepEqual(results.map((r) => r.status), [
    "fulfilled",
    "fulfilled",
    "rejected",
    "fulfilled",
  ]);
  const [optOut] = await t.ctx.sql`
    select keyword from sms_opt_outs where sender = ${OURS} and recipient = ${b}`;
  assert.ok(optOut, "STOP opted b out");
  const [stop] = await t.ctx.sql`
    select keyword from messages where from_contact = ${b}`;
  assert.equal(stop.keyword, "stop");
  const stored = await t.ctx.sql`
    select body from messages where from_contact = any(${[a, c]}) order by created_at`;
  assert.deepEqual(stored.map((r) => r.body), ["first", "second"]);
});
