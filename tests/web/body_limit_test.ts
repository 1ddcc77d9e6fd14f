// lib/web/body_limit.ts: a body over the cap is refused with the caller's answer, on both servers,
// whether its length is declared (Content-Length) or not (chunked); one within it reaches the route.
import assert from "node:assert/strict";
import { Hono } from "hono";
import { test } from "@/tests/helpers.ts";
import { freePort } from "@/lib/net.ts";
import { serveHttp } from "@/lib/web/serve.ts";
import { capBody } from "@/lib/web/body_limit.ts";

const CAP = 10;

function chunked(text: string): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  return new ReadableStream({
    start(c) {
      // Two chunks, so the size is only known once the second arrives.
      c.enqueue(bytes.subarray(0, 3));
      c.enqueue(bytes.subarray(3));
      c.close();
    },
  });
}

// Deno first: the node adapter puts its own Response in the global scope, which Deno.serve refuses
// (one process runs one kind of server).
for (const kind of ["deno", "node"] as const) {
  test(`${kind} server: bodies over the cap get 413, declared or chunked; others reach the route`, async () => {
    const app = new Hono();
    app.use("*", capBody(CAP, (c) => c.text("too large", 413)));
    app.post("/echo", async (c) => c.text(`read ${(await c.req.text()).length}`));
    app.get("/echo", (c) => c.text("got"));
    const port = freePort();
    const listening = Promise.withResolvers<void>();
    const server = serveHttp(
      { kind, port, hostname: "127.0.0.1", onListen: listening.resolve },
      (request, env) => app.fetch(request, env),
    );
    await listening.promise;
    const url = `http://127.0.0.1:${port}/echo`;
    const post = async (body: BodyInit) => {
      const res = await fetch(url, { method: "POST", body, duplex: "half" } as RequestInit);
      return `${res.status} ${await res.text()}`;
    };
    try {
      assert.equal(await post("x".repeat(CAP + 1)), "413 too large", "declared, over");
      assert.equal(await post("x".repeat(CAP)), "200 read 10", "declared, at the cap");
      assert.equal(await post(chunked("y".repeat(CAP + 1))), "413 too large", "chunked, over");
      assert.equal(await post(chunked("y".repeat(5))), "200 read 5", "chunked, within");
      const got = await fetch(url);
      assert.equal(`${got.status} ${await got.text()}`, "200 got");
    } finally {
      await server.shutdown();
    }
  });
}
