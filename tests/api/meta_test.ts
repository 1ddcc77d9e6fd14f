import assert from "node:assert/strict";
import { startTestApp, test } from "@/tests/helpers.ts";
import { generateManifest } from "@/lib/web/manifest.ts";

const t = await startTestApp();

test("health and readiness", async () => {
  assert.deepEqual(await (await t.app.request("/health")).json(), {
    status: "ok",
    database: "ok",
  });
  const ready = await t.app.request("/ready");
  assert.equal(ready.status, 200);
  assert.equal((await ready.json()).database, "ok");
});

test("the OpenAPI document lists the seed's endpoints with schemas from zod", async () => {
  const doc = await (await t.app.request("/openapi.json")).json();
  assert.equal(doc.openapi, "3.1.0");
  for (
    const path of [
      "/api/conversations",
      "/api/conversation/{id}/messages",
      "/api/send_message",
      "/api/send_email",
    ]
  ) {
    assert.ok(doc.paths[path], `missing ${path}`);
  }
  const body = doc.paths["/api/send_message"].post.requestBody.content["application/json"].schema;
  assert.deepEqual(body.required.sort(), ["content", "to"]);
  const docs = await t.app.request("/docs");
  assert.equal(docs.status, 200);
  assert.match(await docs.text(), /\/api\/send_message/);
});

test("an unknown route is a JSON 404", async () => {
  const res = await t.app.request("/api/nothing-here");
  assert.equal(res.status, 404);
  assert.equal((await res.json()).success, false);
});

test("routes.gen.ts is up to date with routes/ and islands/", async () => {
  assert.equal(await generateManifest(), false, "run `deno task build` and commit routes.gen.ts");
});
