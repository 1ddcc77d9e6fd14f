// A worker process delivers one conversation's messages one at a time, in the order it fetched
// them (lib/delivery/conversation_order.ts); other conversations do not wait.
import assert from "node:assert/strict";
import { ConversationOrder } from "@/lib/delivery/conversation_order.ts";
import { jsonRequest, randomPhone, startTestApp, test } from "@/tests/helpers.ts";

function gate(): { open: () => void; opened: Promise<void> } {
  let open = () => {};
  const opened = new Promise<void>((resolve) => open = resolve);
  return { open, opened };
}

test("one conversation's tasks run one at a time in order; another's run meanwhile", async () => {
  const order = new ConversationOrder();
  const log: string[] = [];
  const first = gate();
  const a1 = order.run("a", async () => {
    log.push("a1 start");
    await first.opened;
    log.push("a1 end");
  });
  const a2 = order.run("a", () => {
    log.push("a2");
    return Promise.resolve();
  });
  await order.run("b", () => {
    log.push("b1");
    return Promise.resolve();
  });
  assert.deepEqual(log, ["a1 start", "b1"]);
  first.open();
  await Promise.all([a1, a2]);
  assert.deepEqual(log, ["a1 start", "b1", "a1 end", "a2"]);
  assert.equal(order.size, 0);
});

test("a failed task does not stop the next one of its conversation", async () => {
  const order = new ConversationOrder();
  const failed = order.run("a", () => Promise.reject(new Error("provider down")));
  const next = order.run("a", () => Promise.resolve("sent"));
  await assert.rejects(failed, /provider down/);
  assert.equal(await next, "sent");
});

test("a text's delivery job names its conversation, and has no queue of its own", async () => {
  const t = await startTestApp({ HATCH_SMS_PROVIDER: "sandbox" });
  const res = await jsonRequest(t.app, "/api/send_message", { to: randomPhone(), content: "hi" });
  assert.equal(res.status, 202);
  const body = await res.json();
  const [job] = await t.ctx.sql`
    select payload, job_queue_id from graphile_worker._private_jobs
    where payload ->> 'message_id' = ${body.message_id}`;
  assert.equal(job.payload.conversation_id, body.conversation_id);
  assert.equal(job.job_queue_id, null);
});
