// The webhook fan-out with no endpoint enabled: a pass moves its cursor past the whole backlog
// without reading the log, and an endpoint enabled afterwards gets only what happens after.
import assert from "node:assert/strict";
import { receiveInboundSms } from "@/lib/messages/service.ts";
import { smsFromAddress } from "@/lib/providers/select.ts";
import { fanOut } from "@/lib/webhooks/fanout.ts";
import {
  onTeardown,
  ownDatabase,
  randomPhone,
  startTestApp,
  test,
  waitUntil,
} from "@/tests/helpers.ts";

// A database of this file's own: the fan-out's cursor and the event log are the whole database's.
const own = await ownDatabase("webhooks_idle", { max: 2 });
onTeardown(() => own.drop());
const t = await startTestApp({ DATABASE_URL: own.url });
const sql = t.ctx.sql;

const inbound = (from: string) =>
  receiveInboundSms(sql, {
    from,
    to: smsFromAddress(t.ctx.settings),
    body: `from ${from}`,
    provider: "sandbox",
    providerMessageId: `SMi${crypto.randomUUID().replaceAll("-", "")}`,
  });

async function cursor(): Promise<{ xid: bigint; id: bigint }> {
  const [c] = await sql`
    select last_event_xid::text as xid, last_event_id::text as id from webhook_cursor`;
  return { xid: BigInt(c.xid), id: BigInt(c.id) };
}

test("with no endpoint enabled, one pass skips the whole backlog; an endpoint enabled later gets only newer events", async () => {
  // Made before the backlog, then switched off: once enabled again, only the cursor keeps the
  // backlog's inbound text from it.
  const res = await t.app.request("/api/webhooks", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ url: "http://127.0.0.1:9/hook", events: ["message.received"] }),
  });
  assert.equal(res.status, 201, await res.clone().text());
  const { id } = (await res.json()).endpoint;
  await sql`update webhook_endpoints set disabled_at = now() where id = ${id}`;

  // More events than one read takes (500), then an inbound text behind them.
  await sql`
    insert into events (id, type, action, entity_id)
    select nextval('events_id_seq'), 'contact_update', 'UPDATE', gen_random_uuid()
    from generate_series(1, 600)`;
  const old = randomPhone();
  await inbound(old);
  const [last] = await sql`
    select xid::text::bigint::text as xid, id::text from events order by xid desc, id desc limit 1`;

  assert.equal(await fanOut(sql), true);
  const after = await cursor();
  assert.ok(
    after.xid > BigInt(last.xid) || (after.xid === BigInt(last.xid) && after.id >= BigInt(last.id)),
    `one pass moved the cursor past the backlog: at ${after.xid}/${after.id}, last event ${last.xid}/${last.id}`,
  );

  await sql`update webhook_endpoints set disabled_at = null where id = ${id}`;
  const fresh = randomPhone();
  await inbound(fresh);
  const deliveries = await waitUntil(sql, async () => {
    await fanOut(sql);
    const rows = await sql`
      select payload from webhook_deliveries where endpoint_id = ${id} order by created_at`;
    return rows.some((r) => r.payload.data.from_contact === fresh) && rows;
  });
  assert.deepEqual(deliveries.map((r) => r.payload.data.from_contact), [fresh]);
});
