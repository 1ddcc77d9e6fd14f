import assert from "node:assert/strict";
import { jsonRequest, randomPhone, startTestApp, test } from "@/tests/helpers.ts";

const t = await startTestApp();

test("a thread pages by keyset: newest page first, oldest first within a page, no overlap", async () => {
  const to = randomPhone();
  let conversation = "";
  for (let i = 0; i < 7; i++) {
    const body = await (await jsonRequest(t.app, "/api/send_message", { to, content: `m${i}` }))
      .json();
    conversation = body.conversation_id;
  }
  const seen: string[] = [];
  let before: string | null = null;
  const pages: string[][] = [];
  do {
    const q: string = before ? `&before=${before}` : "";
    const page = await (await t.app.request(
      `/api/conversation/${conversation}/messages?limit=3${q}`,
    )).json();
    pages.push(page.messages.map((m: { body: string }) => m.body));
    seen.unshift(...page.messages.map((m: { body: string }) => m.body));
    before = page.next_cursor;
  } while (before);
  assert.deepEqual(pages, [["m4", "m5", "m6"], ["m1", "m2", "m3"], ["m0"]]);
  assert.deepEqual(seen, ["m0", "m1", "m2", "m3", "m4", "m5", "m6"]);
});

test("the conversation list pages by keyset without repeats", async () => {
  for (let i = 0; i < 4; i++) {
    await jsonRequest(t.app, "/api/send_message", { to: randomPhone(), content: `c${i}` });
  }
  const first = await (await t.app.request("/api/conversations?limit=2")).json();
  const second =
    await (await t.app.request(`/api/conversations?limit=2&before=${first.next_cursor}`))
      .json();
  const ids = [...first.conversations, ...second.conversations].map((c: { id: string }) => c.id);
  assert.equal(new Set(ids).size, 4);
  assert.ok(first.conversations[0].last_message_time >= second.conversations[0].last_message_time);
});

test("the list filters by text and channel", async () => {
  const word = `zebra${crypto.randomUUID().slice(0, 6)}`;
  await jsonRequest(t.app, "/api/send_message", { to: "Filter Person", content: `a ${word}` });
  const found = await (await t.app.request(`/api/conversations?q=${word}`)).json();
  assert.equal(found.conversations.length, 1);
  assert.equal(found.conversations[0].channel, "chat");
  const none = await (await t.app.request(`/api/conversations?q=${word}&channel=sms`)).json();
  assert.equal(none.conversations.length, 0);
});

test("bad paging input is a 400 in words", async () => {
  const a = await t.app.request("/api/conversations?limit=0");
  assert.equal(a.status, 400);
  assert.match((await a.json()).error, /limit must be at least 1/);
  const b = await t.app.request("/api/conversations?before=garbage");
  assert.equal(b.status, 400);
  assert.match((await b.json()).error, /Invalid cursor "garbage"/);
  const c = await t.app.request("/api/conversations?limit=1000");
  assert.equal(c.status, 400);
});
