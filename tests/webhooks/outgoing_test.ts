// Outgoing webhooks: a receiver built with the `standardwebhooks` library verifies every delivery;
// a tampered one fails; a 500 is retried until it succeeds, and the log shows it all. A teammate's
// assignment and close of a conversation are sent too, and so is an event whose transaction commits
// after a later event's.
import assert from "node:assert/strict";
import { Webhook } from "standardwebhooks";
import type { Sql } from "@/lib/db/connect.ts";
import { startWorker } from "@/lib/delivery/worker.ts";
import { receiveInboundSms } from "@/lib/messages/service.ts";
import { smsFromAddress } from "@/lib/providers/select.ts";
import { fanOut } from "@/lib/webhooks/fanout.ts";
import {
  jsonRequest,
  onTeardown,
  ownDatabase,
  randomPhone,
  startTestApp,
  test,
  waitUntil,
} from "@/tests/helpers.ts";
import { customerWrites, patch, teammate } from "@/tests/conversations/helpers.ts";

// A database of this file's own: it reads the whole event log (or the webhook fan-out's cursor),
// which other files' apps and queued jobs would otherwise write into meanwhile.
const own = await ownDatabase("webhooks_out", { max: 2 });

const t = await startTestApp({ DATABASE_URL: own.url });
// Endpoints other test files left in the run's database (the API fuzzer makes some, to hosts that
// do not exist) would take this file's workers: they are switched off first.
await t.ctx.sql`update webhook_endpoints set disabled_at = now() where disabled_at is null`;
const worker = await startWorker({
  sql: t.ctx.sql,
  databaseUrl: t.databaseUrl,
  settings: t.ctx.settings,
});
onTeardown(() => worker.stop());

/** What the receiver got: the raw request, and whether it verified with each secret. */
interface Received {
  body: string;
  headers: Record<string, string>;
  verified: Record<string, boolean>;
}
const received: Received[] = [];
let secrets: string[] = [];
let failNext = 0;
const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen: () => {} }, async (req) => {
  const body = await req.text();
  const headers = Object.fromEntries(req.headers);
  const verified: Record<string, boolean> = {};
  for (const s of secrets) {
    try {
      new Webhook(s).verify(body, headers);
      verified[s] = true;
    } catch {
      verified[s] = false;
    }
  }
  received.push({ body, headers, verified });
  if (failNext > 0) {
    failNext--;
    return new Response("upstream down", { status: 500 });
  }
  return new Response("thanks");
});
onTeardown(() => server.shutdown());
const url = `http://127.0.0.1:${server.addr.port}/hooks`;

async function subscribe(events: string[]): Promise<{ id: string; secret: string }> {
  const res = await jsonRequest(t.app, "/api/webhooks", { url, events });
  assert.equal(res.status, 201, await res.clone().text());
  const { endpoint, secret } = await res.json();
  assert.match(secret, /^whsec_/);
  return { id: endpoint.id, secret };
}

const ofType = (type: string, to: string) =>
  received.filter((r) => {
    const p = JSON.parse(r.body);
    return p.type === type && (p.data.to_contact === to || p.data.from_contact === to);
  });

test("every delivery verifies with the library; a tampered one does not", async () => {
  const { id, secret } = await subscribe(["message.status", "message.received"]);
  secrets = [secret];
  const to = randomPhone();
  const sent = await jsonRequest(t.app, "/api/send_message", { to, content: "Your order shipped" });
  const { conversation_id } = await sent.json();
  await jsonRequest(t.app, "/api/sandbox/inbound", { conversation_id, body: "Thanks!" });
  await waitUntil(t.ctx.sql, () =>
    Promise.resolve(
      ofType("message.status", to).some((r) => JSON.parse(r.body).data.status === "delivered") &&
        ofType("message.received", to).length === 1,
    ));
  const mine = [...ofType("message.status", to), ...ofType("message.received", to)];
  assert.ok(mine.length >= 2);
  for (const r of mine) {
    assert.equal(r.verified[secret], true, r.body);
    assert.match(r.headers["webhook-id"], /^[0-9a-f-]{36}$/);
  }
  const one = mine[0];
  const tampered = one.body.replace("Your order shipped", "Your order was cancelled");
  assert.notEqual(tampered, one.body);
  assert.throws(() => new Webhook(secret).verify(tampered, one.headers));
  assert.throws(() => new Webhook(secret).verify(one.body, { ...one.headers, "webhook-id": "x" }));
  // The receiver answers before the log records it: wait for the log.
  await waitUntil(t.ctx.sql, async () => {
    const log = await (await t.app.request(`/api/webhooks/${id}/deliveries`)).json();
    return log.deliveries.length >= 2 &&
      log.deliveries.every((d: { state: string }) => d.state === "succeeded");
  });
  await t.app.request(`/api/webhooks/${id}`, { method: "DELETE" });
});

test("an endpoint answering 500 gets retries, then succeeds, and the log shows it", async () => {
  const { id, secret } = await subscribe(["message.received"]);
  secrets = [secret];
  const from = randomPhone();
  const sent = await jsonRequest(t.app, "/api/send_message", { to: from, content: "Hello" });
  const { conversation_id } = await sent.json();
  failNext = 2;
  await jsonRequest(t.app, "/api/sandbox/inbound", { conversation_id, body: "Is it open?" });
  const delivery = await waitUntil(t.ctx.sql, async () => {
    const log = await (await t.app.request(`/api/webhooks/${id}/deliveries`)).json();
    return log.deliveries.find((d: { state: string }) => d.state === "succeeded");
  }, 60_000);
  assert.equal(delivery.attempts, 3);
  assert.equal(delivery.response_status, 200);
  assert.equal(delivery.response_body, "thanks");
  const attempts = ofType("message.received", from);
  assert.equal(attempts.length, 3);
  // Every attempt carries the same webhook-id: the receiver can drop repeats.
  assert.equal(new Set(attempts.map((a) => a.headers["webhook-id"])).size, 1);
  // Send again: a new delivery of the same payload.
  const again = await t.app.request(`/api/webhook_deliveries/${delivery.id}/resend`, {
    method: "POST",
  });
  assert.equal(again.status, 202);
  await waitUntil(t.ctx.sql, () => Promise.resolve(ofType("message.received", from).length === 4));
  await t.app.request(`/api/webhooks/${id}`, { method: "DELETE" });
});

test("after a rotation both secrets verify during the grace period", async () => {
  const { id, secret: old } = await subscribe(["message.received"]);
  const rotated = await (await t.app.request(`/api/webhooks/${id}/rotate`, { method: "POST" }))
    .json();
  assert.notEqual(rotated.secret, old);
  assert.ok(rotated.endpoint.previous_secret_until);
  secrets = [old, rotated.secret];
  const from = randomPhone();
  const sent = await jsonRequest(t.app, "/api/send_message", { to: from, content: "Hi" });
  const { conversation_id } = await sent.json();
  await jsonRequest(t.app, "/api/sandbox/inbound", { conversation_id, body: "Hey" });
  const [r] = await waitUntil(t.ctx.sql, () => {
    const got = ofType("message.received", from);
    return Promise.resolve(got.length ? got : undefined);
  });
  assert.deepEqual(r.verified, { [old]: true, [rotated.secret]: true });
  await t.app.request(`/api/webhooks/${id}`, { method: "DELETE" });
});

test("an endpoint failing for days is disabled, and the admins are told in the audit log", async () => {
  const { id } = await subscribe(["message.received"]);
  await t.ctx.sql`
    update webhook_endpoints set failing_since = now() - interval '4 days' where id = ${id}`;
  failNext = 1;
  const from = randomPhone();
  const sent = await jsonRequest(t.app, "/api/send_message", { to: from, content: "Hi" });
  const { conversation_id } = await sent.json();
  await jsonRequest(t.app, "/api/sandbox/inbound", { conversation_id, body: "Hey" });
  const off = await waitUntil(t.ctx.sql, async () => {
    const [e] = await t.ctx.sql`select disabled_at, disabled_reason, url from webhook_endpoints
      where id = ${id} and disabled_at is not null`;
    return e;
  });
  assert.equal(off.disabled_reason, "Failing for more than 3 days");
  const [entry] = await t.ctx.sql`
    select actor_label from audit_log where action = 'webhook.disabled' and target = ${off.url}`;
  assert.equal(entry.actor_label, "Hatch");
  const list = await (await t.app.request("/api/webhooks")).json();
  assert.ok(
    list.webhooks.find((w: { id: string; disabled_at: string }) => w.id === id).disabled_at,
  );
  await t.app.request(`/api/webhooks/${id}`, { method: "DELETE" });
});

test("assigning and closing a conversation send conversation.assigned and .closed", async () => {
  const { id, secret } = await subscribe(["conversation.assigned", "conversation.closed"]);
  secrets = [secret];
  const ben = await teammate(t, "Ben");
  const conversation = await customerWrites(t, "Where is my parcel?");
  const forIt = (type: string) =>
    received.filter((r) => {
      const p = JSON.parse(r.body);
      return p.type === type && p.data.id === conversation;
    });
  const res = await patch(t.app, conversation, { assignee_id: ben.id });
  assert.equal(res.status, 200, await res.clone().text());
  const closed = await patch(t.app, conversation, { state: "closed" });
  assert.equal(closed.status, 200, await closed.clone().text());
  await waitUntil(t.ctx.sql, () =>
    Promise.resolve(
      forIt("conversation.assigned").length === 1 && forIt("conversation.closed").length === 1,
    ));
  const [assigned] = forIt("conversation.assigned");
  const [close] = forIt("conversation.closed");
  for (const r of [assigned, close]) assert.equal(r.verified[secret], true, r.body);
  const a = JSON.parse(assigned.body).data;
  assert.equal(a.assignee_id, ben.id);
  assert.equal(a.changed_by, t.userId);
  const c = JSON.parse(close.body).data;
  assert.equal(c.state, "closed");
  assert.equal(c.changed_by, t.userId);
  // Closing again (no change) sends nothing more: the next delivery is a new assignment's.
  await patch(t.app, conversation, { state: "closed" });
  await patch(t.app, conversation, { assignee_id: t.userId });
  await waitUntil(t.ctx.sql, () => Promise.resolve(forIt("conversation.assigned").length === 2));
  assert.equal(forIt("conversation.closed").length, 1);
  await t.app.request(`/api/webhooks/${id}`, { method: "DELETE" });
});

test("an event whose transaction commits after a later one's is still sent", async () => {
  const { id, secret } = await subscribe(["message.received"]);
  secrets = [secret];
  const [early, late] = [randomPhone(), randomPhone()];
  const inbound = (sql: Sql, from: string) =>
    receiveInboundSms(sql, {
      from,
      to: smsFromAddress(t.ctx.settings),
      body: `from ${from}`,
      provider: "sandbox",
      providerMessageId: `SMt${crypto.randomUUID().replaceAll("-", "")}`,
    });
  let commit!: () => void;
  const held = new Promise<void>((resolve) => commit = resolve);
  let written!: () => void;
  const wrote = new Promise<void>((resolve) => written = resolve);
  // The early message takes the lower event id, but its transaction stays open...
  const first = t.ctx.sql.begin(async (tx) => {
    // Within the transaction: the service joins it (begin inside begin) and uses nothing else.
    await inbound(tx as Sql, early);
    written();
    await held;
  });
  await wrote;
  // ...while the late one commits, and a fan-out pass runs past it.
  await inbound(t.ctx.sql, late);
  await waitUntil(t.ctx.sql, () => fanOut(t.ctx.sql));
  commit();
  await first;
  await waitUntil(t.ctx.sql, () =>
    Promise.resolve(
      ofType("message.received", early).length === 1 &&
        ofType("message.received", late).length === 1,
    ));
  await t.app.request(`/api/webhooks/${id}`, { method: "DELETE" });
});
