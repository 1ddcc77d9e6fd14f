import assert from "node:assert/strict";
import { connect } from "@/lib/db/connect.ts";
import { pingDatabase } from "@/lib/db/health.ts";
import { freePort } from "@/lib/net.ts";
import { appContext, createApp } from "@/main.ts";
import { onTeardown, startTestApp, test } from "@/tests/helpers.ts";

const t = await startTestApp();

// A port that accepts connections and never answers: a hung server, the case a bare query would
// wait on for as long as the driver's own timeouts allow.
const silent = Deno.listen({ hostname: "127.0.0.1", port: freePort() });
const held: Deno.Conn[] = [];
(async () => {
  for await (const conn of silent) held.push(conn);
})();
onTeardown(() => {
  silent.close();
  for (const conn of held) conn.close();
});

const deadUrls = {
  refused: `postgres://nobody:x@127.0.0.1:${freePort()}/nothing`,
  hung: `postgres://nobody:x@127.0.0.1:${(silent.addr as Deno.NetAddr).port}/nothing`,
};

test("pingDatabase is true for a live database", async () => {
  assert.equal(await pingDatabase(t.ctx.sql), true);
});

for (const [kind, url] of Object.entries(deadUrls)) {
  test(`/health and /ready tell a ${kind} database within a bound`, async () => {
    const sql = connect(url, { max: 1 });
    const app = createApp(appContext(sql, t.ctx.settings, t.ctx.hub));
    const started = Date.now();
    const [health, ready] = await Promise.all([app.request("/health"), app.request("/ready")]);
    assert.ok(Date.now() - started < 2000, `took ${Date.now() - started} ms`);
    assert.equal(health.status, 200);
    assert.deepEqual(await health.json(), { status: "ok", database: "down" });
    assert.equal(ready.status, 503);
    assert.equal((await ready.json()).database, "down");
    await sql.end({ timeout: 0 });
  });
}
