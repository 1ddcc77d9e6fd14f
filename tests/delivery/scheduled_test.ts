// Scheduled sends: they leave at their time (within a second, also across a restart), can be
// changed or cancelled until then, and never go to someone who opted out meanwhile.
import assert from "node:assert/strict";
import { startFakeProviders } from "@/tests/fakes/providers.ts";
import {
  jsonRequest,
  processApiToken,
  randomEmail,
  randomPhone,
  startTestApp,
  startTestWorker,
  test,
  waitForStatus,
  waitUntil,
} from "@/tests/helpers.ts";
import { spawnHatch } from "@/tests/process.ts";

const { twilio, sendgrid, env } = startFakeProviders();
// Many texts in this file; the pace is tested in pacing_test.ts.
const providerEnv = { ...env, TWILIO_MPS: "50" };
const t = await startTestApp(providerEnv);
const { stop: stopWorker } = await startTestWorker(t);

const inMs = (ms: number) => new Date(Date.now() + ms).toISOString();

async function schedule(to: string, sendAt: string, content = "See you at 9"): Promise<string> {
  const res = await jsonRequest(t.app, "/api/send_message", { to, content, send_at: sendAt });
  assert.equal(res.status, 202, await res.clone().text());
  return (await res.json()).message_id;
}

function arrivalOf(to: string) {
  return waitUntil(
    t.ctx.sql,
    () => Promise.resolve(twilio.requests.find((r) => r.form.get("To") === to)),
  );
}

test("a scheduled text shows as scheduled, then leaves within a second of its time", async () => {
  const to = randomPhone();
  const sendAt = inMs(2_500);
  const id = await schedule(to, sendAt);
  const before = await (await t.app.request(`/api/message/${id}`)).json();
  assert.equal(before.message.status, "queued");
  assert.equal(before.message.send_at, sendAt);
  // It stands in the thread where it will be once sent.
  assert.equal(before.message.timestamp, sendAt);
  const req = await arrivalOf(to);
  const late = req.at - Date.parse(sendAt);
  assert.ok(late >= 0, `left ${-late} ms early`);
  assert.ok(late < 1_000, `left ${late} ms late`);
  const row = await waitForStatus(t.ctx.sql, "messages", id, ["sent", "failed"]);
  assert.equal(row.status, "sent");
});

test("a scheduled text's time and text can be changed before it leaves", async () => {
  const to = randomPhone();
  const id = await schedule(to, inMs(60_000), "old words");
  const newAt = inMs(2_000);
  const res = await t.app.request(`/api/message/${id}`, {
    method: "PATCH",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ send_at: newAt, content: "new words" }),
  });
  assert.equal(res.status, 200, await res.clone().text());
  assert.equal((await res.json()).message.send_at, newAt);
  const req = await arrivalOf(to);
  assert.equal(req.form.get("Body"), "new words");
  assert.ok(req.at - Date.parse(newAt) < 1_000 && req.at >= Date.parse(newAt));
  // Once it has left, it can no longer be changed.
  await waitForStatus(t.ctx.sql, "messages", id, ["sent"]);
  const again = await t.app.request(`/api/message/${id}`, {
    method: "PATCH",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ content: "too late" }),
  });
  assert.equal(again.status, 409);
  assert.match((await again.json()).error, /already left/);
});

test("a cancelled scheduled text never leaves and says so in the thread", async () => {
  const cancelled = randomPhone();
  const control = randomPhone();
  const id = await schedule(cancelled, inMs(1_500));
  await schedule(control, inMs(2_000));
  const res = await t.app.request(`/api/message/${id}/cancel`, { method: "POST" });
  assert.equal(res.status, 200);
  const { message } = await res.json();
  assert.equal(message.status, "failed");
  assert.equal(message.error_code, "canceled");
  assert.match(message.error_message, /^Cancelled by /);
  // The one scheduled after it has left: the cancelled one would have gone before.
  await arrivalOf(control);
  assert.equal(twilio.requests.filter((r) => r.form.get("To") === cancelled).length, 0);
});

test("a scheduled text to someone who opted out meanwhile is not sent, and says why", async () => {
  const to = randomPhone();
  const id = await schedule(to, inMs(1_500));
  await t.ctx.sql`
    insert into sms_opt_outs (sender, recipient, keyword) values ('+15005550006', ${to}, 'STOP')`;
  const row = await waitForStatus(t.ctx.sql, "messages", id, ["sent", "failed"]);
  assert.equal(row.status, "failed");
  assert.equal(row.error_code, "opted_out");
  assert.match(row.error_message as string, new RegExp(`Not sent: \\${to} opted out \\(STOP\\)`));
  assert.equal(twilio.requests.filter((r) => r.form.get("To") === to).length, 0);
});

test("send_at in the past, too far ahead, or to an in-app chat is refused in words", async () => {
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ to: randomPhone(), send_at: "2020-01-01T00:00:00Z" }, /has passed/],
    [{ to: randomPhone(), send_at: inMs(400 * 86_400_000) }, /too far ahead/],
    [{ to: randomPhone(), send_at: "tomorrow" }, /send_at must be an ISO 8601 time/],
    [{ to: "Front desk", send_at: inMs(60_000) }, /only texts and emails can be sent later/],
  ];
  for (const [body, words] of cases) {
    const res = await jsonRequest(t.app, "/api/send_message", { content: "hi", ...body });
    assert.equal(res.status, 400);
    assert.match((await res.json()).error, words);
  }
});

test("a scheduled email leaves at its time and can be cancelled before", async () => {
  const to = randomEmail();
  const sendAt = inMs(2_000);
  const res = await jsonRequest(t.app, "/api/send_email", {
    to_email: to,
    subject: "Reminder",
    body: "Tomorrow at 9",
    send_at: sendAt,
  });
  assert.equal(res.status, 202);
  const { email_id } = await res.json();
  const other = await jsonRequest(t.app, "/api/send_email", {
    to_email: randomEmail(),
    subject: "Never",
    body: "x",
    send_at: inMs(1_000),
  });
  const cancelId = (await other.json()).email_id;
  assert.equal(
    (await t.app.request(`/api/email/${cancelId}/cancel`, { method: "POST" })).status,
    200,
  );
  const row = await waitForStatus(t.ctx.sql, "emails", email_id, ["sent", "failed"]);
  assert.equal(row.status, "sent");
  const mail = sendgrid.accepted.find((a) => a.messageId === row.provider_message_id)!;
  assert.ok(mail.at >= Date.parse(sendAt) && mail.at - Date.parse(sendAt) < 1_000);
  const [cancelled] = await t.ctx.sql`select status, error_code from emails where id = ${cancelId}`;
  assert.deepEqual({ ...cancelled }, { status: "failed", error_code: "canceled" });
});

test("a scheduled text survives a restart and still leaves within a second of its time", async () => {
  await stopWorker();
  const env = { ...providerEnv, HATCH_WORKER: "true" };
  const first = await spawnHatch({ env });
  const to = randomPhone();
  const sendAt = inMs(15_000);
  const res = await fetch(`${first.url}/api/send_message`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      authorization: `Bearer ${await processApiToken()}`,
    },
    body: JSON.stringify({ to, content: "after the restart", send_at: sendAt }),
  });
  assert.equal(res.status, 202);
  await first.kill("SIGTERM");
  await spawnHatch({ env });
  const req = await arrivalOf(to);
  const late = req.at - Date.parse(sendAt);
  assert.ok(late >= 0 && late < 1_000, `left ${late} ms from its time`);
});
