// Presence travels to open streams on a channel of its own and is never stored or replayed.
import assert from "node:assert/strict";
import { jsonRequest, startTestApp, test } from "@/tests/helpers.ts";
import { json, SseReader } from "@/tests/realtime/support.ts";
import { customerWrites, teammate } from "./helpers.ts";

const t = await startTestApp();

test("presence reaches other streams at once and leaves no event behind", async () => {
  const ana = await teammate(t, "Ana");
  const ben = await teammate(t, "Ben");
  const id = await customerWrites(t);
  const [{ before }] = await t.ctx.sql`select coalesce(max(id), 0)::int as before from events`;
  const sse = new SseReader(await ana.app.request("/api/events"));
  assert.equal((await sse.next())?.event, "connected");
  const res = await jsonRequest(ben.app, `/api/conversation/${id}/presence`, { state: "typing" });
  assert.equal(res.status, 200);
  const frames = await sse.until((f) => f.event === "presence");
  const frame = frames[frames.length - 1];
  assert.equal(frame.id, undefined);
  assert.deepEqual(
    (({ conversation_id, user_id, name, state }) => ({ conversation_id, user_id, name, state }))(
      json(frame) as Record<string, string>,
    ),
    { conversation_id: id, user_id: ben.id, name: "Ben", state: "typing" },
  );
  await sse.cancel();
  const [{ after }] = await t.ctx.sql`select coalesce(max(id), 0)::int as after from events`;
  assert.equal(after, before);
  // A stream resuming from before it replays nothing of it.
  const replay = new SseReader(await ana.app.request(`/api/events?after=${before}`));
  assert.equal((await replay.next())?.event, "connected");
  await jsonRequest(ana.app, `/api/conversation/${id}/notes`, { body: "marker" });
  const replayed = await replay.until((f) => f.event === "note_update");
  assert.ok(!replayed.some((f) => f.event === "presence"));
  await replay.cancel();
});

test("presence in a conversation that does not exist is a 404", async () => {
  const res = await jsonRequest(t.app, `/api/conversation/${crypto.randomUUID()}/presence`, {
    state: "viewing",
  });
  assert.equal(res.status, 404);
  assert.match((await res.json()).error, /not found/);
});
