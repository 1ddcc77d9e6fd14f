// The webhooks behind a valid signature or secret: what Twilio or SendGrid could post (or an
// attacker holding the secret), generated field by field with hostile values, must never make
// a 5xx. Twilio would retry a 5xx forever; a 4xx says what is wrong. Unsigned posts are covered
// by api_fuzz_test.ts (only a 4xx will do there).
import fc from "fast-check";
import twilio from "twilio";
import { applyStatus } from "@/lib/db/thread.ts";
import {
  jsonRequest,
  randomEmail,
  randomPhone,
  startTestApp,
  tempDir,
  test,
} from "@/tests/helpers.ts";
import {
  type FormField,
  multipartForm,
  sendgridEventSigner,
} from "@/tests/fakes/sendgrid_webhooks.ts";
import { nastyString } from "./arbitraries.ts";
import { headerValue } from "./malformed.ts";
import { checkAnswer, fuzz, type FuzzRequest, RUNS, send, Tally } from "./harness.ts";

const PUBLIC = "https://hatch.example";
const TWILIO_TOKEN = "fuzz-twilio-auth-token";
const SECRET = `fuzz-${crypto.randomUUID()}`;
const OURS = "support@parse.hatch.example";
const signer = sendgridEventSigner();
const dataDir = await tempDir("hatch_fuzz_");
const t = await startTestApp({
  HATCH_PUBLIC_URL: PUBLIC,
  TWILIO_AUTH_TOKEN: TWILIO_TOKEN,
  SENDGRID_WEBHOOK_PUBLIC_KEY: signer.publicKey,
  HATCH_INBOUND_EMAIL_SECRET: SECRET,
  HATCH_INBOUND_EMAIL_ADDRESS: OURS,
  HATCH_ATTACHMENT_MAX_BYTES: "2000",
  HATCH_DATA_DIR: dataDir,
});

// Rows the posts can be about: a sent SMS with its Twilio sid, a sent email with its SendGrid
// id and Message-ID (for status events and for threading replies into it).
const SID = `SM${crypto.randomUUID().replaceAll("-", "")}`;
const SG_ID = `sg${crypto.randomUUID().replaceAll("-", "")}`;
const sms = await (await jsonRequest(t.app, "/api/send_message", {
  to: randomPhone(),
  content: "fuzz",
})).json();
await applyStatus(t.ctx.sql, "messages", sms.message_id, {
  status: "sent",
  providerMessageId: SID,
});
const sent = await (await jsonRequest(t.app, "/api/send_email", {
  to_email: randomEmail(),
  subject: "fuzz",
  body: "fuzz",
})).json();
await t.ctx.sql`update emails set provider = 'sendgrid' where id = ${sent.email_id}`;
await applyStatus(t.ctx.sql, "emails", sent.email_id, { status: "sent", providerMessageId: SG_ID });
const [{ message_id_header: MESSAGE_ID }] = await t.ctx.sql`
  select message_id_header from emails where id = ${sent.email_id}`;

const phoneLike = fc.oneof(
  fc.constantFrom("+15005550006", "+15005550001", "+14155550100", "whatsapp:+14155550100"),
  nastyString,
);
const text = fc.oneof(fc.string({ maxLength: 30 }), nastyString);

// ---- Twilio: form fields signed with the auth token over the public URL ----

function twilioSignature(url: string, fields: [string, string][]): string {
  const params: Record<string, string | string[]> = {};
  for (const [k, v] of fields) {
    const had = params[k];
    params[k] = had === undefined ? v : [...(Array.isArray(had) ? had : [had]), v];
  }
  return twilio.getExpectedTwilioSignature(TWILIO_TOKEN, url, params);
}

function twilioPost(path: string, fields: [string, string][], query: string): FuzzRequest {
  const form = new URLSearchParams(fields);
  // What the app reads back after form decoding is what Twilio signed.
  const decoded = [...new URLSearchParams(form.toString())] as [string, string][];
  // Twilio signs the URL it calls, percent-encoded as it goes out.
  const url = new URL(`${path}${query}`, PUBLIC);
  const signature = twilioSignature(`${PUBLIC}${url.pathname}${url.search}`, decoded);
  return {
    method: "POST",
    path: `${path}${query}`,
    body: {
      malformed: {
        kind: "text",
        text: form.toString(),
        contentType: "application/x-www-form-urlencoded",
      },
    },
    headers: [["x-twilio-signature", signature]],
  };
}

const sidLike = fc.oneof(
  fc.constant(SID),
  fc.uuid().map((u) => `SM${u.replaceAll("-", "")}`),
  nastyString,
);
const mediaFields = fc.integer({ min: 0, max: 3 }).chain((n) =>
  fc.tuple(
    ...Array.from({ length: n }, (_, i) =>
      fc.tuple(fc.oneof(fc.webUrl(), nastyString), fc.oneof(fc.constant("image/jpeg"), text)).map(
        ([url, type]) =>
          [[`MediaUrl${i}`, url], [`MediaContentType${i}`, type]] as [
            string,
            string,
          ][],
      )),
  ).map((pairs) =>
    pairs.flat()
  )
);
const twilioQuery = fc.constantFrom("", "?x=1", "?a=%00&b=é");

test("fuzz signed POST /webhooks/twilio/sms", async () => {
  const fields = fc.tuple(
    fc.record({
      MessageSid: sidLike,
      From: phoneLike,
      To: phoneLike,
      Body: fc.oneof(text, fc.constantFrom("STOP", "start", "HELP", " unstop ")),
      NumMedia: fc.oneof(fc.constantFrom("0", "1", "3", "-1", "NaN", "1e309", "99999999999"), text),
      AccountSid: text,
    }, { requiredKeys: [] }),
    mediaFields,
    fc.array(fc.tuple(text, text), { maxLength: 2 }),
  ).map(([known, media, extra]) => [...Object.entries(known), ...media, ...extra]);
  const tally = new Tally("signed twilio sms");
  await fuzz("signed twilio sms", fc.tuple(fields, twilioQuery), async ([f, q]) => {
    const r = twilioPost("/webhooks/twilio/sms", f, q);
    tally.add(...await answer(r));
  }, RUNS * 4);
  tally.print();
});

test("fuzz signed POST /webhooks/twilio/status", async () => {
  const fields = fc.tuple(
    fc.record({
      MessageSid: sidLike,
      MessageStatus: fc.oneof(
        fc.constantFrom("queued", "sent", "delivered", "undelivered", "failed", "read", "canceled"),
        text,
      ),
      ErrorCode: fc.oneof(
        fc.constantFrom("30003", "21610", "0", "-1", "99999999999999999999"),
        text,
      ),
      ErrorMessage: text,
    }, { requiredKeys: [] }),
    fc.array(fc.tuple(text, text), { maxLength: 2 }),
  ).map(([known, extra]) => [...Object.entries(known), ...extra]);
  const tally = new Tally("signed twilio status");
  await fuzz("signed twilio status", fc.tuple(fields, twilioQuery), async ([f, q]) => {
    const r = twilioPost("/webhooks/twilio/status", f, q);
    tally.add(...await answer(r));
  }, RUNS * 4);
  tally.print();
});

// ---- SendGrid Event Webhook: a JSON array of events signed with the ECDSA key ----

const number = fc.oneof(
  fc.integer(),
  fc.constantFrom(0, -1, 1e20, 1e300, -1e300, 8.64e12, 2 ** 63, 1.5),
  fc.double({ noNaN: true }),
);
const event = fc.record({
  event: fc.oneof(
    fc.constantFrom(
      "processed",
      "deferred",
      "delivered",
      "bounce",
      "dropped",
      "spamreport",
      "open",
      "click",
    ),
    text,
  ),
  email: fc.oneof(fc.emailAddress(), text),
  timestamp: fc.oneof(number, text),
  sg_event_id: fc.oneof(fc.uuid(), text, fc.constant("x".repeat(5_000))),
  sg_message_id: fc.oneof(fc.constant(`${SG_ID}.filter0001`), text),
  email_id: fc.oneof(fc.constant(sent.email_id as string), fc.uuid(), text),
  reason: text,
  status: text,
  type: fc.oneof(fc.constantFrom("bounce", "blocked"), text),
  response: text,
  custom_args: fc.jsonValue({ maxDepth: 2 }),
}, { requiredKeys: [] });
const eventsBody = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.array(fc.oneof(event, fc.jsonValue({ maxDepth: 2 })), { maxLength: 5 }),
  },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
).map((v) => JSON.stringify(v) ?? "null");

test("fuzz signed POST /webhooks/sendgrid/events", async () => {
  const tally = new Tally("signed sendgrid events");
  await fuzz("signed sendgrid events", eventsBody, async (body) => {
    const headers = Object.entries(signer.headers(body)) as [string, string][];
    const r: FuzzRequest = {
      method: "POST",
      path: "/webhooks/sendgrid/events",
      body: { malformed: { kind: "text", text: body, contentType: "application/json" } },
      headers,
    };
    tally.add(...await answer(r));
  }, RUNS * 4);
  tally.print();
});

// ---- SendGrid Inbound Parse: multipart posts behind the URL secret ----

const address = fc.oneof(
  fc.emailAddress(),
  fc.constantFrom(OURS, `Customer <c@example.com>`, "undisclosed-recipients:;", '"a,b" <a@b.c>'),
  text,
);
const headerBlock = fc.tuple(
  fc.constantFrom("\n", "\r\n", "\n "),
  fc.array(
    fc.oneof(
      fc.tuple(
        fc.constantFrom("From", "To", "Cc", "Reply-To", "Subject", "Message-ID", "In-Reply-To"),
        fc.oneof(address, text),
      ),
      fc.tuple(fc.constantFrom("In-Reply-To", "References"), fc.constant(MESSAGE_ID as string)),
      fc.tuple(text, text),
    ).map(([k, v]) => `${k}: ${v}`),
    { maxLength: 6 },
  ),
).map(([newline, lines]) => lines.join(newline));
const charsets = fc.oneof(
  fc.dictionary(
    fc.constantFrom("to", "from", "subject", "text", "html", "headers"),
    fc.constantFrom("UTF-8", "iso-8859-1", "utf-16le", "shift_jis", "x-unknown", ""),
  ).map((d) => JSON.stringify(d)),
  text,
);
const bytes = fc.oneof(
  fc.uint8Array({ maxLength: 64 }),
  fc.constant(new Uint8Array(2_100)),
  text.map((s) => new TextEncoder().encode(s)),
);
const parsedFields: fc.Arbitrary<FormField[]> = fc.record({
  headers: headerBlock,
  from: address,
  to: address,
  cc: address,
  subject: text,
  text: fc.oneof(text, bytes),
  html: fc.oneof(text, fc.constantFrom("<p>hi<br>there</p>", "<script>x</script>&amp;&#0;")),
  envelope: fc.oneof(
    fc.record({ to: fc.oneof(address, fc.array(address, { maxLength: 2 })), from: address })
      .map((e) => JSON.stringify(e)),
    text,
  ),
  charsets,
  "attachment-info": fc.oneof(
    fc.constant('{"attachment1":{"filename":"a.txt","type":"text/plain"}}'),
    fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v) ?? ""),
  ),
}, { requiredKeys: [] }).chain((f) =>
  fc.array(
    fc.record({
      name: fc.oneof(fc.constantFrom("attachment1", "attachment2"), text),
      value: bytes,
      filename: fc.oneof(fc.constantFrom("a.txt", "../../etc/passwd", ""), text),
      contentType: fc.oneof(fc.constantFrom("text/plain", "image/png"), headerValue),
    }, { requiredKeys: ["name", "value"] }),
    { maxLength: 2 },
  ).map((files) => [
    ...Object.entries(f).map(([name, value]) => ({ name, value }) as FormField),
    ...files,
  ])
);
const rawMime = fc.tuple(
  headerBlock,
  fc.oneof(
    text,
    fc.constantFrom(
      "--b\r\nContent-Type: text/plain\r\n\r\nhi\r\n--b--",
      "=?utf-8?B?w6k=?= =?x-unknown?Q?a?=",
    ),
  ),
).map(([h, b]) => [{ name: "email", value: `${h}\r\n\r\n${b}` }] as FormField[]);

test("fuzz POST /webhooks/sendgrid/inbound with its secret", async () => {
  const post = fc.tuple(
    fc.oneof({ weight: 3, arbitrary: parsedFields }, { weight: 1, arbitrary: rawMime }),
    fc.constantFrom("multipart", "multipart", "multipart", "no-boundary", "urlencoded"),
  );
  const tally = new Tally("inbound parse");
  await fuzz("inbound parse", post, async ([fields, how]) => {
    const form = multipartForm(fields);
    const contentType = how === "multipart"
      ? form.contentType
      : how === "no-boundary"
      ? "multipart/form-data"
      : "application/x-www-form-urlencoded";
    const r: FuzzRequest = {
      method: "POST",
      path: `/webhooks/sendgrid/inbound?secret=${encodeURIComponent(SECRET)}`,
      body: {
        malformed: { kind: "bytes", bytes: [...form.body], contentType },
      },
    };
    tally.add(...await answer(r));
  }, RUNS * 4);
  tally.print();
});

// Signed posts go out with no login: the signature or secret is all they have.
async function answer(r: FuzzRequest): Promise<[number, string]> {
  const res = await send(t.raw, r);
  return [res.status, await checkAnswer(r, res, {})];
}
