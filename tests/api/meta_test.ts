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
  const docsHtml = await docs.text();
  assert.match(docsHtml, /\/api\/send_message/);
  assert.match(docsHtml, /href="\/static\/api-docs\.css"/, "the page links its stylesheet");
});

test("an unknown route is a JSON 404; a browser asking for a page that does not exist gets one that says so", async () => {
  const html = { headers: { accept: "text/html,application/xhtml+xml,*/*;q=0.8" } };
  for (const [path, init] of [["/api/nothing-here", html], ["/nothing-here", {}]] as const) {
    const res = await t.app.request(path, init);
    assert.equal(res.status, 404, path);
    assert.deepEqual(await res.json(), {
      success: false,
      error: `No route for GET ${path}`,
    });
  }
  const page = await t.raw.request("/contacts/extra/nothing", html);
  assert.equal(page.status, 404);
  assert.match(page.headers.get("content-type") ?? "", /^text\/html/);
  const text = await page.text();
  assert.match(text, /<title>Not found · Hatch<\/title>/);
  assert.match(text, /There is no page at <code>\/contacts\/extra\/nothing<\/code>/);
  assert.match(text, /href="\/">Back to the inbox/);
});

test("routes.gen.ts is up to date with routes/ and islands/", async () => {
  assert.equal(await generateManifest(), false, "run `deno task build` and commit routes.gen.ts");
});
