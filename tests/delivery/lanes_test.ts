// Deliveries run in lanes (lib/delivery/jobs.ts): a conversation's texts one at a time and in
// order, in a few shared graphile-worker queues rather than one queue per conversation.
import assert from "node:assert/strict";
import { DELIVERY_LANES, deliveryQueue } from "@/lib/delivery/jobs.ts";
import { jsonRequest, randomPhone, startTestApp, test } from "@/tests/helpers.ts";

const t = await startTestApp({ HATCH_SMS_PROVIDER: "sandbox" });

async function queueOf(messageId: string): Promise<string | null> {
  const [job] = await t.ctx.sql`
    select q.queue_name from graphile_worker._private_jobs j
    left join graphile_worker._private_job_queues q on q.id = j.job_queue_id
    where j.payload ->> 'message_id' = ${messageId}`;
  assert.ok(job, `no delivery job for message ${messageId}`);
  return job.queue_name as string | null;
}

test("a conversation's texts share one lane; many conversations share a few lanes", async () => {
  const lanes = new Set<string | null>();
  for (let i = 0; i < 3; i++) {
    const to = randomPhone();
    const ids: string[] = [];
    for (const content of ["first", "second"]) {
      const res = await jsonRequest(t.app, "/api/send_message", { to, content });
      assert.equal(res.status, 202);
      ids.push((await res.json()).message_id);
    }
    const [a, b] = [await queueOf(ids[0]), await queueOf(ids[1])];
    assert.match(a ?? "", /^lane:\d+$/);
    assert.equal(a, b);
    lanes.add(a);
  }
  const many = new Set(
    Array.from({ length: 5000 }, () => deliveryQueue(crypto.randomUUID())),
  );
  assert.ok(many.size <= DELIVERY_LANES, `${many.size} lanes for 5,000 conversations`);
  assert.ok(many.size > DELIVERY_LANES / 2, `only ${many.size} lanes in use`);
  assert.equal(deliveryQueue(crypto.randomUUID(), true), undefined);
});
