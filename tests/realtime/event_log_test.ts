import assert from "node:assert/strict";
import {
  eventData,
  type EventRow,
  formatFrame,
  latestEventId,
  positionOf,
  pruneEvents,
  readEventsAfter,
  toStreamEvent,
} from "@/lib/realtime/event_log.ts";
import { ownDatabase, startTestApp, test } from "@/tests/helpers.ts";
import { createConversation, eventIds, insertMessage, insertMessages, settled } from "./support.ts";

// A database of this file's own: it reads the whole event log (or the webhook fan-out's cursor),
// which other files' apps and queued jobs would otherwise write into meanwhile.
const own = await ownDatabase("event_log", { max: 2 });

const row = (over: Partial<EventRow>): EventRow => ({
  id: 7,
  xid: 700,
  type: "message_update",
  action: "INSERT",
  conversationId: "c0ffee00-0000-4000-8000-000000000000",
  entityId: "e0000000-0000-4000-8000-000000000001",
  payload: { status: "queued", direction: "outbound", channel: "sms" },
  timestamp: 1_700_000_000.25,
  ...over,
});

test("events take the seed's shape, with status, direction and channel added", () => {
  const cases: [Partial<EventRow>, Record<string, unknown>][] = [
    [{}, {
      type: "message_update",
      conversation_id: "c0ffee00-0000-4000-8000-000000000000",
      action: "INSERT",
      message_id: "e0000000-0000-4000-8000-000000000001",
      timestamp: 1_700_000_000.25,
      status: "queued",
      direction: "outbound",
      channel: "sms",
      event_id: 7,
    }],
    [{ type: "email_update", action: "UPDATE", payload: { status: "sent" } }, {
      type: "email_update",
      conversation_id: "c0ffee00-0000-4000-8000-000000000000",
      action: "UPDATE",
      email_id: "e0000000-0000-4000-8000-000000000001",
      timestamp: 1_700_000_000.25,
      status: "sent",
      channel: "email",
      event_id: 7,
    }],
    [{ type: "conversation_update", action: "DELETE", payload: { channel: "chat" } }, {
      type: "conversation_update",
      conversation_id: "c0ffee00-0000-4000-8000-000000000000",
      action: "DELETE",
      timestamp: 1_700_000_000.25,
      channel: "chat",
      event_id: 7,
    }],
  ];
  for (const [over, expected] of cases) assert.deepEqual(eventData(row(over)), expected);
});

test("a frame is id, event and one data line, with an optional retry hint", () => {
  assert.equal(
    formatFrame({ id: 3, event: "keepalive", data: { type: "keepalive", s: "a\nb" } }),
    'id: 3\nevent: keepalive\ndata: {"type":"keepalive","s":"a\\nb"}\n\n',
  );
  assert.equal(
    formatFrame({ id: 0, event: "connected", data: {}, retryMs: 2000 }),
    "retry: 2000\nid: 0\nevent: connected\ndata: {}\n\n",
  );
  const event = toStreamEvent(row({}));
  assert.equal(new TextDecoder().decode(event.frame), formatFrame({ ...event }));
});

test("readEventsAfter pages the log in (xid, id) order; pruneEvents deletes only old events", async () => {
  const t = await startTestApp({ DATABASE_URL: own.url });
  try {
    const { sql } = t.ctx;
    const conversationId = await createConversation(sql);
    for (let i = 0; i < 5; i++) await insertMessage(sql, conversationId);
    // Transactions of other databases on the server may hold the horizon back for a moment.
    await settled(sql);
    const ids = await eventIds(sql, { conversationId });
    assert.equal(await latestEventId(sql), ids.at(-1));
    const first = await positionOf(sql, ids[0]);
    assert.ok(first && first.id === ids[0] && first.xid > 0);
    const read = await readEventsAfter(sql, first, 2);
    const page = read.rows;
    assert.deepEqual(page.map((r) => r.id), ids.slice(1, 3));
    assert.ok(page[0].xid > first.xid, "one transaction each: xids grow with ids here");
    assert.ok(read.horizon > page[1].xid && read.xmax >= read.horizon);
    assert.equal(page[0].conversationId, conversationId);
    assert.equal(page[0].payload.status, "queued");

    const old = ids.slice(0, 3);
    await sql`update events set created_at = now() - interval '8 days' where id = any(${old})`;
    assert.equal(await pruneEvents(sql, 7), 3);
    assert.deepEqual(await eventIds(sql, { conversationId }), ids.slice(3));
    assert.equal(await pruneEvents(sql, 7), 0);
  } finally {
    await t.stop();
  }
});

test("one statement's changed messages become one event each, in order; an update that changes nothing none", async () => {
  const { sql } = own;
  const conversationId = await createConversation(sql);
  const [before] = await sql<{ id: string }[]>`select coalesce(max(id), 0) as id from events`;
  const after = Number(before.id);
  const texts = async () =>
    (await sql<{ id: string }[]>`
      select id from messages where conversation_id = ${conversationId} order by body`)
      .map((r) => r.id);
  const events = async () =>
    (await sql<{ entity_id: string; action: string; payload: { status: string } }[]>`
      select entity_id, action, payload from events
      where conversation_id = ${conversationId} and type = 'message_update' and id > ${after}
      order by id`).map((e) => `${e.action} ${e.entity_id} ${e.payload.status}`);
  await insertMessages(sql, conversationId, 3);
  const ids = await texts();
  // Inserted in body order (m1, m2, m3): their events follow that order.
  assert.deepEqual(await events(), ids.map((id) => `INSERT ${id} queued`));

  // One statement: two rows change, one is written with what it already holds.
  await sql`update messages set status = case when body = 'm2' then status else 'sent' end
    where conversation_id = ${conversationId}`;
  const updated = (await events()).slice(3);
  assert.deepEqual(updated.sort(), [`UPDATE ${ids[0]} sent`, `UPDATE ${ids[2]} sent`].sort());

  await sql`delete from messages where conversation_id = ${conversationId}`;
  const deleted = (await events()).slice(5);
  assert.deepEqual(
    deleted.sort(),
    ids.map((id) => `DELETE ${id} ${id === ids[1] ? "queued" : "sent"}`).sort(),
  );
});
