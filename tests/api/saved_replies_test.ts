import assert from "node:assert/strict";
import { jsonRequest, startTestApp, test } from "@/tests/helpers.ts";

const t = await startTestApp({ HATCH_BUSINESS_NAME: "Blue Door Bakery" });
const unique = () => `Hours ${crypto.randomUUID().slice(0, 6)}`;

test("saved replies are created, listed with the shared values, changed and deleted", async () => {
  const title = unique();
  const created = await jsonRequest(t.app, "/api/saved_replies", {
    title,
    body: "Hi {{contact.first_name}}, {{business.name}} opens at 8",
  });
  assert.equal(created.status, 201);
  const { saved_reply } = await created.json();
  const list = await (await t.app.request("/api/saved_replies")).json();
  assert.ok(list.saved_replies.some((r: { id: string }) => r.id === saved_reply.id));
  assert.equal(list.values["business.name"], "Blue Door Bakery");
  assert.ok("agent.name" in list.values);
  const changed = await t.app.request(`/api/saved_replies/${saved_reply.id}`, {
    method: "PATCH",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ title, body: "We open at 9" }),
  });
  assert.equal((await changed.json()).saved_reply.body, "We open at 9");
  const gone = await t.app.request(`/api/saved_replies/${saved_reply.id}`, { method: "DELETE" });
  assert.equal(gone.status, 200);
  const again = await t.app.request(`/api/saved_replies/${saved_reply.id}`, { method: "DELETE" });
  assert.equal(again.status, 404);
});

test("an unknown variable and a taken title are refused in words", async () => {
  const typo = await jsonRequest(t.app, "/api/saved_replies", {
    title: unique(),
    body: "Hi {{contact.frist_name}}",
  });
  assert.equal(typo.status, 400);
  assert.match((await typo.json()).error, /"\{\{contact\.frist_name\}\}", which is not a variable/);
  const title = unique();
  await jsonRequest(t.app, "/api/saved_replies", { title, body: "One" });
  const dup = await jsonRequest(t.app, "/api/saved_replies", {
    title: title.toUpperCase(),
    body: "Two",
  });
  assert.equal(dup.status, 409);
  assert.match((await dup.json()).error, /already called/);
});
