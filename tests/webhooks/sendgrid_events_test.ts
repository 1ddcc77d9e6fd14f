// SendGrid's Event Webhook: signed over the exact bytes, applied once, statuses forward only,
// bounces and spam reports suppress the address for later sends.
import assert from "node:assert/strict";
import { jsonRequest, randomEmail, startTestApp, test } from "@/tests/helpers.ts";
import { sendgridEventSigner } from "@/tests/fakes/sendgrid_webhooks.ts";

const signer = sendgridEventSigner();
const t = await startTestApp({ SENDGRID_WEBHOOK_PUBLIC_KEY: signer.publicKey });
const sql = t.ctx.sql;

async function sendEmail(to = randomEmail(), extra: Record<string, unknown> = {}) {
  const res = await jsonRequest(t.app, "/api/send_email", {
    to_email: to,
    subject: "Your order",
    body: "It shipped.",
    ...extra,
  });
  assert.equal(res.status, 202);
  const body = await res.json();
  return { to, id: body.email_id as string, conversation: body.conversation_id as string };
}

function event(name: string, fields: Record<string, unknown>): Record<string, unknown> {
  return {
    event: name,
    timestamp: Math.floor(Date.now() / 1000),
    sg_event_id: crypto.randomUUID(),
    sg_message_id: "14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.0",
    "smtp-id": "<14c5d75ce93.dfd.64b469@ismtpd-555>",
    ...fields,
  };
}

// `raw`: no login, no token. The signature alone lets SendGrid in.
function post(body: string, headers = signer.headers(body)): Promise<Response> {
  return Promise.resolve(
    t.raw.request("/webhooks/sendgrid/events", { method: "POST", headers, body }),
  );
}

async function row(id: string) {
  const [r] = await sql`select * from emails where id = ${id}`;
  return r;
}

test("signed events move an email forward: processed, then delivered", async () => {
  const e = await sendEmail();
  const body = JSON.stringify([
    event("processed", { email: e.to, email_id: e.id }),
    event("delivered", { email: e.to, email_id: e.id, response: "250 OK" }),
  ]);
  const res = await post(body);
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), {
    success: true,
    received: 2,
    applied: 2,
    duplicates: 0,
    unmatched: 0,
  });
  assert.equal((await row(e.id)).status, "delivered");
});

test("a tampered body is refused with 403 and changes nothing", async () => {
  const e = await sendEmail();
  const signed = JSON.stringify([event("delivered", { email: e.to, email_id: e.id })]);
  const headers = signer.headers(signed);
  // One byte different from what was signed: the status SendGrid never sent.
  const tampered = signed.replace('"delivered"', '"bounce"   ');
  const res = await post(tampered, headers);
  assert.equal(res.status, 403);
  const answer = await res.json();
  assert.equal(answer.success, false);
  assert.match(answer.error, /Invalid X-Twilio-Email-Event-Webhook-Signature/);
  assert.equal((await row(e.id)).status, "queued");
  const [{ n }] = await sql`
    select count(*)::int as n from email_suppressions where email = ${e.to}`;
  assert.equal(n, 0);
});

test("a post signed with another key, or unsigned, or stale, is refused with 403", async () => {
  const e = await sendEmail();
  const ev = event("delivered", { email: e.to, email_id: e.id });
  const body = JSON.stringify([ev]);
  const other = sendgridEventSigner();
  assert.equal((await post(body, other.headers(body))).status, 403);
  assert.equal((await post(body, { "content-type": "application/json" })).status, 403);
  const old = String(Math.floor(Date.now() / 1000) - 3 * 86_400);
  const stale = await post(body, signer.headers(body, old));
  assert.equal(stale.status, 403);
  assert.match((await stale.json()).error, /Stale/);
  assert.equal((await row(e.id)).status, "queued");
  const [receipt] = await sql`
    select 1 from webhook_receipts where event_id = ${ev.sg_event_id as string}`;
  assert.equal(receipt, undefined);
});

test("without SENDGRID_WEBHOOK_PUBLIC_KEY every post is refused with 403", async () => {
  const bare = await startTestApp();
  try {
    const body = JSON.stringify([event("processed", { email: randomEmail() })]);
    const res = await bare.raw.request("/webhooks/sendgrid/events", {
      method: "POST",
      headers: signer.headers(body),
      body,
    });
    assert.equal(res.status, 403);
    assert.match((await res.json()).error, /SENDGRID_WEBHOOK_PUBLIC_KEY/);
  } finally {
    await bare.stop();
  }
});

test("a repeated sg_event_id is applied once", async () => {
  const e = await sendEmail();
  const open = event("open", { email: e.to, email_id: e.id, useragent: "Mozilla/5.0" });
  const first = await post(JSON.stringify([open]));
  assert.equal((await first.json()).applied, 1);
  // SendGrid's retry of the same post, and the same event inside a later batch.
  const again = await post(JSON.stringify([open]));
  assert.equal((await again.json()).duplicates, 1);
  const click = event("click", { email: e.to, email_id: e.id, url: "https://example.com" });
  const mixed = await (await post(JSON.stringify([open, click]))).json();
  assert.equal(mixed.applied, 1);
  assert.equal(mixed.duplicates, 1);
  const shown = (await (await t.app.request(`/api/email/${e.id}`)).json()).email;
  assert.equal(shown.open_count, 1);
  assert.equal(shown.click_count, 1);
});

test("statuses only move forward: processed after delivered leaves delivered", async () => {
  const e = await sendEmail();
  await post(JSON.stringify([event("delivered", { email: e.to, email_id: e.id })]));
  const res = await post(JSON.stringify([event("processed", { email: e.to, email_id: e.id })]));
  assert.equal(res.status, 200);
  assert.equal((await row(e.id)).status, "delivered");
});

test("an event without email_id finds the email by sg_message_id's prefix", async () => {
  const e = await sendEmail();
  const xid = `sgx${crypto.randomUUID().slice(0, 12)}`;
  await sql`update emails set provider = 'sendgrid', provider_message_id = ${xid}
    where id = ${e.id}`;
  const ev = event("dropped", {
    email: e.to,
    sg_message_id: `${xid}.filterdrecv-p3mdw1-756b745b58-kmzbl-18-5F5FC76C-9.0`,
    reason: "Invalid SMTPAPI header",
  });
  const answer = await (await post(JSON.stringify([ev]))).json();
  assert.equal(answer.applied, 1);
  const r = await row(e.id);
  assert.equal(r.status, "failed");
  assert.equal(r.error_code, "dropped");
  assert.equal(r.error_message, "Invalid SMTPAPI header");
});

test("a deferral records its reason and keeps the status; delivery clears it", async () => {
  const e = await sendEmail();
  await post(JSON.stringify([event("processed", { email: e.to, email_id: e.id })]));
  await post(JSON.stringify([
    event("deferred", { email: e.to, email_id: e.id, response: "400 try again later" }),
  ]));
  let r = await row(e.id);
  assert.equal(r.status, "sent");
  assert.equal(r.error_code, "deferred");
  assert.equal(r.error_message, "400 try again later");
  await post(JSON.stringify([event("delivered", { email: e.to, email_id: e.id })]));
  r = await row(e.id);
  assert.equal(r.status, "delivered");
  assert.equal(r.error_code, null);
});

test("a bounce marks the email undelivered and refuses the next send to the address", async () => {
  const e = await sendEmail();
  const res = await post(JSON.stringify([
    event("bounce", {
      email: e.to,
      email_id: e.id,
      type: "bounce",
      status: "5.1.1",
      reason: "550 5.1.1 The email account that you tried to reach does not exist",
    }),
  ]));
  assert.equal(res.status, 200);
  const r = await row(e.id);
  assert.equal(r.status, "undelivered");
  assert.equal(r.error_code, "5.1.1");
  assert.match(r.error_message, /does not exist/);
  const [{ n: before }] = await sql`select count(*)::int as n from emails where to_email = ${e.to}`;
  const again = await jsonRequest(t.app, "/api/send_email", {
    to_email: e.to,
    subject: "Still there?",
    body: "Hello",
  });
  assert.equal(again.status, 422);
  const today = new Date().toISOString().slice(0, 10);
  assert.equal(
    (await again.json()).error,
    `Cannot send email to "${e.to}": it bounced on ${today}`,
  );
  const [{ n: after }] = await sql`select count(*)::int as n from emails where to_email = ${e.to}`;
  assert.equal(after, before);
});

test("a blocked bounce marks the email undelivered but does not suppress the address", async () => {
  const e = await sendEmail();
  await post(JSON.stringify([
    event("bounce", { email: e.to, email_id: e.id, type: "blocked", reason: "IP reputation" }),
  ]));
  assert.equal((await row(e.id)).status, "undelivered");
  assert.equal((await sendEmail(e.to)).to, e.to);
});

test("a spam report suppresses the address, in cc too, without changing the status", async () => {
  const e = await sendEmail();
  await post(JSON.stringify([event("delivered", { email: e.to, email_id: e.id })]));
  await post(JSON.stringify([event("spamreport", { email: e.to, email_id: e.id })]));
  assert.equal((await row(e.id)).status, "delivered");
  const res = await jsonRequest(t.app, "/api/send_email", {
    to_email: randomEmail(),
    cc: e.to,
    subject: "Hi",
    body: "Hello",
  });
  assert.equal(res.status, 422);
  assert.match((await res.json()).error, /: it was reported as spam on \d{4}-\d{2}-\d{2}$/);
});

test("a Cc recipient's bounce suppresses that address but leaves the email's status", async () => {
  const cc = randomEmail();
  const e = await sendEmail(randomEmail(), { cc });
  await post(JSON.stringify([
    event("delivered", { email: e.to, email_id: e.id }),
    event("bounce", { email: cc, email_id: e.id, type: "bounce", status: "5.1.1" }),
  ]));
  assert.equal((await row(e.id)).status, "delivered");
  const [s] = await sql`select reason from email_suppressions where email = ${cc}`;
  assert.equal(s.reason, "bounce");
});

test("events about mail Hatch never sent are acknowledged and recorded", async () => {
  const body = JSON.stringify([
    event("delivered", { email: randomEmail(), sg_message_id: "unknown.filter.0" }),
    event("group_unsubscribe", { email: randomEmail() }),
  ]);
  const answer = await (await post(body)).json();
  assert.equal(answer.unmatched, 2);
});

test("a signed body that is not an event array is a 400 in words", async () => {
  const res = await post('{"event":"processed"}');
  assert.equal(res.status, 400);
  assert.match((await res.json()).error, /expected a JSON array/);
  assert.equal((await post("not json")).status, 400);
});

test("a body over 5 MB is refused with 413 before it is read", async () => {
  const chunk = new Uint8Array(1024 * 1024).fill(0x20);
  let sent = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent++ < 6) controller.enqueue(chunk);
      else controller.close();
    },
  });
  const res = await t.raw.request("/webhooks/sendgrid/events", {
    method: "POST",
    headers: signer.headers("x"),
    body: stream,
  });
  assert.equal(res.status, 413);
  assert.match((await res.json()).error, /too large/);
});

test("a post of many events ends as applied one by one, its runs of common kinds in one transaction each", async () => {
  const [a, b, c] = [await sendEmail(), await sendEmail(), await sendEmail()];
  const openA = event("open", { email: a.to, email_id: a.id });
  const body = JSON.stringify([
    // One run: statuses, opens and clicks of a and b.
    event("processed", { email: a.to, email_id: a.id }),
    event("processed", { email: b.to, email_id: b.id }),
    event("delivered", { email: a.to, email_id: a.id }),
    openA,
    event("open", { email: a.to, email_id: a.id }),
    event("click", { email: b.to, email_id: b.id }),
    event("delivered", { email: b.to, email_id: b.id }),
    openA, // SendGrid sent it twice: applied once
    // A deferral is applied on its own, between runs: c's delivery after it clears it.
    event("deferred", { email: c.to, email_id: c.id, response: "421 busy" }),
    event("processed", { email: c.to, email_id: c.id }),
    event("delivered", { email: c.to, email_id: c.id }),
    event("open", { email: "nobody@example.com", sg_message_id: "unknown.filter0001" }),
  ]);
  const res = await post(body);
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), {
    success: true,
    received: 12,
    applied: 10,
    duplicates: 1,
    unmatched: 1,
  });
  const [ra, rb, rc] = [await row(a.id), await row(b.id), await row(c.id)];
  assert.deepEqual(
    [ra, rb, rc].map((r) => [r.status, r.open_count, r.click_count, r.error_code]),
    [["delivered", 2, 0, null], ["delivered", 0, 1, null], ["delivered", 0, 0, null]],
  );
  const xmin = async (id: string) =>
    String((await sql`select xmin::text as x from emails where id = ${id}`)[0].x);
  assert.equal(await xmin(a.id), await xmin(b.id), "a and b changed in one transaction");
  assert.notEqual(await xmin(a.id), await xmin(c.id));
});
