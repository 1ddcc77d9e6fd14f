// The event stream on the node server (HATCH_HTTP_SERVER=node), where it is written straight to
// the node response rather than through a web stream (lib/web/serve.ts): the same frames, the
// middleware's headers, replay, keepalives, the lifetime end and cleanup on disconnect.
import assert from "node:assert/strict";
import { processApiToken, test } from "@/tests/helpers.ts";
import { spawnHatch, sseReader } from "@/tests/process.ts";

const METRICS = "node-metrics-secret";

async function sseClients(url: string): Promise<number> {
  const res = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${METRICS}` } });
  const text = await res.text();
  return Number(/^hatch_sse_clients (\d+)/m.exec(text)?.[1]);
}

test("on the node server the stream replays, goes live, keeps alive, ends at its cap and on disconnect", async () => {
  const hatch = await spawnHatch({
    env: {
      HATCH_WORKER: "false",
      HATCH_HTTP_SERVER: "node",
      HATCH_KEEPALIVE_SECONDS: "3",
      HATCH_SSE_MAX_SECONDS: "5",
      HATCH_METRICS_TOKEN: METRICS,
    },
  });
  try {
    const auth = { authorization: `Bearer ${await processApiToken()}` };
    const send = async (content: string) => {
      const res = await fetch(`${hatch.url}/api/send_message`, {
        method: "POST",
        headers: { "content-type": "application/json", ...auth },
        body: JSON.stringify({ to: `Node ${crypto.randomUUID().slice(0, 8)}`, content }),
      });
      return (await res.json()).message_id as string;
    };

    const res = await fetch(`${hatch.url}/api/events`, { headers: auth });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("content-type")?.split(";")[0], "text/event-stream");
    // Headers the middleware adds after the handler returned reach the client too.
    assert.match(res.headers.get("x-request-id") ?? "", /\S/);
    assert.equal(res.headers.get("x-content-type-options"), "nosniff");
    const sse = sseReader(res.body!);
    const connected = await sse.until((f) => f.event === "connected");
    assert.match(connected.id!, /^\d+$/);

    const first = await send("live");
    const live = await sse.until((f) =>
      f.event === "message_update" && JSON.parse(f.data!).message_id === first
    );

    // A client resuming from `connected` gets the message again, then the stream goes live.
    const resumed = sseReader(
      (await fetch(`${hatch.url}/api/events`, {
        headers: { ...auth, "last-event-id": connected.id! },
      })).body!,
    );
    assert.equal((await resumed.until((f) => f.event === "connected")).id, connected.id);
    await resumed.until((f) =>
      f.event === "message_update" && JSON.parse(f.data!).message_id === first
    );
    assert.equal(await sseClients(hatch.url), 2);
    await resumed.close();
    // The server notices the disconnect at once, well before a keepalive write would fail.
    const deadline = Date.now() + 1_000;
    while (await sseClients(hatch.url) !== 1) {
      assert.ok(Date.now() < deadline, "the closed stream was still subscribed after 1 s");
      await new Promise((r) => setTimeout(r, 50));
    }

    const keepalive = await sse.until((f) => f.event === "keepalive", 4_000);
    assert.equal(keepalive.id, live.id);

    // The lifetime cap (5 s, up to 10% early) ends the first stream.
    await assert.rejects(sse.until(() => false, 8_000), /ended before/);
  } finally {
    await hatch.kill();
  }
});
