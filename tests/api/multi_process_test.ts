// Two app processes on two ports share one database: a change made through either reaches SSE
// clients of both, because each process LISTENs.
import assert from "node:assert/strict";
import { processApiToken, test } from "@/tests/helpers.ts";
import { spawnHatch, sseReader } from "@/tests/process.ts";

test("an SSE client on one process sees a message sent through the other", async () => {
  const [a, b] = await Promise.all([
    spawnHatch({ env: { HATCH_WORKER: "false" } }),
    spawnHatch({ env: { HATCH_WORKER: "false" } }),
  ]);
  try {
    const auth = { authorization: `Bearer ${await processApiToken()}` };
    const stream = await fetch(`${a.url}/api/events`, { headers: auth });
    assert.equal(stream.headers.get("content-type")?.split(";")[0], "text/event-stream");
    const sse = sseReader(stream.body!);
    // The connected frame proves the subscription is live before we send.
    await sse.until((f) => f.event === "connected");
    const res = await fetch(`${b.url}/api/send_message`, {
      method: "POST",
      headers: { "content-type": "application/json", ...auth },
      body: JSON.stringify({ to: `Multi ${crypto.randomUUID().slice(0, 8)}`, content: "across" }),
    });
    const { message_id } = await res.json();
    const frame = await sse.until(
      (f) => f.event === "message_update" && JSON.parse(f.data ?? "{}").message_id === message_id,
    );
    assert.equal(JSON.parse(frame.data!).action, "INSERT");
    assert.match(frame.id!, /^\d+$/);
    await sse.close();
  } finally {
    await Promise.all([a.kill(), b.kill()]);
  }
});

test("presence announced through one process reaches a stream on the other", async () => {
  const [a, b] = await Promise.all([
    spawnHatch({ env: { HATCH_WORKER: "false" } }),
    spawnHatch({ env: { HATCH_WORKER: "false" } }),
  ]);
  try {
    const auth = { authorization: `Bearer ${await processApiToken()}` };
    const sent = await fetch(`${b.url}/api/send_message`, {
      method: "POST",
      headers: { "content-type": "application/json", ...auth },
      body: JSON.stringify({ to: `Presence ${crypto.randomUUID().slice(0, 8)}`, content: "hi" }),
    });
    const { conversation_id } = await sent.json();
    const sse = sseReader((await fetch(`${a.url}/api/events`, { headers: auth })).body!);
    await sse.until((f) => f.event === "connected");
    const res = await fetch(`${b.url}/api/conversation/${conversation_id}/presence`, {
      method: "POST",
      headers: { "content-type": "application/json", ...auth },
      body: JSON.stringify({ state: "viewing" }),
    });
    assert.equal(res.status, 200);
    await res.body?.cancel();
    const frame = await sse.until((f) => f.event === "presence");
    assert.equal(JSON.parse(frame.data!).conversation_id, conversation_id);
    assert.equal(frame.id, undefined);
    await sse.close();
  } finally {
    await Promise.all([a.kill(), b.kill()]);
  }
});
