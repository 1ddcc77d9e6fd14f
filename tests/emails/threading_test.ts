// Replies thread in the customer's mail client: an email sent into a conversation that has emails
// carries In-Reply-To and References, through the worker and the real SendGrid SDK.
import assert from "node:assert/strict";
import { startWorker } from "@/lib/delivery/worker.ts";
import { startFakeSendgrid } from "@/tests/fakes/fake_sendgrid.ts";
import { multipartForm } from "@/tests/fakes/sendgrid_webhooks.ts";
import {
  jsonRequest,
  onTeardown,
  randomEmail,
  startTestApp,
  tempDir,
  test,
  waitForStatus,
} from "@/tests/helpers.ts";

const SECRET = `in-${crypto.randomUUID()}`;
const dataDir = await tempDir("hatch_threading_");
const sendgrid = startFakeSendgrid();
onTeardown(() => sendgrid.close());
const t = await startTestApp({
  SENDGRID_API_KEY: sendgrid.apiKey,
  SENDGRID_FROM_EMAIL: "team@hatch.example",
  SENDGRID_API_BASE_URL: sendgrid.url,
  HATCH_INBOUND_EMAIL_SECRET: SECRET,
  HATCH_DATA_DIR: dataDir,
});
const worker = await startWorker({
  sql: t.ctx.sql,
  databaseUrl: t.databaseUrl,
  settings: t.ctx.settings,
});
onTeardown(() => worker.stop());
const sql = t.ctx.sql;

interface SentMail {
  from: { email: string };
  headers: Record<string, string>;
}

async function send(body: Record<string, unknown>) {
  const res = await jsonRequest(t.app, "/api/send_email", {
    subject: "Hi",
    body: "Hello",
    ...body,
  });
  assert.equal(res.status, 202, await res.clone().text());
  const answer = await res.json();
  const row = await waitForStatus(sql, "emails", answer.email_id, ["sent", "failed"]);
  assert.equal(row.status, "sent");
  const mail = sendgrid.accepted.find((a) => a.messageId === row.provider_message_id);
  assert.ok(mail, "the fake SendGrid accepted the email");
  return { answer, row, mail: mail.body as unknown as SentMail };
}

async function receive(o: { from: string; to: string; headers: string[] }) {
  const id = `<${crypto.randomUUID()}@customer.example>`;
  const { body, contentType } = multipartForm([
    {
      name: "headers",
      value: [`From: ${o.from}`, `To: ${o.to}`, `Message-ID: ${id}`, ...o.headers].join("\n"),
    },
    { name: "from", value: o.from },
    { name: "to", value: o.to },
    { name: "subject", value: "Re: Hi" },
    { name: "text", value: "Answer" },
  ]);
  const res = await t.raw.request(`/webhooks/sendgrid/inbound?secret=${SECRET}`, {
    method: "POST",
    headers: { "content-type": contentType },
    body,
  });
  assert.equal(res.status, 200, await res.clone().text());
  return { id, answer: await res.json() };
}

test("the first email of a conversation has no In-Reply-To; the next one answers it", async () => {
  const to = randomEmail();
  const first = await send({ to_email: to });
  assert.equal(first.row.in_reply_to, null);
  assert.equal(first.mail.headers["In-Reply-To"], undefined);
  assert.equal(first.mail.headers["References"], undefined);

  const second = await send({ to_email: to, subject: "Re: Hi" });
  assert.equal(second.answer.conversation_id, first.answer.conversation_id);
  assert.equal(second.row.in_reply_to, first.row.message_id_header);
  assert.equal(second.row.references_header, first.row.message_id_header);
  assert.equal(second.mail.headers["Message-ID"], second.row.message_id_header);
  assert.equal(second.mail.headers["In-Reply-To"], first.row.message_id_header);
  assert.equal(second.mail.headers["References"], first.row.message_id_header);
});

test("a reply to an inbound email goes from the address it was sent to, with the thread's ids", async () => {
  const customer = randomEmail();
  const ours = "help@parse.hatch.example";
  const earlier = "<earlier@customer.example>";
  const inbound = await receive({
    from: customer,
    to: ours,
    headers: [`In-Reply-To: ${earlier}`, `References: ${earlier}`],
  });
  const reply = await send({
    to_email: customer,
    conversation_id: inbound.answer.conversation_id,
    subject: "Re: Hi",
  });
  assert.equal(reply.answer.conversation_id, inbound.answer.conversation_id);
  assert.equal(reply.row.from_email, ours);
  assert.equal(reply.mail.from.email, ours);
  assert.match(reply.row.message_id_header as string, /@parse\.hatch\.example>$/);
  assert.equal(reply.mail.headers["In-Reply-To"], inbound.id);
  assert.equal(reply.mail.headers["References"], `${earlier} ${inbound.id}`);

  // The customer answers our reply; it threads back, and our next reply cites the whole chain.
  const again = await receive({
    from: customer,
    to: ours,
    headers: [
      `In-Reply-To: ${reply.row.message_id_header}`,
      `References: ${earlier} ${inbound.id} ${reply.row.message_id_header}`,
    ],
  });
  assert.equal(again.answer.conversation_id, inbound.answer.conversation_id);
  const last = await send({ to_email: customer, conversation_id: inbound.answer.conversation_id });
  assert.equal(last.mail.headers["In-Reply-To"], again.id);
  assert.equal(
    last.mail.headers["References"],
    `${earlier} ${inbound.id} ${reply.row.message_id_header} ${again.id}`,
  );
});

test("a conversation_id that is not with the recipient is refused with 400", async () => {
  const inbound = await receive({
    from: randomEmail(),
    to: "help@parse.hatch.example",
    headers: [],
  });
  const res = await jsonRequest(t.app, "/api/send_email", {
    to_email: randomEmail(),
    conversation_id: inbound.answer.conversation_id,
    subject: "Hi",
    body: "Hello",
  });
  assert.equal(res.status, 400);
  assert.match((await res.json()).error, /is not with/);
});
