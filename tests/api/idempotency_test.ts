import assert from "node:assert/strict";
import { jsonRequest, randomEmail, randomPhone, startTestApp, test } from "../helpers.ts";

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

test("the same key while the first request still runs gets 409", async () => {
  const key = crypto.randomUUID();
  const input = { to: randomPhone(), content: "slow" };
  // Hold the conversation's row so the first send blocks inside its transaction.
  const first = await jsonRequest(t.app, "/api/send_message", { ...input, content: "warm" });
  const { conversation_id } = await first.json();
  const lock = t.ctx.sql.reserve();
  const held = await lock;
  await held`begin`;
  await held`select 1 from conversations where id = ${conversation_id} for update`;
  const running = jsonRequest(t.app, "/api/send_message", input, { "idempotency-key": key });
  // The key row is claimed before the blocked transaction: wait until it is visible.
  for (;;) {
    const [row] = await t.ctx.sql`select state from idempotency_keys where key = ${key}`;
    if (row) break;
    await new Promise((r) => setTimeout(r, 5));
  }
  const concurrent = await jsonRequest(t.app, "/api/send_message", input, {
    "idempotency-key": key,
  });
  assert.equal(concurrent.status, 409);
  assert.match((await concurrent.json()).error, /still being processed/);
  await held`commit`;
  held.release();
  assert.equal((await running).status, 202);
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

test("teardown", async () => {
  await t.stop();
});
