// SendGrid's Inbound Parse: parsed fields or raw MIME, attachments on disk, large mail accepted,
// threaded into the conversation it answers, stored once per Message-ID, secret checked first.
import assert from "node:assert/strict";
import { join } from "node:path";
import {
  jsonRequest,
  randomEmail,
  startTestApp,
  tempDir,
  test,
  type TestApp,
} from "@/tests/helpers.ts";
import { type FormField, multipartForm } from "@/tests/fakes/sendgrid_webhooks.ts";
import { conversationId } from "@/lib/conversations/conversation_id.ts";

const SECRET = `in-${crypto.randomUUID()}`;
const OURS = "support@parse.hatch.example";
const dataDir = await tempDir("hatch_inbound_");
const t = await startTestApp({
  HATCH_INBOUND_EMAIL_SECRET: SECRET,
  HATCH_INBOUND_EMAIL_ADDRESS: OURS,
  HATCH_ATTACHMENT_MAX_BYTES: "1000",
  HATCH_DATA_DIR: dataDir,
});
const sql = t.ctx.sql;

function utf8Base64(text: string): string {
  return btoa(String.fromCharCode(...new TextEncoder().encode(text)));
}

function messageId(): string {
  return `<${crypto.randomUUID()}@mail.example.com>`;
}

// `raw`: no login, no token. The secret in the URL alone lets SendGrid in.
function post(
  fields: FormField[],
  options: { app?: TestApp; secret?: string | null } = {},
): Promise<Response> {
  const { body, contentType } = multipartForm(fields);
  const secret = options.secret === undefined ? SECRET : options.secret;
  const query = secret === null ? "" : `?secret=${encodeURIComponent(secret)}`;
  return Promise.resolve((options.app ?? t).raw.request(`/webhooks/sendgrid/inbound${query}`, {
    method: "POST",
    headers: { "content-type": contentType },
    body,
  }));
}

/** The fields SendGrid posts for a parsed (not raw) email. */
function parsedEmail(o: {
  from: string;
  to?: string;
  subject?: string;
  text?: string;
  html?: string;
  headers?: string[];
  id?: string;
}): FormField[] {
  const to = o.to ?? OURS;
  const headers = [
    `Received: by mx0047p1mdw1.sendgrid.net with SMTP id 6WCVv7KAWn Wed, 27 Jul 2016 20:53:06`,
    `From: Customer <${o.from}>`,
    `To: ${to}`,
    `Subject: ${o.subject ?? "Hello"}`,
    `Message-ID: ${o.id ?? messageId()}`,
    ...(o.headers ?? []),
  ].join("\n");
  return [
    { name: "headers", value: headers },
    { name: "from", value: `Customer <${o.from}>` },
    { name: "to", value: to },
    { name: "subject", value: o.subject ?? "Hello" },
    { name: "text", value: o.text ?? "Hi there" },
    ...(o.html ? [{ name: "html", value: o.html }] : []),
    { name: "envelope", value: JSON.stringify({ to: [to], from: o.from }) },
    {
      name: "charsets",
      value: JSON.stringify({ to: "UTF-8", from: "UTF-8", subject: "UTF-8", text: "utf-8" }),
    },
    { name: "SPF", value: "pass" },
    { name: "sender_ip", value: "209.85.220.41" },
  ];
}

async function emailRow(id: string) {
  const [r] = await sql`select * from emails where id = ${id}`;
  return r;
}

test("a parsed post is stored with its fields, attachments on disk, in a new conversation", async () => {
  const from = randomEmail();
  const id = messageId();
  const small = new TextEncoder().encode("col1,col2\n1,2\n");
  const big = new Uint8Array(5000).fill(7);
  // The text part in ISO-8859-1, as its charsets entry says: "café" is 0x63 0x61 0x66 0xE9.
  const latin1 = new Uint8Array([0x63, 0x61, 0x66, 0xe9]);
  const fields = parsedEmail({ from, id, subject: "Invoice", html: "<p>See <b>attached</b></p>" })
    .map((f) =>
      f.name === "text"
        ? { ...f, value: latin1 }
        : f.name === "charsets"
        ? { ...f, value: JSON.stringify({ text: "iso-8859-1", subject: "UTF-8" }) }
        : f
    );
  fields.push(
    { name: "cc", value: "Boss <Boss@Example.com>, other@example.com" },
    { name: "attachments", value: "2" },
    {
      name: "attachment-info",
      value: JSON.stringify({
        attachment1: { filename: "../report.csv", name: "report.csv", type: "text/csv" },
        attachment2: { filename: "scan.pdf", name: "scan.pdf", type: "application/pdf" },
      }),
    },
    { name: "attachment1", value: small, filename: "report.csv", contentType: "text/csv" },
    { name: "attachment2", value: big, filename: "scan.pdf", contentType: "application/pdf" },
  );
  const res = await post(fields);
  assert.equal(res.status, 200);
  const answer = await res.json();
  assert.equal(answer.success, true);
  assert.equal(answer.duplicate, false);
  const expected = conversationId(OURS, from);
  assert.equal(answer.conversation_id, expected);

  const r = await emailRow(answer.email_id);
  assert.equal(r.direction, "inbound");
  assert.equal(r.status, "received");
  assert.equal(r.from_email, from);
  assert.equal(r.to_email, OURS);
  assert.equal(r.cc, "boss@example.com, other@example.com");
  assert.equal(r.subject, "Invoice");
  assert.equal(r.body, "café");
  assert.equal(r.html_content, "<p>See <b>attached</b></p>");
  assert.equal(r.message_id_header, id);
  assert.equal(r.headers["message-id"], id);
  assert.match(r.headers["received"], /sendgrid\.net/);

  const [kept, dropped] = r.attachments;
  const { path, ...meta } = kept;
  assert.deepEqual(meta, {
    filename: "../report.csv",
    content_type: "text/csv",
    size: small.length,
    kept: true,
  });
  assert.equal(path, join("attachments", answer.email_id, "1-report.csv"));
  assert.deepEqual(await Deno.readFile(join(dataDir, path)), small);
  assert.deepEqual(dropped, {
    filename: "scan.pdf",
    content_type: "application/pdf",
    size: 5000,
    kept: false,
  });
  assert.deepEqual(
    [...Deno.readDirSync(join(dataDir, "attachments", answer.email_id))].map((e) => e.name),
    ["1-report.csv"],
  );

  const [c] = await sql`select * from conversations where id = ${expected}`;
  assert.equal(c.channel, "email");
  assert.deepEqual(c.participants, [OURS, from]);
  assert.equal(c.unread_count, 1);
  assert.equal(c.last_direction, "inbound");
  assert.equal(c.subject, "Invoice");
});

test("a raw MIME post (the `email` field) is read with mailparser", async () => {
  const from = randomEmail();
  const id = messageId();
  const raw = [
    `From: "Doe, Jane" <${from}>`,
    `To: ${OURS}`,
    `Subject: =?UTF-8?B?${utf8Base64("Héllo raw")}?=`,
    `Message-ID: ${id}`,
    `Reply-To: jane.replies@example.com`,
    "MIME-Version: 1.0",
    'Content-Type: multipart/mixed; boundary="b1"',
    "",
    "--b1",
    "Content-Type: text/plain; charset=utf-8",
    "",
    "Plain body",
    "--b1",
    "Content-Type: image/png",
    'Content-Disposition: attachment; filename="dot.png"',
    "Content-Transfer-Encoding: base64",
    "",
    btoa("\x89PNG tiny"),
    "--b1--",
    "",
  ].join("\r\n");
  const res = await post([
    { name: "email", value: raw },
    { name: "envelope", value: JSON.stringify({ to: [OURS], from }) },
    { name: "charsets", value: JSON.stringify({ to: "UTF-8" }) },
  ]);
  assert.equal(res.status, 200);
  const answer = await res.json();
  const r = await emailRow(answer.email_id);
  assert.equal(r.subject, "Héllo raw");
  assert.equal(r.body.trim(), "Plain body");
  assert.equal(r.from_email, from);
  assert.equal(r.reply_to, "jane.replies@example.com");
  assert.equal(r.message_id_header, id);
  assert.equal(r.attachments.length, 1);
  assert.equal(r.attachments[0].filename, "dot.png");
  assert.equal(r.attachments[0].content_type, "image/png");
  assert.equal(r.attachments[0].kept, true);
  const bytes = await Deno.readFile(join(dataDir, r.attachments[0].path));
  assert.deepEqual([...bytes], [..."\x89PNG tiny"].map((ch) => ch.charCodeAt(0)));
  assert.equal(answer.conversation_id, conversationId(OURS, from));
});

test("an inbound reply to a sent email lands in that email's conversation", async () => {
  const customer = randomEmail();
  const sent = await (await jsonRequest(t.app, "/api/send_email", {
    to_email: customer,
    subject: "Your order",
    body: "It shipped.",
  })).json();
  const [{ message_id_header: ours }] = await sql`
    select message_id_header from emails where id = ${sent.email_id}`;
  const res = await post(parsedEmail({
    from: customer,
    subject: "Re: Your order",
    text: "Thanks!",
    headers: [`In-Reply-To: ${ours}`, `References: ${ours}`],
  }));
  assert.equal(res.status, 200);
  const answer = await res.json();
  assert.equal(answer.conversation_id, sent.conversation_id);
  const r = await emailRow(answer.email_id);
  assert.equal(r.in_reply_to, ours);
  assert.equal(r.references_header, ours);
  const [c] = await sql`select * from conversations where id = ${sent.conversation_id}`;
  assert.equal(c.message_count, 2);
  assert.equal(c.unread_count, 1);
  assert.equal(c.last_message_preview, "Re: Your order — Thanks!");
});

test("the same Message-ID delivered twice is stored once", async () => {
  const from = randomEmail();
  const fields = parsedEmail({ from, id: messageId() });
  const [a, b] = await Promise.all([post(fields), post(fields)]);
  const [first, second] = [await a.json(), await b.json()];
  assert.equal(first.email_id, second.email_id);
  assert.deepEqual([first.duplicate, second.duplicate].sort(), [false, true]);
  const third = await (await post(fields)).json();
  assert.equal(third.duplicate, true);
  const [{ n }] = await sql`select count(*)::int as n from emails where from_email = ${from}`;
  assert.equal(n, 1);
  const [c] = await sql`select unread_count from conversations where id = ${first.conversation_id}`;
  assert.equal(c.unread_count, 1);
});

test("a wrong or missing secret is refused with 403 and nothing is stored", async () => {
  const from = randomEmail();
  for (const secret of ["wrong", "", null, SECRET + "x"]) {
    const res = await post(parsedEmail({ from }), { secret });
    assert.equal(res.status, 403);
    const answer = await res.json();
    assert.equal(answer.success, false);
    assert.match(answer.error, /secret/);
  }
  const [{ n }] = await sql`select count(*)::int as n from emails where from_email = ${from}`;
  assert.equal(n, 0);
});

test("with no HATCH_INBOUND_EMAIL_SECRET set, every post is refused with 403", async () => {
  const bare = await startTestApp({ HATCH_DATA_DIR: dataDir });
  try {
    const res = await post(parsedEmail({ from: randomEmail() }), { app: bare, secret: "" });
    assert.equal(res.status, 403);
    assert.match((await res.json()).error, /HATCH_INBOUND_EMAIL_SECRET/);
  } finally {
    await bare.stop();
  }
});

test("a post that is not Inbound Parse is a 400 in words", async () => {
  const res = await t.raw.request(`/webhooks/sendgrid/inbound?secret=${SECRET}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: "{}",
  });
  assert.equal(res.status, 400);
  assert.match((await res.json()).error, /multipart\/form-data/);
  const empty = await post([{ name: "spam_score", value: "0.1" }]);
  assert.equal(empty.status, 400);
  assert.match((await empty.json()).error, /Not an Inbound Parse post/);
});

test("a 25 MB attachment with a 1.5 MB HTML part is accepted and kept", async () => {
  const bigDir = await Deno.makeTempDir({ prefix: "hatch_inbound_big_" });
  const big = await startTestApp({
    HATCH_INBOUND_EMAIL_SECRET: SECRET,
    HATCH_ATTACHMENT_MAX_BYTES: String(30 * 1024 * 1024),
    HATCH_DATA_DIR: bigDir,
  });
  try {
    const file = new Uint8Array(25 * 1024 * 1024);
    for (let i = 0; i < file.length; i += 4096) file[i] = i % 251;
    const html = `<html><body>${
      "<p>Quarterly numbers, line by line.</p>".repeat(40_000)
    }</body></html>`;
    assert.ok(html.length > 1_000_000);
    const fields = parsedEmail({ from: randomEmail(), to: OURS, html, text: "See HTML" });
    fields.push(
      { name: "attachments", value: "1" },
      {
        name: "attachment-info",
        value: '{"attachment1":{"filename":"data.bin","type":"application/octet-stream"}}',
      },
      {
        name: "attachment1",
        value: file,
        filename: "data.bin",
        contentType: "application/octet-stream",
      },
    );
    const started = performance.now();
    const res = await post(fields, { app: big });
    const ms = performance.now() - started;
    assert.equal(res.status, 200, await res.clone().text());
    const answer = await res.json();
    const [r] = await big.ctx.sql`select * from emails where id = ${answer.email_id}`;
    assert.equal(r.html_content.length, html.length);
    assert.equal(r.attachments[0].size, file.length);
    assert.equal(r.attachments[0].kept, true);
    const stored = await Deno.stat(join(bigDir, r.attachments[0].path));
    assert.equal(stored.size, file.length);
    // SendGrid waits for the answer; a slow one risks its timeout and a retry.
    assert.ok(ms < 10_000, `took ${Math.round(ms)} ms`);

    // The same mail as raw MIME: base64 makes the 25 MB file about 34 MB on the wire.
    const base64 = btoa(Array.from(file, (b) => String.fromCharCode(b)).join(""))
      .replace(/.{76}/g, "$&\r\n");
    const raw = [
      `From: ${randomEmail()}`,
      `To: ${OURS}`,
      "Subject: Big raw",
      `Message-ID: ${messageId()}`,
      'Content-Type: multipart/mixed; boundary="big"',
      "",
      "--big",
      "Content-Type: text/html; charset=utf-8",
      "",
      html,
      "--big",
      'Content-Type: application/octet-stream; name="data.bin"',
      'Content-Disposition: attachment; filename="data.bin"',
      "Content-Transfer-Encoding: base64",
      "",
      base64,
      "--big--",
      "",
    ].join("\r\n");
    assert.ok(raw.length > 30 * 1024 * 1024);
    const rawStarted = performance.now();
    const rawRes = await post([{ name: "email", value: raw }], { app: big });
    const rawMs = performance.now() - rawStarted;
    assert.equal(rawRes.status, 200, await rawRes.clone().text());
    const rawAnswer = await rawRes.json();
    const [rr] = await big.ctx.sql`select * from emails where id = ${rawAnswer.email_id}`;
    assert.equal(rr.attachments[0].size, file.length);
    assert.ok(rr.html_content.length >= html.length);
    assert.match(rr.body, /Quarterly numbers/);
    assert.ok(rawMs < 15_000, `raw took ${Math.round(rawMs)} ms`);
  } finally {
    await big.stop();
    await Deno.remove(bigDir, { recursive: true });
  }
});

test("a post over 40 MB is refused with 413", async () => {
  const chunk = new Uint8Array(1024 * 1024).fill(0x61);
  let sent = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent++ < 41) controller.enqueue(chunk);
      else controller.close();
    },
  });
  const res = await t.raw.request(`/webhooks/sendgrid/inbound?secret=${SECRET}`, {
    method: "POST",
    headers: { "content-type": "multipart/form-data; boundary=x" },
    body: stream,
  });
  assert.equal(res.status, 413);
  assert.match((await res.json()).error, /too large/);
});
