// Deliveries that start together read their texts together (lib/delivery/claim_batch.ts): one
// query for the claims made in one turn of the event loop, each answered with its own row.
import assert from "node:assert/strict";
import { ClaimBatch } from "@/lib/delivery/claim_batch.ts";
import { applyStatuses } from "@/lib/db/thread.ts";
import type { Sql } from "@/lib/db/connect.ts";
import { jsonRequest, randomPhone, startTestApp, test } from "@/tests/helpers.ts";
import type { TestApp } from "@/tests/helpers.ts";

async function queuedText(t: TestApp, to = randomPhone()): Promise<string> {
  const res = await jsonRequest(t.app, "/api/send_message", { to, content: `to ${to}` });
  assert.equal(res.status, 202);
  return (await res.json()).message_id;
}

// The real handle, with its statements counted on the way through.
function counted(sql: Sql): { sql: Sql; statements: () => number } {
  let n = 0;
  const spy = new Proxy(sql, {
    apply(target, self, args) {
      n++;
      return Reflect.apply(target, self, args);
    },
  });
  return { sql: spy, statements: () => n };
}

test("claims made together are one read; each gets its own text, or nothing once it is past queued", async () => {
  const t = await startTestApp({ HATCH_SMS_PROVIDER: "sandbox" });
  const optedOut = randomPhone();
  const [a, b, c, done] = [
    await queuedText(t),
    await queuedText(t),
    await queuedText(t, optedOut),
    await queuedText(t),
  ];
  await applyStatuses(t.ctx.sql, "messages", [{ id: done, update: { status: "sent" } }]);
  const [{ from_contact }] = await t.ctx.sql`select from_contact from messages where id = ${c}`;
  await t.ctx.sql`insert into sms_opt_outs (sender, recipient, keyword)
    values (${from_contact}, ${optedOut}, 'STOP')`;

  const { sql, statements } = counted(t.ctx.sql);
  const claims = new ClaimBatch(sql);
  const rows = await Promise.all([a, b, c, done, a].map((id) => claims.claim(id)));
  assert.equal(statements(), 1, "one query for the five claims");
  assert.deepEqual(rows.map((r) => r?.id), [a, b, c, undefined, a]);
  assert.equal(rows[0]!.status, "queued");
  assert.equal(rows[0]!.opt_out_keyword, null);
  assert.equal(rows[2]!.opt_out_keyword, "STOP", "the text comes with its recipient's opt-out");

  // A later turn is a read of its own.
  assert.equal((await claims.claim(b))?.id, b);
  assert.equal(statements(), 2);
});

test("a claim that cannot be read fails alone; the others of its turn are answered", async () => {
  const t = await startTestApp({ HATCH_SMS_PROVIDER: "sandbox" });
  const ids = [await queuedText(t), await queuedText(t)];
  const claims = new ClaimBatch(t.ctx.sql);
  const results = await Promise.allSettled(
    [...ids, "not-a-uuid"].map((id) => claims.claim(id)),
  );
  assert.deepEqual(results.map((r) => r.status), ["fulfilled", "fulfilled", "rejected"]);
  assert.deepEqual(
    results.slice(0, 2).map((r) => r.status === "fulfilled" && r.value?.id),
    ids,
  );
});
