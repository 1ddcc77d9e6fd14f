// lib/web/serve.ts: what the node server does with a connection between requests.
import assert from "node:assert/strict";
import { test } from "@/tests/helpers.ts";
import { freePort } from "@/lib/net.ts";
import { serveHttp } from "@/lib/web/serve.ts";

const REQUEST = new TextEncoder().encode("GET / HTTP/1.1\r\nhost: hatch\r\n\r\n");

async function answer(conn: Deno.Conn): Promise<string> {
  const buf = new Uint8Array(4096);
  const n = await conn.read(buf);
  return n === null ? "(closed)" : new TextDecoder().decode(buf.subarray(0, n)).split("\r\n")[0];
}

test("node server: a keep-alive connection idle for 6 s still takes a request", async () => {
  const port = freePort();
  const listening = Promise.withResolvers<void>();
  const server = serveHttp(
    { kind: "node", port, hostname: "127.0.0.1", onListen: listening.resolve },
    () => new Response("ok"),
  );
  await listening.promise;
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  try {
    await conn.write(REQUEST);
    assert.equal(await answer(conn), "HTTP/1.1 200 OK");
    // node:http's own default closes it after 5 s; a request sent then would be reset.
    await new Promise((resolve) => setTimeout(resolve, 6_000));
    await conn.write(REQUEST);
    assert.equal(await answer(conn), "HTTP/1.1 200 OK");
  } finally {
    conn.close();
    await server.shutdown();
  }
});
