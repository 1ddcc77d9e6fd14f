// Event ids come from a sequence, so without care a transaction holding a smaller id could
// commit after one holding a larger id, and a reader that already passed the larger id would
// skip the smaller one for good. These tests show the trigger's advisory lock prevents it, and
// that the same scenario does skip an event once the lock is taken out of the trigger.
import assert from "node:assert/strict";
import type { Sql, Tx } from "@/lib/db/connect.ts";
import { startEventHub } from "@/lib/realtime/hub.ts";
import { createApp } from "@/main.ts";
import {
  createTestAdmin,
  ownDatabase,
  type Requester,
  startTestApp,
  test,
  testSettings,
  withToken,
} from "@/tests/helpers.ts";
import {
  createConversation,
  eventIds,
  insertMessage,
  json,
  maxEventId,
  SseReader,
} from "./support.ts";

interface Outcome {
  a: number;
  b: number;
  c: number;
  /** Whether B's append waited on the advisory lock that A's transaction held. */
  bWaitedForA: boolean;
  /** Ids of this conversation's events, as the SSE client received them. */
  delivered: number[];
}

async function newestId(tx: Tx, conversationId: string): Promise<number> {
  const [row] = await tx<{ id: string }[]>`
    select max(id) as id from events where conversation_id = ${conversationId}`;
  return Number(row.id);
}

// Polls pg_stat_activity: a lock wait is server state that no notification announces.
async function waitsOnAdvisoryLock(
  sql: Sql,
  waiter: number,
  holder: number,
  stop: { done: boolean },
): Promise<boolean> {
  while (!stop.done) {
    const [row] = await sql<{ wait_event: string | null; blockers: number[] }[]>`
      select wait_event, pg_blocking_pids(pid) as blockers
      from pg_stat_activity where pid = ${waiter}`;
    if (row?.wait_event === "advisory" && row.blockers.includes(holder)) return true;
    await new Promise((r) => setTimeout(r, 5));
  }
  return false;
}

/**
 * A appends first (smaller id) and stays open; B then appends and tries to commit first. With
 * the lock B cannot even get its id until A commits; without it, B commits first, the reader
 * passes B's id, and A's smaller id lands behind it. C is appended last as a fence: once the
 * client has C, whatever it has not received it will never receive.
 */
async function runScenario(sql: Sql, app: Requester): Promise<Outcome> {
  const sse = new SseReader(await app.request("/api/events"));
  await sse.next();
  // Two conversations, so no row lock could make B wait: only the advisory lock can.
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
  await receiveThrough(await maxEventId(sql));
  received.length = 0; // the conversations' own events are not part of the scenario

  const txA = await sql.reserve();
  const txB = await sql.reserve();
  try {
    const [{ pid: pidA }] = await txA<{ pid: number }[]>`select pg_backend_pid() as pid`;
    const [{ pid: pidB }] = await txB<{ pid: number }[]>`select pg_backend_pid() as pid`;
    await txA`begin`;
    await insertMessage(txA, convA, "A");
    const a = await newestId(txA, convA);

    await txB`begin`;
    const appendB = (async () => {
      await insertMessage(txB, convB, "B");
      return await newestId(txB, convB);
    })();
    const stop = { done: false };
    const bWaitedForA = await Promise.race([
      appendB.then(() => false),
      waitsOnAdvisoryLock(sql, pidB, pidA, stop),
    ]);
    stop.done = true;

    let b: number;
    if (bWaitedForA) {
      await txA`commit`;
      b = await appendB;
      await txB`commit`;
    } else {
      // B commits first and the reader moves past b before A's smaller id is visible.
      b = await appendB;
      await txB`commit`;
      await receiveThrough(b);
      await txA`commit`;
    }
    await insertMessage(sql, convA, "C");
    const c = await newestId(sql, convA);
    await receiveThrough(c);
    await sse.cancel();
    return { a, b, c, bWaitedForA, delivered: received };
  } finally {
    txA.release();
    txB.release();
  }
}

test("an event id never becomes visible before a smaller one: B waits for A's commit", async () => {
  const t = await startTestApp();
  try {
    const out = await runScenario(t.ctx.sql, t.app);
    assert.ok(out.bWaitedForA, "B's append must wait on the advisory lock A holds");
    assert.ok(out.a < out.b && out.b < out.c);
    assert.deepEqual(out.delivered, [out.a, out.b, out.c]);
  } finally {
    await t.stop();
  }
});

test("without the trigger's advisory lock the same reader skips an event (the test has teeth)", async () => {
  const { url, sql, drop } = await ownDatabase("nolock", { max: 6 });
  try {
    const [{ def }] = await sql<{ def: string }[]>`
      select pg_get_functiondef('hatch_append_event'::regproc) as def`;
    const unlocked = def.replace(/perform pg_advisory_xact_lock\(\d+\);/, "");
    assert.notEqual(unlocked, def, "the trigger no longer takes the advisory lock this removes");
    await sql.unsafe(unlocked);

    const settings = testSettings({ DATABASE_URL: url });
    const hub = await startEventHub({ sql, databaseUrl: url, settings });
    try {
      const { token } = await createTestAdmin(sql);
      const out = await runScenario(sql, withToken(createApp({ sql, settings, hub }), token));
      assert.equal(out.bWaitedForA, false);
      assert.ok(out.a < out.b, "A still holds the smaller id");
      assert.deepEqual(out.delivered, [out.b, out.c], "A's event is skipped for good");
      assert.deepEqual(await eventIds(sql, { after: out.a - 1 }), [out.a, out.b, out.c]);
    } finally {
      await hub.stop();
    }
  } finally {
    await drop();
  }
});

test("clients joining and replaying during concurrent commits see every event once, in order", async () => {
  const t = await startTestApp({ HATCH_DB_POOL_SIZE: "12" });
  try {
    const { sql } = t.ctx;
    const conversationId = await createConversation(sql);
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
    const last = await maxEventId(sql);
    for (const { after, sse } of readers) {
      const got = (await sse.eventsThrough(last)).map((f) => Number(f.id));
      assert.deepEqual(got, await eventIds(sql, { after }));
      assert.ok(got.every((id, i) => i === 0 || id > got[i - 1]));
      await sse.cancel();
    }
  } finally {
    await t.stop();
  }
});
