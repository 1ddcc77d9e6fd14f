// Delivery through the real SDKs against the fake Twilio and SendGrid servers.
import assert from "node:assert/strict";
import { startFakeProviders } from "@/tests/fakes/providers.ts";
import {
  jsonRequest,
  randomEmail,
  randomPhone,
  startTestApp,
  startTestWorker,
  test,
  waitForStatus,
  waitUntil,
} from "@/tests/helpers.ts";

const { twilio, sendgrid, env } = startFakeProviders();
const t = await startTestApp({ ...env, HATCH_PUBLIC_URL: "https://hatch.example" });
await startTestWorker(t);

async function send(to: string, content = "hello"): Promise<string> {
  const res = await jsonRequest(t.app, "/api/send_message", { to, content });
  assert.equal(res.status, 202);
  return (await res.json()).message_id;
}

test("an SMS goes out through the Twilio SDK with our number, body and status callback", async () => {
  const to = randomPhone();
  const id = await send(to, "Your table is ready");
  const row = await waitForStatus(t.ctx.sql, "messages", id, ["sent", "failed"]);
  assert.equal(row.status, "sent");
  const req = twilio.requests.find((r) => r.form.get("To") === to)!;
  assert.equal(req.form.get("From"), "+15005550006");
  assert.equal(req.form.get("Body"), "Your table is ready");
  assert.equal(req.form.get("StatusCallback"), "https://hatch.example/webhooks/twilio/status");
  assert.match(req.headers["authorization"], /^Basic /);
  assert.ok(twilio.messages.has(row.provider_message_id as string));
  assert.equal(row.attempts, 1);
});

test("a permanent Twilio error (21211 invalid To) fails at once with its code and words", async () => {
  const id = await send("+15005550001");
  const row = await waitForStatus(t.ctx.sql, "messages", id, ["sent", "failed"]);
  assert.equal(row.status, "failed");
  assert.equal(row.error_code, "21211");
  assert.match(row.error_message as string, /not a valid phone number/);
  assert.equal(row.attempts, 1);
});

test("an unsubscribed recipient (21610) is a permanent failure and opts them out", async () => {
  const id = await send("+15005550004");
  const row = await waitForStatus(t.ctx.sql, "messages", id, ["sent", "failed"]);
  assert.equal(row.status, "failed");
  assert.equal(row.error_code, "21610");
  const [out] = await t.ctx.sql`
    select keyword from sms_opt_outs where sender = ${row.from_contact as string}
      and recipient = ${row.to_contact as string}`;
  assert.equal(out?.keyword, "provider: unsubscribed (21610)");
});

test("a transient error (503) is retried with backoff and then succeeds", async () => {
  const to = randomPhone();
  twilio.failFor(to, { status: 503 });
  const id = await send(to);
  // The first attempt's failure is recorded on the row (still queued: nothing went out) while
  // the job waits to retry.
  await waitUntil(t.ctx.sql, async () => {
    const [r] = await t.ctx.sql`select status, error_code, attempts from messages where id = ${id}`;
    return r.status === "queued" && r.error_code === "20503" && r.attempts === 1;
  });
  twilio.clearFailureFor(to);
  const row = await waitForStatus(t.ctx.sql, "messages", id, ["sent", "failed"], 30_000);
  assert.equal(row.status, "sent");
  assert.equal(row.attempts, 2);
  assert.equal(twilio.requests.filter((r) => r.form.get("To") === to).length, 2);
});

test("an email goes out through @sendgrid/mail with our Message-ID and the HTML template", async () => {
  const to = randomEmail();
  const res = await jsonRequest(t.app, "/api/send_email", {
    to_email: to,
    subject: "Receipt",
    body: "Thanks <3",
    cc: "boss@example.com",
  });
  const { email_id } = await res.json();
  const row = await waitForStatus(t.ctx.sql, "emails", email_id, ["sent", "failed"]);
  assert.equal(row.status, "sent");
  const mail = sendgrid.accepted.find((a) => a.messageId === row.provider_message_id)!;
  const body = mail.body as {
    headers: Record<string, string>;
    personalizations: { to: { email: string }[]; cc: { email: string }[] }[];
    content: { type: string; value: string }[];
  };
  assert.equal(body.headers["Message-ID"], row.message_id_header);
  assert.equal(body.personalizations[0].to[0].email, to);
  assert.equal(body.personalizations[0].cc[0].email, "boss@example.com");
  const html = body.content.find((c) => c.type === "text/html")!.value;
  assert.match(html, /<table/);
  assert.match(html, /Thanks &lt;3/);
});

test("a SendGrid 400 fails the email with SendGrid's own error list", async () => {
  sendgrid.failNext({
    status: 400,
    errors: [{
      message: "The from address does not match a verified Sender Identity",
      field: "from",
      help: null,
    }],
  });
  const res = await jsonRequest(t.app, "/api/send_email", {
    to_email: randomEmail(),
    subject: "x",
    body: "y",
  });
  const { email_id } = await res.json();
  const row = await waitForStatus(t.ctx.sql, "emails", email_id, ["sent", "failed"]);
  assert.equal(row.status, "failed");
  assert.match(row.error_message as string, /verified Sender Identity/);
});
