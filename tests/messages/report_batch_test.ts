// Providers' status reports that arrive together are stored together (lib/messages/report_batch.ts):
// one commit for the batch, each report applied as if alone — forward only, a message reported
// twice takes the furthest status, an unsubscribed recipient is opted out — and one that cannot
// be stored fails alone.
import assert from "node:assert/strict";
import { ReportBatch } from "@/lib/messages/report_batch.ts";
import type { ProviderReport } from "@/lib/messages/status.ts";
import { sendMessage } from "@/lib/messages/service.ts";
import { randomPhone, startTestApp, test } from "@/tests/helpers.ts";
import type { TestApp } from "@/tests/helpers.ts";

const actor = { label: "report test", ip: "127.0.0.1" };

/** `count` messages as the worker leaves them once Twilio took them: `sent`, with a sid. */
async function handedOver(t: TestApp, count: number): Promise<{ id: string; sid: string }[]> {
  const out = [];
  for (let i = 0; i < count; i++) {
    const { message_id: id } = await sendMessage(t.ctx.sql, t.ctx.settings, {
      to: randomPhone(),
      content: `report ${i}`,
    }, { actor });
    const sid = `SMtest${crypto.randomUUID().replaceAll("-", "")}`;
    await t.ctx.sql`
      update messages set status = 'sent', provider = 'twilio', provider_message_id = ${sid}
      where id = ${id}`;
    out.push({ id, sid });
  }
  return out;
}

function report(sid: string, status: string | undefined, more: Partial<ProviderReport> = {}) {
  return {
    provider: "twilio",
    providerMessageId: sid,
    status,
    errorCode: null,
    errorMessage: null,
    optedOut: false,
    ...more,
  };
}

async function statuses(t: TestApp, ids: string[]) {
  const rows = await t.ctx.sql`
    select id, status, error_code, xmin::text as xid from messages where id = any(${ids}::uuid[])`;
  return new Map(rows.map((r) => [r.id as string, r]));
}

test("reports gathered behind one in flight share a commit, each applied forward only", async () => {
  const t = await startTestApp({ HATCH_SMS_PROVIDER: "sandbox" });
  const [a, b, c, d, e, f, g] = await handedOver(t, 7);
  // e and f are still with us: their `sent` and `delivered` both arrive now, in either order.
  await t.ctx.sql`update messages set status = 'queued' where id in (${e.id}, ${f.id})`;
  const [{ before }] = await t.ctx.sql`select coalesce(max(id), 0) as before from events`;
  const batch = new ReportBatch(t.ctx.sql);
  // The first goes at once; the rest gather behind it. b, e and f are reported twice, in both
  // orders; c gets a `sent` it already has; the last names a message we never sent.
  const moved = await Promise.all([
    batch.store(report(a.sid, "delivered")),
    batch.store(report(b.sid, "delivered")),
    batch.store(report(b.sid, "sent")),
    batch.store(report(c.sid, "sent")),
    batch.store(report(d.sid, "undelivered", { errorCode: "30005", errorMessage: "Unknown" })),
    batch.store(report(e.sid, "sent")),
    batch.store(report(e.sid, "delivered")),
    batch.store(report(f.sid, "delivered")),
    batch.store(report(f.sid, "sent")),
    // Two final statuses: the first one stands, as when they come one by one.
    batch.store(report(g.sid, "undelivered", { errorCode: "30003" })),
    batch.store(report(g.sid, "delivered")),
    batch.store(report("SMnobody", "delivered")),
  ]);
  assert.deepEqual(moved, [
    ...[true, true, false, false, true, false, true, true, false],
    ...[true, false, false],
  ]);
  const rows = await statuses(t, [a.id, b.id, c.id, d.id, e.id, f.id, g.id]);
  assert.deepEqual(
    [a, b, c, d, e, f, g].map((m) => rows.get(m.id)!.status),
    ["delivered", "delivered", "sent", "undelivered", "delivered", "delivered", "undelivered"],
  );
  assert.equal(rows.get(d.id)!.error_code, "30005");
  assert.equal(rows.get(b.id)!.xid, rows.get(d.id)!.xid, "b and d moved in one transaction");
  assert.notEqual(rows.get(a.id)!.xid, rows.get(b.id)!.xid, "a went alone, at once");
  // Each move is an event, as when reports came one by one.
  const [events] = await t.ctx.sql`
    select count(*)::int as n from events
    where id > ${before} and type = 'message_update' and action = 'UPDATE'
      and entity_id = any(${[a.id, b.id, d.id, e.id, f.id, g.id]}::uuid[])`;
  assert.equal(events.n, 6);
});

test("an unsubscribed recipient in a batch is opted out; a report that cannot be stored fails alone", async () => {
  const t = await startTestApp({ HATCH_SMS_PROVIDER: "sandbox" });
  const [a, b, c] = await handedOver(t, 3);
  const batch = new ReportBatch(t.ctx.sql);
  const results = await Promise.allSettled([
    batch.store(report(a.sid, "sent")),
    batch.store(report(b.sid, "failed", {
      errorCode: "21610",
      errorMessage: "Attempt to send to unsubscribed recipient",
      optedOut: true,
    })),
    // PostgreSQL's JSON cannot hold a NUL: this one cannot be stored.
    batch.store(report(c.sid, "failed", { errorCode: "30008", errorMessage: "bad\u0000text" })),
  ]);
  assert.deepEqual(results.map((r) => r.status), ["fulfilled", "fulfilled", "rejected"]);
  const rows = await statuses(t, [a.id, b.id, c.id]);
  assert.deepEqual([a, b, c].map((m) => rows.get(m.id)!.status), ["sent", "failed", "sent"]);
  const optOuts = await t.ctx.sql`
    select o.keyword from sms_opt_outs o join messages m
      on o.sender = m.from_contact and o.recipient = m.to_contact
    where m.id = ${b.id}`;
  assert.deepEqual(optOuts.map((o) => o.keyword), ["provider: unsubscribed (21610)"]);
});
