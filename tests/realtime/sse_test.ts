import assert from "node:assert/strict";
import { ownDatabase, startTestApp, test } from "@/tests/helpers.ts";
import { openEventStream } from "@/lib/realtime/sse.ts";
import type { StreamEvent } from "@/lib/realtime/event_log.ts";
import {
  createConversation,
  eventIds,
  insertMessage,
  insertMessages,
  isChange,
  json,
  maxEventId,
  SseReader,
  until,
} from "./support.ts";

// A database of this file's own: it reads the whole event log (or the webhook fan-out's cursor),
// which other files' apps and queued jobs would otherwise write into meanwhile.
const own = await ownDatabase("sse", { max: 2 });

test("GET /api/events streams connected, then live changes with their ids", async () => {
  const t = await startTestApp({ DATABASE_URL: own.url });
  try {
    const res = await t.app.request("/api/events");
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type") ?? "", /^text\/event-stream/);
    assert.equal(res.headers.get("cache-control"), "no-cache");
    assert.equal(res.headers.get("x-accel-buffering"), "no");
    const sse = new SseReader(res);
    const connected = await sse.next();
    assert.equal(connected?.event, "connected");
    assert.equal(connected?.id, String(t.ctx.hub.latestId()));
    assert.equal(connected?.retry, 2000);
    assert.equal(json(connected!).type, "connected");

    const conversationId = await createConversation(t.ctx.sql);
    const messageId = await insertMessage(t.ctx.sql, conversationId);
    await t.ctx.sql`update messages set status = 'sent' where id = ${messageId}`;
    const expected = await eventIds(t.ctx.sql, { conversationId });
    const frames = (await sse.eventsThrough(expected.at(-1)!))
      .filter((f) => json(f).conversation_id === conversationId);
    assert.deepEqual(frames.map((f) => Number(f.id)), expected);

    const [conv, insert, update] = frames.map(json);
    assert.equal(frames[0].event, "conversation_update");
    assert.equal(conv.action, "INSERT");
    assert.equal(conv.channel, "sms");
    assert.equal(frames[1].event, "message_update");
    assert.equal(insert.type, "message_update");
    assert.equal(insert.action, "INSERT");
    assert.equal(insert.message_id, messageId);
    assert.equal(insert.status, "queued");
    assert.equal(insert.direction, "outbound");
    assert.equal(typeof insert.timestamp, "number");
    assert.ok(Math.abs((insert.timestamp as number) - Date.now() / 1000) < 60);
    assert.equal(update.action, "UPDATE");
    assert.equal(update.status, "sent");
    await sse.cancel();
  } finally {
    await t.stop();
  }
});

test("an email change arrives as email_update with email_id", async () => {
  const t = await startTestApp({ DATABASE_URL: own.url });
  try {
    const sse = new SseReader(await t.app.request("/api/events"));
    await sse.next();
    const conversationId = await createConversation(t.ctx.sql);
    const [email] = await t.ctx.sql<{ id: string }[]>`
      insert into emails (conversation_id, direction, from_email, to_email, subject, body, status)
      values (${conversationId}, 'outbound', 'a@example.com', 'b@example.com', 's', 'b', 'queued')
      returning id`;
    const ids = await eventIds(t.ctx.sql, { conversationId });
    const last = (await sse.eventsThrough(ids.at(-1)!)).at(-1)!;
    assert.equal(last.event, "email_update");
    const data = json(last);
    assert.equal(data.email_id, email.id);
    assert.equal(data.conversation_id, conversationId);
    assert.equal(data.action, "INSERT");
    assert.equal(data.channel, "email");
    await sse.cancel();
  } finally {
    await t.stop();
  }
});

test("reconnecting with Last-Event-ID or ?after= replays exactly the missed events", async () => {
  const t = await startTestApp({ DATABASE_URL: own.url });
  try {
    const { sql } = t.ctx;
    const conversationId = await createConversation(sql);
    const from = await maxEventId(sql);
    // More than one page of the log (PAGE_SIZE is 1000), committed in one transaction.
    await insertMessages(sql, conversationId, 1200);
    await insertMessage(sql, conversationId, "after the batch");
    const missed = await eventIds(sql, { after: from });
    assert.ok(missed.length >= 1201);

    const inits: { path: string; headers: Record<string, string> }[] = [
      { path: "/api/events", headers: { "last-event-id": String(from) } },
      { path: `/api/events?after=${from}`, headers: {} },
      // A reconnecting browser sends the header and the original URL: the header is newer.
      { path: "/api/events?after=1", headers: { "last-event-id": String(from) } },
    ];
    for (const init of inits) {
      const sse = new SseReader(await t.app.request(init.path, { headers: init.headers }));
      const connected = await sse.next();
      assert.equal(connected?.event, "connected");
      assert.equal(connected?.id, String(from));
      const frames = await sse.eventsThrough(missed.at(-1)!);
      assert.deepEqual(frames.map((f) => Number(f.id)), missed, init.path);

      // Then live, with nothing repeated and nothing skipped.
      const live = await insertMessage(sql, conversationId, "live");
      const [liveId] = await eventIds(sql, { after: missed.at(-1)! });
      const next = await sse.eventsThrough(liveId);
      assert.deepEqual(next.map((f) => Number(f.id)), [liveId]);
      assert.equal(json(next[0]).message_id, live);
      missed.push(liveId);
      await sse.cancel();
    }
  } finally {
    await t.stop();
  }
});

test("an invalid Last-Event-ID or after answers 400 with words", async () => {
  const t = await startTestApp({ DATABASE_URL: own.url });
  try {
    const cases: [string, Record<string, string>][] = [
      ["/api/events", { "last-event-id": "abc" }],
      ["/api/events", { "last-event-id": "-1" }],
      ["/api/events", { "last-event-id": "1.5" }],
      ["/api/events", { "last-event-id": "99999999999999999999" }],
      ["/api/events?after=x", {}],
      ["/api/events?after=-3", {}],
    ];
    for (const [path, headers] of cases) {
      const res = await t.app.request(path, { headers });
      assert.equal(res.status, 400, `${path} ${JSON.stringify(headers)}`);
      const body = await res.json();
      assert.equal(body.success, false);
      assert.match(body.error, /^Cannot resume from (Last-Event-ID|after) ".*": not a/);
    }
    assert.equal(t.ctx.hub.clientCount(), 0);
  } finally {
    await t.stop();
  }
});

test("a client that goes away leaves the hub at once (cancel, abort, real HTTP)", async () => {
  const t = await startTestApp({ DATABASE_URL: own.url });
  const { hub } = t.ctx;
  try {
    const a = new SseReader(await t.app.request("/api/events"));
    await a.next();
    assert.equal(hub.clientCount(), 1);
    await a.cancel();
    assert.equal(hub.clientCount(), 0);

    const abort = new AbortController();
    const b = new SseReader(await t.app.request("/api/events", { signal: abort.signal }));
    await b.next();
    assert.equal(hub.clientCount(), 1);
    abort.abort();
    assert.equal(hub.clientCount(), 0);

    // Over a socket: the browser closing the connection must free the server's client.
    const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen: () => {} }, t.raw.fetch);
    try {
      const gone = new AbortController();
      const res = await fetch(`http://127.0.0.1:${server.addr.port}/api/events`, {
        signal: gone.signal,
        headers: { authorization: `Bearer ${t.token}` },
      });
      const c = new SseReader(res);
      assert.equal((await c.next())?.event, "connected");
      assert.equal(hub.clientCount(), 1);
      gone.abort();
      await until(() => hub.clientCount() === 0, "the server notices the closed socket");
    } finally {
      await server.shutdown();
    }
  } finally {
    await t.stop();
  }
});

test("the stream sends keepalives with the current id and ends at its lifetime cap", async () => {
  const t = await startTestApp({ DATABASE_URL: own.url });
  try {
    const { hub, sql } = t.ctx;
    const started = Date.now();
    const res = openEventStream({ hub, sql, keepaliveSeconds: 0.1, maxSeconds: 0.6 });
    const sse = new SseReader(res);
    const connected = await sse.next();
    assert.equal(connected?.retry, 2000);
    const keepalive = await sse.next();
    assert.equal(keepalive?.event, "keepalive");
    assert.equal(keepalive?.id, connected?.id);
    assert.equal(json(keepalive!).type, "keepalive");
    const rest: string[] = [];
    for (let f = await sse.next(); f; f = await sse.next()) rest.push(f.event);
    assert.ok(rest.every((e) => e === "keepalive"), rest.join());
    const elapsed = Date.now() - started;
    assert.ok(elapsed >= 500 && elapsed < 3000, `ended after ${elapsed} ms`);
    assert.equal(hub.clientCount(), 0);
  } finally {
    await t.stop();
  }
});

test("closeClients ends every stream, and the hub serialises each event once for all", async () => {
  const t = await startTestApp({ DATABASE_URL: own.url });
  try {
    const { hub, sql } = t.ctx;
    const seen: StreamEvent[][] = [[], []];
    const unsubscribe = seen.map((list) =>
      hub.subscribe({ deliver: (events) => list.push(...events), close: () => {} })
    );
    const conversationId = await createConversation(sql);
    await insertMessage(sql, conversationId);
    await hub.wake();
    const ids = await eventIds(sql, { conversationId });
    const mine = seen.map((list) => list.filter((e) => ids.includes(e.id)));
    assert.deepEqual(mine[0].map((e) => e.id), ids);
    // The very same bytes, not equal copies: formatted and encoded once.
    mine[0].forEach((e, i) => assert.equal(e.frame, mine[1][i].frame));
    unsubscribe.forEach((u) => u());

    const sse = [1, 2, 3].map(async () => {
      const r = new SseReader(await t.app.request("/api/events"));
      await r.next();
      return r;
    });
    const readers = await Promise.all(sse);
    assert.equal(hub.clientCount(), 3);
    hub.closeClients();
    for (const r of readers) {
      let end = await r.next();
      while (end && !isChange(end)) end = await r.next();
      assert.equal(end, null);
    }
    assert.equal(hub.clientCount(), 0);
  } finally {
    await t.stop();
  }
});

test("a client a little behind resumes from the hub's memory; one far behind from the table", async () => {
  const t = await startTestApp({ DATABASE_URL: own.url });
  try {
    const { hub, sql } = t.ctx;
    const conversationId = await createConversation(sql);
    await hub.wake();
    const from = hub.latestId();
    const fromPosition = hub.position();
    assert.equal(from, await maxEventId(sql));
    for (let i = 0; i < 3; i++) await insertMessage(sql, conversationId);
    const few = await eventIds(sql, { after: from });
    await hub.wake();
    assert.deepEqual(hub.recentSince(fromPosition)?.map((e) => e.id), few);
    assert.deepEqual(hub.recentPosition(few[0]), {
      xid: hub.recentSince(fromPosition)![0].xid,
      id: few[0],
    });
    const near = new SseReader(
      await t.app.request("/api/events", { headers: { "last-event-id": String(from) } }),
    );
    assert.equal((await near.next())?.id, String(from));
    assert.deepEqual((await near.eventsThrough(few.at(-1)!)).map((f) => Number(f.id)), few);

    // Enough events in one go (the hub sends them in pages of a thousand) that the hub's memory
    // lets the oldest go, and that a client which stops reading falls more than its allowance
    // behind.
    await insertMessages(sql, conversationId, 12_000);
    const many = await eventIds(sql, { after: few.at(-1)! });
    await hub.wake();
    assert.equal(hub.recentSince(fromPosition), undefined);
    await until(() => hub.clientCount() === 0, "the client that stopped reading is dropped");
    // What it had queued is still a gap-free run from where it was, then the stream ends.
    const queued: number[] = [];
    for (let f = await near.next(); f; f = await near.next()) {
      if (isChange(f)) queued.push(Number(f.id));
    }
    assert.ok(queued.length > 0 && queued.length < many.length);
    assert.deepEqual(queued, many.slice(0, queued.length));

    // It comes back from its last id and gets the rest from the table, paced, in order.
    const back = new SseReader(
      await t.app.request("/api/events", { headers: { "last-event-id": String(queued.at(-1)) } }),
    );
    await back.next();
    const rest = (await back.eventsThrough(many.at(-1)!)).map((f) => Number(f.id));
    assert.deepEqual(rest, many.slice(queued.length));
    await back.cancel();
  } finally {
    await t.stop();
  }
});

test("an id this database never issued resumes from now instead of holding events back", async () => {
  const t = await startTestApp({ DATABASE_URL: own.url });
  try {
    const { sql } = t.ctx;
    const future = 10 ** 12;
    const sse = new SseReader(
      await t.app.request("/api/events", { headers: { "last-event-id": String(future) } }),
    );
    assert.equal((await sse.next())?.id, String(future));
    const conversationId = await createConversation(sql);
    const [id] = await eventIds(sql, { conversationId });
    const frames = await sse.eventsThrough(id);
    assert.deepEqual(frames.map((f) => Number(f.id)), [id]);
    await sse.cancel();
  } finally {
    await t.stop();
  }
});
