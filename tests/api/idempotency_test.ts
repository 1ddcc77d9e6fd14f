import assert from "node:assert/strict";
import { jsonRequest, randomEmail, randomPhone, startTestApp, test } from "@/tests/helpers.ts";

const t = await startTestApp();

test("a replay with the same key returns the first answer and sends nothing", async () => {
  const key = crypto.randomUUID();
  const input = { to: randomPhone(), content: "once" };
  const first = await jsonRequest(t.app, "/api/send_message", input, { "idempotency-key": key });
  const second = await jsonRequest(t.app, "/api/send_message", input, { "idempotency-key": key });
  assert.equal(first.status, 202);
  assert.equal(second.status, 202);
  const a = await first.json();
  assert.deepEqual(await second.json(), a);
  const rows = await t.ctx.sql`select id from messages where to_contact = ${input.to}`;
  assert.equal(rows.length, 1);
});

test("the same key with another body gets 422 and stores nothing", async () => {
  const key = crypto.randomUUID();
  const to = randomPhone();
  await jsonRequest(t.app, "/api/send_message", { to, content: "a" }, { "idempotency-key": key });
  const res = await jsonRequest(t.app, "/api/send_message", { to, content: "b" }, {
    "idempotency-key": key,
  });
  assert.equal(res.status, 422);
  assert.match((await res.json()).error, /already used with a different request body/);
  const rows = await t.ctx.sql`select id from messages where to_contact = ${to}`;
  assert.equal(rows.length, 1);
});

test("the same key while the first request still runs waits for it and gets its answer", async () => {
  const key = crypto.randomUUID();
  const input = { to: randomPhone(), content: "slow" };
  // Hold the conversation's row so the first send blocks inside its transaction.
  const first = await jsonRequest(t.app, "/api/send_message", { ...input, content: "warm" });
  const { conversation_id } = await first.json();
  const held = await t.ctx.sql.reserve();
  await held`begin`;
  await held`select 1 from conversations where id = ${conversation_id} for update`;
  const running = jsonRequest(t.app, "/api/send_message", input, { "idempotency-key": key });
  const concurrent = jsonRequest(t.app, "/api/send_message", input, { "idempotency-key": key });
  // Both wait on a lock: the first on the conversation, the second on the first's key.
  for (;;) {
    const [{ waiting }] = await t.ctx.sql`
      select count(*)::int as waiting from pg_stat_activity
      where datname = current_database() and wait_event_type = 'Lock'`;
    if (waiting >= 2) break;
    await new Promise((r) => setTimeout(r, 5));
  }
  await held`commit`;
  held.release();
  const [a, b] = await Promise.all([running, concurrent]);
  assert.equal(a.status, 202);
  assert.equal(b.status, 202);
  assert.equal((await a.json()).message_id, (await b.json()).message_id);
  const rows = await t.ctx
    .sql`select id from messages where to_contact = ${input.to} and body = 'slow'`;
  assert.equal(rows.length, 1, "sent once");
});

test("a failed request frees its key: the corrected request goes through", async () => {
  const key = crypto.randomUUID();
  const bad = await jsonRequest(t.app, "/api/send_email", {
    to_email: "nope",
    subject: "s",
    body: "b",
  }, { "idempotency-key": key });
  assert.equal(bad.status, 400);
  const good = await jsonRequest(t.app, "/api/send_email", {
    to_email: randomEmail(),
    subject: "s",
    body: "b",
  }, { "idempotency-key": key });
  assert.equal(good.status, 202);
});

test("keys are kept per endpoint, and a bad key is a 400", async () => {
  const res = await jsonRequest(t.app, "/api/send_message", { to: "Bob", content: "x" }, {
    "idempotency-key": "x".repeat(300),
  });
  assert.equal(res.status, 400);
});
