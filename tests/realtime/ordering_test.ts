// Event ids come from a sequence, and transactions commit in any order: a transaction holding a
// smaller id can commit after one holding a larger id, so a reader that followed `id > position`
// would pass the larger id and skip the smaller one for good. Readers instead take events in
// (xid, id) order below the horizon (lib/realtime/event_log.ts). These tests show commits no
// longer wait for each other, that the naive reader would skip an event in the same scenario,
// that ours delivers every event once, and what clients see while a writing transaction stays
// open.
import assert from "node:assert/strict";
import type { Sql, Tx } from "@/lib/db/connect.ts";
import { readEventsAfter } from "@/lib/realtime/event_log.ts";
import { ownDatabase, type Requester, startTestApp, test } from "@/tests/helpers.ts";
import {
  createConversation,
  eventIds,
  insertMessage,
  json,
  maxEventId,
  settled,
  SseReader,
} from "./support.ts";

interface Outcome {
  a: number;
  b: number;
  c: number;
  /** Event ids committed after `before`, as a reader by `id > before` saw them with A open. */
  naive: number[];
  /** Ids of this scenario's events, as the SSE client received them. */
  delivered: number[];
}

async function newestId(tx: Tx, conversationId: string): Promise<number> {
  const [row] = await tx<{ id: string }[]>`
    select max(id) as id from events where conversation_id = ${conversationId}`;
  return Number(row.id);
}

/**
 * A appends first (smaller id) and stays open; B then appends and commits while A is still
 * open; then A commits. C is appended last as a fence: once the client has C, whatever it has
 * not received it will never receive. With `bFirst`, B's transaction takes its xid before A's
 * (so B comes first in the log's order even though its id is larger).
 */
async function runScenario(sql: Sql, app: Requester, bFirst: boolean): Promise<Outcome> {
  const sse = new SseReader(await app.request("/api/events"));
  await sse.next();
  // Two conversations, so no row lock could make B wait for A.
  const convA = await createConversation(sql);
  const convB = await createConversation(sql);
  const received: number[] = [];
  const receiveThrough = async (id: number) => {
    const frames = await sse.eventsThrough(id);
    received.push(
      ...frames.filter((f) => [convA, convB].includes(String(json(f).conversation_id)))
        .map((f) => Number(f.id)),
    );
  };
  await settled(sql);
  const before = await maxEventId(sql);
  await receiveThrough(before);
  received.length = 0; // the conversations' own events are not part of the scenario

  const txA = await sql.reserve();
  const txB = await sql.reserve();
  try {
    await txB`begin`;
    if (bFirst) await txB`select pg_current_xact_id()`;
    await txA`begin`;
    await insertMessage(txA, convA, "A");
    const a = await newestId(txA, convA);
    // No lock to wait on: B appends and commits while A is open.
    await insertMessage(txB, convB, "B");
    const b = await newestId(txB, convB);
    await txB`commit`;
    const naive = (await sql<{ id: string }[]>`select id from events where id > ${before}`)
      .map((r) => Number(r.id));
    await txA`commit`;
    await insertMessage(sql, convA, "C");
    const c = await newestId(sql, convA);
    await receiveThrough(c);
    await sse.cancel();
    return { a, b, c, naive, delivered: received };
  } finally {
    txA.release();
    txB.release();
  }
}

test("a commit no longer waits for an older open transaction, and no event is skipped", async () => {
  const t = await startTestApp();
  try {
    const out = await runScenario(t.ctx.sql, t.app, false);
    assert.ok(out.a < out.b && out.b < out.c);
    // The scenario has teeth: with A open, a reader by id sees b and not a; once past b it
    // would never read a.
    assert.deepEqual(out.naive, [out.b]);
    // A's transaction is older, so its event comes first, whatever the commit order.
    assert.deepEqual(out.delivered, [out.a, out.b, out.c]);
  } finally {
    await t.stop();
  }
});

test("an event with a larger id may come first (its transaction is older); none is skipped", async () => {
  const t = await startTestApp();
  try {
    const out = await runScenario(t.ctx.sql, t.app, true);
    assert.ok(out.a < out.b && out.b < out.c);
    assert.deepEqual(out.naive, [out.b]);
    assert.deepEqual(out.delivered, [out.b, out.a, out.c]);
  } finally {
    await t.stop();
  }
});

test("a writing transaction open for 5 s holds later events back until it ends, then all come in order", async () => {
  const t = await startTestApp();
  try {
    const { sql, hub } = t.ctx;
    const convL = await createConversation(sql);
    const convX = await createConversation(sql);
    await settled(sql);
    await hub.wake();
    const sse = new SseReader(await t.app.request("/api/events"));
    await sse.next();
    const start = hub.position();

    const long = await sql.reserve();
    try {
      await long`begin`;
      await insertMessage(long, convL, "long");
      const heldAt = performance.now();
      // A read-only transaction holds nothing back: it has no xid.
      const reader = await sql.reserve();
      await reader`begin`;
      await reader`select count(*) from messages`;
      // Five sends commit while the long transaction is open.
      const sent: string[] = [];
      for (let i = 0; i < 5; i++) sent.push(await insertMessage(sql, convX, `x${i}`));
      const committedAt = performance.now();
      // Committed, but not final: a read of the log below the horizon returns none of them,
      // and the hub hands nothing to clients.
      const read = await readEventsAfter(sql, start);
      assert.deepEqual(read.rows.filter((r) => r.conversationId === convX), []);
      assert.deepEqual(hub.position(), start);
      await reader`commit`;
      reader.release();

      // What a client sees meanwhile: keepalives only. The hold itself is the scenario.
      await new Promise((r) => setTimeout(r, Math.max(0, 5_000 - (performance.now() - heldAt))));
      assert.deepEqual(hub.position(), start, "still nothing handed out after 5 s");
      await long`commit`;
      const frames = await sse.eventsThrough(await maxEventId(sql), 10_000);
      const waited = performance.now() - committedAt;
      const ids = frames.map((f) => Number(f.id));
      // The long transaction's event first (its xid is older), then the five in order.
      assert.deepEqual(ids, await eventIds(sql, { after: start.id }));
      const order = frames.map((f) => json(f)).filter((d) => d.type === "message_update")
        .map((d) => d.message_id);
      assert.deepEqual(order.slice(1), sent);
      assert.equal(frames[0].event, "message_update");
      assert.equal(json(frames[0]).conversation_id, convL);
      assert.ok(waited >= 4_000, `the five waited for the long transaction (${waited} ms)`);
      await sse.cancel();
    } finally {
      long.release();
    }
  } finally {
    await t.stop();
  }
});

test("a writing transaction left open in another database of the server holds nothing back", async () => {
  const t = await startTestApp();
  const other = await ownDatabase("horizon", { max: 1 });
  try {
    const { sql, hub } = t.ctx;
    const convX = await createConversation(sql);
    const sse = new SseReader(await t.app.request("/api/events"));
    await sse.next();
    const long = await other.sql.reserve();
    try {
      await long`begin`;
      const [{ xid }] = await long<{ xid: string }[]>`select pg_current_xact_id()::text as xid`;
      // The cluster's horizon is held below the other database's transaction...
      const [{ held }] = await sql<{ held: boolean }[]>`
        select pg_snapshot_xmin(pg_current_snapshot()) <= ${xid}::xid8 as held`;
      assert.ok(held);
      // ...but this database's events still flow, at once.
      const message = await insertMessage(sql, convX, "while the other waits");
      await hub.wake();
      const frames = await sse.until((f) => json(f).message_id === message);
      assert.equal(frames.at(-1)!.event, "message_update");
      await long`rollback`;
    } finally {
      long.release();
    }
    await sse.cancel();
  } finally {
    await other.drop();
    await t.stop();
  }
});

test("clients joining and replaying during concurrent commits see every event once, in order", async () => {
  const t = await startTestApp({ HATCH_DB_POOL_SIZE: "12" });
  try {
    const { sql } = t.ctx;
    const conversationId = await createConversation(sql);
    await settled(sql);
    const start = await maxEventId(sql);
    const writers = [0, 1, 2, 3].map(async (w) => {
      for (let i = 0; i < 40; i++) {
        await sql.begin(async (tx) => {
          await insertMessage(tx, conversationId, `w${w}-${i}`);
          await insertMessage(tx, conversationId, `w${w}-${i}b`);
        });
      }
    });
    // Readers start at staggered points, some replaying from the beginning, while writes go on.
    const readers: { after?: number; sse: SseReader }[] = [];
    for (let i = 0; i < 8; i++) {
      const after = i % 2 ? start : undefined;
      const path = after === undefined ? "/api/events" : `/api/events?after=${after}`;
      const sse = new SseReader(await t.app.request(path));
      const connected = await sse.next();
      readers.push({ after: after ?? Number(connected!.id), sse });
      await new Promise((r) => setTimeout(r, 15));
    }
    await Promise.all(writers);
    for (const { after, sse } of readers) {
      // A reader that joined after the last write (a fast machine) has nothing to wait for.
      const expected = await eventIds(sql, { after });
      const got = expected.length
        ? (await sse.eventsThrough(expected[expected.length - 1])).map((f) => Number(f.id))
        : [];
      assert.deepEqual(got, expected);
      assert.equal(new Set(got).size, got.length, "each event once");
      await sse.cancel();
    }
  } finally {
    await t.stop();
  }
});
