// The LISTEN connection must survive a PostgreSQL restart on its own, and catch up on what
// was committed while it was away (NOTIFYs sent then are lost: they are only wake-ups).
import assert from "node:assert/strict";
import { connect } from "@/lib/db/connect.ts";
import { ensureDatabase, startEmbedded } from "@/lib/db/embedded.ts";
import { migrate } from "@/lib/db/migrate.ts";
import { freePort } from "@/lib/net.ts";
import { startEventHub } from "@/lib/realtime/hub.ts";
import { appContext, createApp } from "@/main.ts";
import { createTestAdmin, test, testSettings, withToken } from "@/tests/helpers.ts";
import { createConversation, eventIds, insertMessage, json, SseReader } from "./support.ts";

test("after a PostgreSQL restart the listener reconnects by itself and clients get what they missed", async () => {
  const dataDir = `.hatch/test-restart-${crypto.randomUUID().slice(0, 8)}`;
  const port = freePort();
  let server = await startEmbedded({ dataDir, port, quiet: true });
  await ensureDatabase(server.url("postgres"), "hatch");
  const url = server.url("hatch");
  const sql = connect(url, { max: 4 });
  await migrate(sql, url);
  const settings = testSettings({ DATABASE_URL: url });
  // No safety poll here: only the listener's own recovery may deliver what was missed.
  const hub = await startEventHub({ sql, databaseUrl: url, settings, pollIntervalMs: 3_600_000 });
  try {
    const app = withToken(
      createApp(appContext(sql, settings, hub)),
      (await createTestAdmin(sql)).token,
    );
    const sse = new SseReader(await app.request("/api/events"));
    await sse.next();
    const conversationId = await createConversation(sql);
    await insertMessage(sql, conversationId, "before");
    const before = await eventIds(sql, { conversationId });
    await sse.eventsThrough(before.at(-1)!);
    const resumeFrom = before.at(-1)!;
    assert.equal(hub.stats().listens, 1);

    await server.stop();
    server = await startEmbedded({ dataDir, port, quiet: true });

    // Commit while the listener cannot be connected, so their NOTIFYs reach no one: new
    // connections to the database are refused and any that got in already are ended.
    const writer = connect(url, { max: 1 });
    const admin = connect(server.url("postgres"), { max: 1 });
    const [{ pid }] = await writer<{ pid: number }[]>`select pg_backend_pid() as pid`;
    await admin`alter database hatch allow_connections false`;
    await admin`select pg_terminate_backend(pid) from pg_stat_activity
      where datname = 'hatch' and pid <> ${pid}`;
    const listensWhileAway = hub.stats().listens;
    await insertMessage(writer, conversationId, "while the listener is away 1");
    await insertMessage(writer, conversationId, "while the listener is away 2");
    await admin`alter database hatch allow_connections true`;
    const missed = await eventIds(writer, { conversationId, after: resumeFrom });
    assert.equal(missed.length, 2);

    // The same stream, never reconnected, receives them once the listener is back.
    const frames = await sse.eventsThrough(missed.at(-1)!, 60_000);
    assert.deepEqual(
      frames.filter((f) => json(f).conversation_id === conversationId).map((f) => Number(f.id)),
      missed,
    );
    assert.ok(hub.stats().listens > listensWhileAway, "the listener listened again");

    // And NOTIFY wakes it again, live.
    await insertMessage(writer, conversationId, "after");
    const [live] = await eventIds(writer, { conversationId, after: missed.at(-1)! });
    assert.deepEqual((await sse.eventsThrough(live)).map((f) => Number(f.id)), [live]);

    // A new client resuming from before the restart gets everything after it, in order.
    const again = new SseReader(
      await app.request("/api/events", { headers: { "last-event-id": String(resumeFrom) } }),
    );
    await again.next();
    const replayed = await again.eventsThrough(live);
    assert.deepEqual(replayed.map((f) => Number(f.id)), [...missed, live]);
    await again.cancel();
    await sse.cancel();
    await writer.end();
    await admin.end();
  } finally {
    await hub.stop();
    await sql.end({ timeout: 1 });
    await server.stop();
    await Deno.remove(dataDir, { recursive: true }).catch(() => {});
  }
});
