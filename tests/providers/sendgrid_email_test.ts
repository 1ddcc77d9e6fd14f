import assert from "node:assert/strict";
import { test } from "@/tests/helpers.ts";
import { emailRequest, sendError } from "./helpers.ts";
import { type FakeSendgrid, startFakeSendgrid } from "@/tests/fakes/fake_sendgrid.ts";
import { SendgridEmail } from "@/lib/providers/sendgrid_email.ts";
import { parseSettings } from "@/lib/config.ts";
import { emailFromAddress, emailProviderFor } from "@/lib/providers/select.ts";

async function withFake(
  fn: (fake: FakeSendgrid, provider: SendgridEmail) => Promise<void>,
  options: { apiKey?: string; timeoutMs?: number } = {},
): Promise<void> {
  const fake = startFakeSendgrid();
  try {
    const provider = new SendgridEmail({
      apiKey: options.apiKey ?? fake.apiKey,
      apiBaseUrl: fake.url,
      timeoutMs: options.timeoutMs,
    });
    await fn(fake, provider);
  } finally {
    await fake.close();
  }
}

type Body = Record<string, unknown> & {
  personalizations: Record<string, unknown>[];
  content: { type: string; value: string }[];
};

test("sendgrid: the SDK posts the whole email, threading headers and custom args included", async () => {
  await withFake(async (fake, provider) => {
    const request = emailRequest({
      from: "Hatch Team <team@hatch.example.com>",
      to: ["ada@example.com", "grace@example.com"],
      cc: ["lin@example.com"],
      bcc: ["audit@example.com"],
      replyTo: "support@hatch.example.com",
      inReplyTo: "<first@mail.example.com>",
      references: ["<root@mail.example.com>", "<first@mail.example.com>"],
      attachments: [{
        filename: "invoice.pdf",
        contentType: "application/pdf",
        contentBase64: btoa("%PDF-1.4 fake"),
      }],
    });
    const result = await provider.send(request);
    assert.equal(fake.requests.length, 1);
    const req = fake.requests[0];
    assert.equal(req.method, "POST");
    assert.equal(req.path, "/v3/mail/send");
    assert.equal(req.headers.authorization, `Bearer ${fake.apiKey}`);
    assert.match(req.headers["content-type"], /^application\/json/);
    assert.match(req.headers["user-agent"], /^sendgrid\//);

    const body = req.body as Body;
    assert.deepEqual(body.personalizations, [{
      to: [{ email: "ada@example.com" }, { email: "grace@example.com" }],
      cc: [{ email: "lin@example.com" }],
      bcc: [{ email: "audit@example.com" }],
    }]);
    assert.deepEqual(body.from, { email: "team@hatch.example.com", name: "Hatch Team" });
    assert.deepEqual(body.reply_to, { email: "support@hatch.example.com" });
    assert.equal(body.subject, "Your order");
    assert.deepEqual(body.content, [
      { type: "text/plain", value: "Hello Ada" },
      { type: "text/html", value: "<p>Hello Ada</p>" },
    ]);
    assert.deepEqual(body.headers, {
      "Message-ID": "<abc123@hatch.example.com>",
      "In-Reply-To": "<first@mail.example.com>",
      "References": "<root@mail.example.com> <first@mail.example.com>",
    });
    assert.deepEqual(body.custom_args, { email_id: request.emailId });
    assert.deepEqual(body.attachments, [{
      content: btoa("%PDF-1.4 fake"),
      filename: "invoice.pdf",
      type: "application/pdf",
      disposition: "attachment",
    }]);

    assert.equal(fake.accepted.length, 1);
    assert.equal(result.providerMessageId, fake.accepted[0].messageId);
    assert.equal(result.status, "sent");
    assert.deepEqual(result.response, { statusCode: 202, messageId: fake.accepted[0].messageId });
  });
});

test("sendgrid: a new thread sends only Message-ID, and no empty cc, bcc or reply_to", async () => {
  await withFake(async (fake, provider) => {
    await provider.send(emailRequest());
    const body = fake.requests[0].body as Body;
    assert.deepEqual(body.headers, { "Message-ID": "<abc123@hatch.example.com>" });
    assert.deepEqual(body.personalizations, [{ to: [{ email: "ada@example.com" }] }]);
    assert.equal("reply_to" in body, false);
    assert.equal("attachments" in body, false);
  });
});

test("sendgrid: an address repeated across to, cc and bcc is sent once", async () => {
  await withFake(async (fake, provider) => {
    await provider.send(emailRequest({
      to: ["ada@example.com"],
      cc: ["ADA@example.com", "lin@example.com"],
      bcc: ["Lin <lin@example.com>", "audit@example.com"],
    }));
    const body = fake.requests[0].body as Body;
    assert.deepEqual(body.personalizations, [{
      to: [{ email: "ada@example.com" }],
      cc: [{ email: "lin@example.com" }],
      bcc: [{ email: "audit@example.com" }],
    }]);
  });
});

test("sendgrid: an empty text part is left out rather than sent blank", async () => {
  await withFake(async (fake, provider) => {
    await provider.send(emailRequest({ text: "" }));
    const body = fake.requests[0].body as Body;
    assert.deepEqual(body.content, [{ type: "text/html", value: "<p>Hello Ada</p>" }]);
  });
});

test("sendgrid: a 400 is permanent and names every problem SendGrid listed", async () => {
  await withFake(async (fake, provider) => {
    const error = await sendError(provider, emailRequest({ to: ["not-an-address"], subject: "" }));
    assert.equal(error.code, "400");
    assert.equal(error.transient, false);
    assert.equal(
      error.message,
      "SendGrid refused the email (HTTP 400): Does not contain a valid address " +
        "(personalizations.0.to.0.email); The subject is required. You can get around this " +
        "requirement if you use a template with a subject defined or if every personalization " +
        "has a subject defined (subject)",
    );
    const response = error.options.response as { status: number; errors: unknown[] };
    assert.equal(response.status, 400);
    assert.equal(response.errors.length, 2);
    assert.deepEqual(response.errors[0], {
      message: "Does not contain a valid address.",
      field: "personalizations.0.to.0.email",
      help: null,
    });
    assert.equal(fake.accepted.length, 0);
  });
});

test("sendgrid: a rejected key is permanent with code 401 and no key in the error", async () => {
  await withFake(async (_fake, provider) => {
    const error = await sendError(provider, emailRequest());
    assert.equal(error.code, "401");
    assert.equal(error.transient, false);
    assert.equal(
      error.message,
      "SendGrid rejected the API key: The provided authorization grant is invalid, expired, or revoked",
    );
    assert.ok(!JSON.stringify(error.options).includes("SG.wrong"));
  }, { apiKey: "SG.wrong.key" });
});

test("sendgrid: 403 is permanent, 429 and 5xx are transient", async () => {
  await withFake(async (fake, provider) => {
    fake.failNext({ status: 403 });
    const forbidden = await sendError(provider, emailRequest());
    assert.deepEqual([forbidden.code, forbidden.transient], ["403", false]);

    fake.failNext({ status: 429 });
    const limited = await sendError(provider, emailRequest());
    assert.deepEqual([limited.code, limited.transient], ["429", true]);
    assert.equal(limited.message, "SendGrid is unavailable (HTTP 429): too many requests");

    fake.failNext({ status: 500 });
    const internal = await sendError(provider, emailRequest());
    assert.deepEqual([internal.code, internal.transient], ["500", true]);

    fake.failNext({ status: 503, rawBody: "<html>maintenance</html>" });
    const down = await sendError(provider, emailRequest());
    assert.deepEqual([down.code, down.transient], ["503", true]);
    assert.equal(down.message, "SendGrid is unavailable (HTTP 503)");

    assert.equal(fake.requests.length, 4);
  });
});

test("sendgrid: a refused connection is a transient network error", async () => {
  const fake = startFakeSendgrid();
  await fake.close();
  const provider = new SendgridEmail({ apiKey: fake.apiKey, apiBaseUrl: fake.url });
  const error = await sendError(provider, emailRequest());
  assert.equal(error.code, "network");
  assert.equal(error.transient, true);
  assert.match(error.message, /^Cannot reach SendGrid: ECONNREFUSED/);
  assert.ok(!JSON.stringify(error.options).includes(fake.apiKey));
});

test("sendgrid: a request that outlives the timeout is a transient network error", async () => {
  await withFake(async (fake, provider) => {
    fake.failNext({ status: 202, delayMs: 1500 });
    const error = await sendError(provider, emailRequest());
    assert.equal(error.code, "network");
    assert.equal(error.transient, true);
  }, { timeoutMs: 200 });
});

test("sendgrid: settings choose SendGrid, its base URL and the sender", async () => {
  const fake = startFakeSendgrid();
  try {
    const settings = parseSettings({
      SENDGRID_API_KEY: fake.apiKey,
      SENDGRID_FROM_EMAIL: "team@hatch.example.com",
      SENDGRID_API_BASE_URL: fake.url,
    });
    const provider = emailProviderFor(settings);
    assert.equal(provider.name, "sendgrid");
    assert.equal(emailProviderFor(settings), provider);
    assert.equal(emailFromAddress(settings), "team@hatch.example.com");
    const result = await provider.send(emailRequest({ from: emailFromAddress(settings) }));
    assert.equal(result.providerMessageId, fake.accepted[0].messageId);
  } finally {
    await fake.close();
  }
});
