// Wake-ups without a NOTIFY per commit when busy (sql/013_events_by_xid_horizon.sql and
// lib/realtime/hub.ts): an idle hub arms the flag; the first append clears it and notifies;
// appends while the hub polls send none, and every event still arrives.
import assert from "node:assert/strict";
import { listen } from "@/lib/db/listener.ts";
import { EVENTS_CHANNEL } from "@/lib/realtime/hub.ts";
import { ownDatabase, startTestApp, test } from "@/tests/helpers.ts";
import { createConversation, insertMessage, maxEventId, SseReader, until } from "./support.ts";

// A database of this file's own: it reads the whole event log (or the webhook fan-out's cursor),
// which other files' apps and queued jobs would otherwise write into meanwhile.
const own = await ownDatabase("wake", { max: 2 });

async function flag(sql: Parameters<typeof insertMessage>[0]): Promise<number> {
  const [row] = await sql<{ v: string }[]>`select last_value as v from hatch_events_wake`;
  return Number(row.v);
}

test("an idle hub arms the wake-up; a burst of commits sends far fewer NOTIFYs than commits, and every event arrives", async () => {
  const t = await startTestApp({ DATABASE_URL: own.url, HATCH_DB_POOL_SIZE: "8" });
  let heard = 0;
  const listener = await listen({
    url: t.ctx.settings.DATABASE_URL,
    channels: { [EVENTS_CHANNEL]: () => heard++ },
    onListen: () => {},
  });
  try {
    const { sql } = t.ctx;
    const conversationId = await createConversation(sql);
    const sse = new SseReader(await t.app.request("/api/events"));
    await sse.next();
    // Idle: the hub arms the flag after a few empty reads.
    await until(async () => await flag(sql) === 1, "the idle hub arms the wake-up flag");
    heard = 0;
    // The first commit finds it armed: it clears it and notifies.
    await insertMessage(sql, conversationId, "first");
    assert.equal(await flag(sql), 0);
    // A burst from four writers while the hub polls.
    const commits = 4 * 50;
    await Promise.all([0, 1, 2, 3].map(async (w) => {
      for (let i = 0; i < 50; i++) await insertMessage(sql, conversationId, `w${w}-${i}`);
    }));
    const last = await maxEventId(sql);
    const frames = await sse.eventsThrough(last, 20_000);
    assert.equal(frames.filter((f) => f.event === "message_update").length, commits + 1);
    assert.ok(heard < commits / 4, `${heard} NOTIFYs for ${commits + 1} commits`);
    await sse.cancel();
  } finally {
    await listener.stop();
    await t.stop();
  }
});
