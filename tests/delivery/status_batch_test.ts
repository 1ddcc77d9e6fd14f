// Delivery outcomes that finish together are stored together (lib/delivery/status_batch.ts):
// one transaction for the batch, statuses only forward, and one outcome that cannot be stored
// does not fail the others.
import assert from "node:assert/strict";
import { StatusBatch } from "@/lib/delivery/status_batch.ts";
import { applyStatuses } from "@/lib/db/thread.ts";
import { jsonRequest, randomPhone, startTestApp, test } from "@/tests/helpers.ts";
import type { TestApp } from "@/tests/helpers.ts";

async function queuedTexts(t: TestApp, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const res = await jsonRequest(t.app, "/api/send_message", {
      to: randomPhone(),
      content: `text ${i}`,
    });
    assert.equal(res.status, 202);
    ids.push((await res.json()).message_id);
  }
  return ids;
}

test("outcomes written together are stored in one transaction, each with its fields", async () => {
  const t = await startTestApp({ HATCH_SMS_PROVIDER: "sandbox" });
  const ids = await queuedTexts(t, 30);
  const batch = new StatusBatch(t.ctx.sql, { delayMs: 20, max: 500 });
  await Promise.all(ids.map((id, i) =>
    batch.write({
      table: "messages",
      id,
      update: { status: "sent", providerMessageId: `SM${i}`, attempts: 1, response: { n: i } },
      followUps: [{ status: "delivered", afterMs: 60_000 }],
    })
  ));
  const rows = await t.ctx.sql`
    select id, status, provider_message_id, provider_response, attempts, updated_at
    from messages where id = any(${ids}::uuid[])`;
  assert.equal(rows.length, 30);
  for (const r of rows) {
    const i = ids.indexOf(r.id);
    assert.equal(r.status, "sent");
    assert.equal(r.provider_message_id, `SM${i}`);
    assert.deepEqual(r.provider_response, { n: i });
    assert.equal(r.attempts, 1);
  }
  // now() is the transaction's start: one value for all rows means one transaction.
  assert.equal(new Set(rows.map((r) => r.updated_at.getTime())).size, 1);
  // Their later `delivered` is one job for all of them.
  const jobs = await t.ctx.sql`
    select j.payload from graphile_worker._private_jobs j
    join graphile_worker._private_tasks k on k.id = j.task_id
    where k.identifier = 'apply_status' and (j.payload -> 'ids')::jsonb ?| ${ids}::text[]
      and j.run_at > now() + interval '50 seconds'`;
  assert.equal(jobs.length, 1);
  assert.equal(jobs[0].payload.status, "delivered");
  assert.deepEqual([...jobs[0].payload.ids].sort(), [...ids].sort());
});

test("a batch moves statuses forward only and says which rows changed", async () => {
  const t = await startTestApp({ HATCH_SMS_PROVIDER: "sandbox" });
  const [a, b] = await queuedTexts(t, 2);
  await applyStatuses(t.ctx.sql, "messages", [{ id: a, update: { status: "delivered" } }]);
  const changed = await applyStatuses(t.ctx.sql, "messages", [
    { id: a, update: { status: "sent" } },
    { id: b, update: { status: "sent", errorCode: null } },
  ]);
  assert.deepEqual([...changed], [b]);
  const rows = await t.ctx.sql`
    select id, status from messages where id = any(${[a, b]}::uuid[]) order by status`;
  assert.deepEqual(rows.map((r) => [r.id, r.status]), [[a, "delivered"], [b, "sent"]]);
});

test("an outcome that cannot be stored fails alone; the rest of its batch is stored", async () => {
  const t = await startTestApp({ HATCH_SMS_PROVIDER: "sandbox" });
  const ids = await queuedTexts(t, 3);
  const batch = new StatusBatch(t.ctx.sql, { delayMs: 20, max: 500 });
  const results = await Promise.allSettled([
    ...ids.map((id) => batch.write({ table: "messages", id, update: { status: "sent" } })),
    batch.write({ table: "messages", id: "not-a-uuid", update: { status: "sent" } }),
  ]);
  assert.deepEqual(results.map((r) => r.status), [
    "fulfilled",
    "fulfilled",
    "fulfilled",
    "rejected",
  ]);
  const rows = await t.ctx.sql`
    select status from messages where id = any(${ids}::uuid[])`;
  assert.deepEqual(rows.map((r) => r.status), ["sent", "sent", "sent"]);
});
