// Events carry what an open tab needs, so it applies them with no request: a conversation event
// its list row (the same row the list API answers with), a message event its status, error and
// provider fields.
import assert from "node:assert/strict";
import { startTestApp, test } from "@/tests/helpers.ts";
import { insertMessages, json, SseReader } from "./support.ts";
import { randomPhone } from "@/tests/helpers.ts";

test("a send's events carry the conversation's list row and the message's status fields", async () => {
  const t = await startTestApp();
  try {
    const sse = new SseReader(await t.app.request("/api/events"));
    await sse.next();
    const to = randomPhone();
    const res = await t.app.request("/api/send_message", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ to, content: "Your order is ready" }),
    });
    assert.equal(res.status, 202);
    const { message_id, conversation_id } = await res.json();
    const frames = await sse.until((f) =>
      f.event === "message_update" && json(f).message_id === message_id
    );
    const conv = frames.map(json).find((d) =>
      d.type === "conversation_update" && d.conversation_id === conversation_id
    );
    assert.ok(conv, "the conversation's event came first");
    const listed = (await (await t.app.request("/api/conversations?limit=50")).json())
      .conversations.find((c: { id: string }) => c.id === conversation_id);
    assert.deepEqual(conv.conversation, listed, "the list API's row, field for field");
    assert.equal(
      (conv.conversation as { last_message: string }).last_message,
      "Your order is ready",
    );

    const insert = json(frames.at(-1)!);
    assert.equal(insert.status, "queued");
    assert.equal(insert.provider, "sandbox");
    assert.equal(insert.error_code, null);
    assert.equal(insert.error_message, null);
    assert.ok(!Number.isNaN(Date.parse(insert.updated_at as string)));

    // A status change carries the new status and what the provider said about it.
    await t.ctx.sql`
      update messages set status = 'failed', error_code = '30003',
        error_message = 'Unreachable destination handset', updated_at = now()
      where id = ${message_id}`;
    const [update] = (await sse.until((f) =>
      f.event === "message_update" && json(f).message_id === message_id &&
      json(f).action === "UPDATE"
    )).slice(-1).map(json);
    assert.equal(update.status, "failed");
    assert.equal(update.error_code, "30003");
    assert.equal(update.error_message, "Unreachable destination handset");
    await sse.cancel();
  } finally {
    await t.stop();
  }
});

test("events replayed from the table carry the list row too", async () => {
  const t = await startTestApp();
  try {
    const first = new SseReader(await t.app.request("/api/events"));
    const from = (await first.next())!.id!;
    await first.cancel();
    const res = await t.app.request("/api/send_message", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ to: randomPhone(), content: "replayed" }),
    });
    const { conversation_id } = await res.json();
    // More than the hub serves from memory at connect (500): the stream replays from the table.
    await insertMessages(t.ctx.sql, conversation_id, 600);
    const sse = new SseReader(await t.app.request(`/api/events?after=${from}`));
    const frames = await sse.until((f) =>
      f.event === "conversation_update" && json(f).conversation_id === conversation_id
    );
    const conv = json(frames.at(-1)!);
    assert.equal((conv.conversation as { id: string }).id, conversation_id);
    assert.equal((conv.conversation as { last_message: string }).last_message, "replayed");
    await sse.cancel();
  } finally {
    await t.stop();
  }
});
