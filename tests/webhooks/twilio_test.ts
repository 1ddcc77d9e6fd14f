// Twilio webhooks signed exactly as Twilio signs them (computed with the SDK).
import assert from "node:assert/strict";
import twilio from "twilio";
import { startWorker } from "@/lib/delivery/worker.ts";
import { reconcileStatuses } from "@/lib/messages/status.ts";
import { smsProviderFor } from "@/lib/providers/select.ts";
import { startFakeTwilio } from "@/tests/fakes/fake_twilio.ts";
import {
  jsonRequest,
  onTeardown,
  ownDatabase,
  randomPhone,
  startTestApp,
  test,
  waitForStatus,
} from "@/tests/helpers.ts";

const fake = startFakeTwilio();
onTeardown(() => fake.close());
const PUBLIC = "https://hatch.example";
const OURS = "+15005550006";
// A database of its own: this file's workers take every job due, and jobs other files left in a
// shared one (one run: ~12 s of them before this file's first send went out) would come first.
const own = await ownDatabase("twilio");
const t = await startTestApp({
  DATABASE_URL: own.url,
  TWILIO_ACCOUNT_SID: fake.accountSid,
  TWILIO_AUTH_TOKEN: fake.authToken,
  TWILIO_PHONE_NUMBER: OURS,
  TWILIO_API_BASE_URL: fake.url,
  HATCH_PUBLIC_URL: PUBLIC,
});

type Fields = [string, string][];

function sign(path: string, fields: Fields, token = fake.authToken, url = `${PUBLIC}${path}`) {
  const params: Record<string, string | string[]> = {};
  for (const [k, v] of fields) {
    const prev = params[k];
    params[k] = prev === undefined ? v : [...(Array.isArray(prev) ? prev : [prev]), v];
  }
  return twilio.getExpectedTwilioSignature(token, url, params);
}

function post(path: string, fields: Fields, signature: string): Promise<Response> {
  return Promise.resolve(t.app.request(path, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      "x-twilio-signature": signature,
    },
    body: new URLSearchParams(fields).toString(),
  }));
}

function inbound(
  from: string,
  body: string,
  sid = `SM${crypto.randomUUID().replaceAll("-", "")}`,
): Fields {
  return [
    ["AccountSid", fake.accountSid],
    ["MessageSid", sid],
    ["From", from],
    ["To", OURS],
    ["Body", body],
    ["NumMedia", "0"],
  ];
}

async function messagesFrom(from: string) {
  return await t.ctx.sql`select * from messages where from_contact = ${from} order by created_at`;
}

test("a correctly signed inbound SMS is stored as received and answered with empty TwiML", async () => {
  const from = randomPhone();
  const fields = inbound(from, "Is my order ready?");
  const res = await post("/webhooks/twilio/sms", fields, sign("/webhooks/twilio/sms", fields));
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("content-type"), "text/xml");
  assert.match(await res.text(), /<Response><\/Response>/);
  const [m] = await messagesFrom(from);
  assert.equal(m.status, "received");
  assert.equal(m.direction, "inbound");
  assert.equal(m.body, "Is my order ready?");
  const [conv] = await t.ctx.sql`select * from conversations where id = ${m.conversation_id}`;
  assert.deepEqual(conv.participants, [OURS, from]);
  assert.equal(conv.unread_count, 1);
});

test("MMS media are kept, and the signature covers repeated fields", async () => {
  const from = randomPhone();
  const fields: Fields = [
    ...inbound(from, "photo").filter(([k]) => k !== "NumMedia"),
    ["NumMedia", "2"],
    ["MediaUrl0", "https://media.example/a.jpg"],
    ["MediaContentType0", "image/jpeg"],
    ["MediaUrl1", "https://media.example/b.png"],
    ["MediaContentType1", "image/png"],
    ["Tag", "x"],
    ["Tag", "y"],
  ];
  const res = await post("/webhooks/twilio/sms", fields, sign("/webhooks/twilio/sms", fields));
  assert.equal(res.status, 200);
  const [m] = await messagesFrom(from);
  assert.deepEqual(m.media, [
    { url: "https://media.example/a.jpg", content_type: "image/jpeg" },
    { url: "https://media.example/b.png", content_type: "image/png" },
  ]);
});

const forgeries: [string, (f: Fields) => { fields: Fields; signature: string }][] = [
  ["one parameter changed", (f) => ({
    fields: f.map(([k, v]) => [k, k === "Body" ? v + "!" : v] as [string, string]),
    signature: sign("/webhooks/twilio/sms", f),
  })],
  ["signed for another URL", (f) => ({
    fields: f,
    signature: sign(
      "/webhooks/twilio/sms",
      f,
      fake.authToken,
      "https://evil.example/webhooks/twilio/sms",
    ),
  })],
  ["signed with another token", (f) => ({
    fields: f,
    signature: sign("/webhooks/twilio/sms", f, "0".repeat(32)),
  })],
  ["no signature", (f) => ({ fields: f, signature: "" })],
];
for (const [name, forge] of forgeries) {
  test(`a forged webhook gets 403 and stores nothing: ${name}`, async () => {
    const from = randomPhone();
    const { fields, signature } = forge(inbound(from, "let me in"));
    const res = await post("/webhooks/twilio/sms", fields, signature);
    assert.equal(res.status, 403);
    assert.equal((await res.json()).success, false);
    assert.equal((await messagesFrom(from)).length, 0);
  });
}

test("the same MessageSid twice stores one message", async () => {
  const from = randomPhone();
  const fields = inbound(from, "twice");
  const signature = sign("/webhooks/twilio/sms", fields);
  const [a, b] = await Promise.all([
    post("/webhooks/twilio/sms", fields, signature),
    post("/webhooks/twilio/sms", fields, signature),
  ]);
  assert.equal(a.status, 200);
  assert.equal(b.status, 200);
  assert.equal((await messagesFrom(from)).length, 1);
});

test("status callbacks move forward only: delivered then a late sent leaves delivered", async () => {
  const worker = await startWorker({
    sql: t.ctx.sql,
    databaseUrl: t.databaseUrl,
    settings: t.ctx.settings,
  });
  try {
    const sent =
      await (await jsonRequest(t.app, "/api/send_message", { to: randomPhone(), content: "x" }))
        .json();
    const row = await waitForStatus(t.ctx.sql, "messages", sent.message_id, ["sent", "failed"]);
    const sid = row.provider_message_id as string;
    const callback = (status: string, extra: Fields = []): Fields => [
      ["AccountSid", fake.accountSid],
      ["MessageSid", sid],
      ["MessageStatus", status],
      ...extra,
    ];
    for (const status of ["delivered", "sent", "delivered"]) {
      const fields = callback(status);
      const res = await post(
        "/webhooks/twilio/status",
        fields,
        sign("/webhooks/twilio/status", fields),
      );
      assert.equal(res.status, 204);
    }
    const [m] = await t.ctx.sql`select status from messages where id = ${sent.message_id}`;
    assert.equal(m.status, "delivered");
    // A forged callback changes nothing either.
    const fields = callback("failed", [["ErrorCode", "30003"]]);
    const res = await post("/webhooks/twilio/status", fields, "bad");
    assert.equal(res.status, 403);
  } finally {
    await worker.stop();
  }
});

test("a failed status stores Twilio's error code and message", async () => {
  const [{ id }] = await t.ctx.sql`select gen_random_uuid() as id`;
  const to = randomPhone();
  const sent = await (await jsonRequest(t.app, "/api/send_message", { to, content: "y" })).json();
  const sid = `SM${String(id).replaceAll("-", "")}`;
  await t.ctx
    .sql`update messages set status = 'sent', provider_message_id = ${sid} where id = ${sent.message_id}`;
  const fields: Fields = [
    ["MessageSid", sid],
    ["MessageStatus", "undelivered"],
    ["ErrorCode", "30003"],
    ["ErrorMessage", "Unreachable destination handset"],
  ];
  await post("/webhooks/twilio/status", fields, sign("/webhooks/twilio/status", fields));
  const [m] = await t.ctx.sql`select * from messages where id = ${sent.message_id}`;
  assert.equal(m.status, "undelivered");
  assert.equal(m.error_code, "30003");
  assert.equal(m.error_message, "Unreachable destination handset");
});

test("a status callback with Twilio's unsubscribed code (21610) opts the recipient out", async () => {
  const to = randomPhone();
  const sent = await (await jsonRequest(t.app, "/api/send_message", { to, content: "u" })).json();
  const sid = `SM${crypto.randomUUID().replaceAll("-", "")}`;
  await t.ctx
    .sql`update messages set status = 'sent', provider_message_id = ${sid} where id = ${sent.message_id}`;
  const fields: Fields = [
    ["MessageSid", sid],
    ["MessageStatus", "failed"],
    ["ErrorCode", "21610"],
    ["ErrorMessage", "Attempt to send to unsubscribed recipient"],
  ];
  const res = await post(
    "/webhooks/twilio/status",
    fields,
    sign("/webhooks/twilio/status", fields),
  );
  assert.equal(res.status, 204);
  const [out] = await t.ctx.sql`select keyword from sms_opt_outs where recipient = ${to}`;
  assert.equal(out?.keyword, "provider: unsubscribed (21610)");
  const again = await jsonRequest(t.app, "/api/send_message", { to, content: "again" });
  assert.equal(again.status, 422);
  await again.body?.cancel();
});

test("STOP opts out: a send is refused before any provider call; START opts back in", async () => {
  const customer = randomPhone();
  const stop = inbound(customer, "Stop");
  await post("/webhooks/twilio/sms", stop, sign("/webhooks/twilio/sms", stop));
  const before = fake.requests.length;
  const refused = await jsonRequest(t.app, "/api/send_message", { to: customer, content: "promo" });
  assert.equal(refused.status, 422);
  assert.match((await refused.json()).error, /opted out \(Stop\)/);
  assert.equal(fake.requests.length, before);
  assert.equal((await t.ctx.sql`select 1 from messages where to_contact = ${customer}`).length, 0);
  const [m] = await messagesFrom(customer);
  assert.equal(m.keyword, "stop");
  const conv = await (await t.app.request(`/api/conversation/${m.conversation_id}`)).json();
  assert.equal(conv.opt_out.keyword, "Stop");

  const start = inbound(customer, "START");
  await post("/webhooks/twilio/sms", start, sign("/webhooks/twilio/sms", start));
  const ok = await jsonRequest(t.app, "/api/send_message", {
    to: customer,
    content: "welcome back",
  });
  assert.equal(ok.status, 202);
  const help = inbound(customer, "help");
  await post("/webhooks/twilio/sms", help, sign("/webhooks/twilio/sms", help));
  const rows = await messagesFrom(customer);
  assert.deepEqual(rows.map((r) => r.keyword), ["stop", "start", "help"]);
});

test("a Twilio 21610 answer marks the recipient opted out", async () => {
  const worker = await startWorker({
    sql: t.ctx.sql,
    databaseUrl: t.databaseUrl,
    settings: t.ctx.settings,
  });
  try {
    const to = randomPhone();
    fake.failFor(to, {
      status: 400,
      code: 21610,
      message: "Attempt to send to unsubscribed recipient",
    });
    const sent = await (await jsonRequest(t.app, "/api/send_message", { to, content: "hi" }))
      .json();
    await waitForStatus(t.ctx.sql, "messages", sent.message_id, ["failed"]);
    const [out] = await t.ctx.sql`select keyword from sms_opt_outs where recipient = ${to}`;
    assert.equal(out?.keyword, "provider: unsubscribed (21610)");
    const again = await jsonRequest(t.app, "/api/send_message", { to, content: "hi again" });
    assert.equal(again.status, 422);
  } finally {
    await worker.stop();
  }
});

test("reconciliation asks Twilio about messages whose callback never came", async () => {
  const worker = await startWorker({
    sql: t.ctx.sql,
    databaseUrl: t.databaseUrl,
    settings: t.ctx.settings,
  });
  let sid = "";
  let id = "";
  try {
    const sent =
      await (await jsonRequest(t.app, "/api/send_message", { to: randomPhone(), content: "z" }))
        .json();
    const row = await waitForStatus(t.ctx.sql, "messages", sent.message_id, ["sent"]);
    sid = row.provider_message_id as string;
    id = sent.message_id;
  } finally {
    await worker.stop();
  }
  fake.messages.get(sid)!.status = "delivered";
  await t.ctx.sql`update messages set updated_at = now() - interval '1 hour' where id = ${id}`;
  const moved = await reconcileStatuses(t.ctx.sql, smsProviderFor(t.ctx.settings), 10);
  assert.ok(moved >= 1);
  const [m] = await t.ctx.sql`select status from messages where id = ${id}`;
  assert.equal(m.status, "delivered");
});
