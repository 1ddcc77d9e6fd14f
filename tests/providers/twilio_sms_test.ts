import assert from "node:assert/strict";
import { test } from "@/tests/helpers.ts";
import { sendError } from "./helpers.ts";
import { type FakeTwilio, startFakeTwilio } from "@/tests/fakes/fake_twilio.ts";
import { TwilioSms } from "@/lib/providers/twilio_sms.ts";
import type { SmsRequest } from "@/lib/providers/types.ts";
import { parseSettings } from "@/lib/config.ts";
import { smsFromAddress, smsProviderFor } from "@/lib/providers/select.ts";

const FROM = "+15005550006";

function sms(overrides: Partial<SmsRequest> = {}): SmsRequest {
  return {
    messageId: crypto.randomUUID(),
    from: FROM,
    to: "+14155550123",
    body: "Your table is ready",
    ...overrides,
  };
}

async function withFake(
  fn: (fake: FakeTwilio, provider: TwilioSms) => Promise<void>,
  options: { messagingServiceSid?: string; timeoutMs?: number; authToken?: string } = {},
): Promise<void> {
  const fake = startFakeTwilio();
  try {
    const provider = new TwilioSms({
      accountSid: fake.accountSid,
      authToken: options.authToken ?? fake.authToken,
      messagingServiceSid: options.messagingServiceSid,
      apiBaseUrl: fake.url,
      timeoutMs: options.timeoutMs,
    });
    await fn(fake, provider);
  } finally {
    await fake.close();
  }
}

test("twilio: the SDK posts an authenticated form with every field to the Messages resource", async () => {
  await withFake(async (fake, provider) => {
    const result = await provider.send(sms({
      mediaUrls: ["https://example.com/a.jpg", "https://example.com/b.png"],
      statusCallback: "https://hatch.example.com/webhooks/twilio/status",
    }));
    assert.equal(fake.requests.length, 1);
    const req = fake.requests[0];
    assert.equal(req.method, "POST");
    assert.equal(req.path, `/2010-04-01/Accounts/${fake.accountSid}/Messages.json`);
    assert.equal(
      req.headers.authorization,
      `Basic ${btoa(`${fake.accountSid}:${fake.authToken}`)}`,
    );
    assert.match(req.headers["content-type"], /^application\/x-www-form-urlencoded/);
    assert.match(req.headers["user-agent"], /^twilio-node\//);
    assert.equal(req.form.get("To"), "+14155550123");
    assert.equal(req.form.get("From"), FROM);
    assert.equal(req.form.get("Body"), "Your table is ready");
    assert.deepEqual(req.form.getAll("MediaUrl"), [
      "https://example.com/a.jpg",
      "https://example.com/b.png",
    ]);
    assert.equal(
      req.form.get("StatusCallback"),
      "https://hatch.example.com/webhooks/twilio/status",
    );
    assert.equal(req.form.has("MessagingServiceSid"), false);

    assert.match(result.providerMessageId, /^SM[0-9a-f]{32}$/);
    assert.ok(fake.messages.has(result.providerMessageId));
    assert.equal(result.status, "queued");
    assert.equal(result.followUps, undefined);
    const response = result.response as Record<string, unknown>;
    assert.equal(response.sid, result.providerMessageId);
    assert.equal(response.status, "queued");
    assert.equal(response.numSegments, "1");
    assert.equal(response.numMedia, "2");
    assert.ok(!JSON.stringify(response).includes(fake.authToken));
  });
});

test("twilio: a plain SMS sends no MediaUrl or StatusCallback", async () => {
  await withFake(async (fake, provider) => {
    await provider.send(sms());
    const form = fake.requests[0].form;
    assert.deepEqual([...form.keys()].sort(), ["Body", "From", "To"]);
  });
});

test("twilio: an MMS without text sends only the media", async () => {
  await withFake(async (fake, provider) => {
    const result = await provider.send(sms({ body: "", mediaUrls: ["https://example.com/a.jpg"] }));
    assert.equal(fake.requests[0].form.has("Body"), false);
    assert.match(result.providerMessageId, /^SM/);
  });
});

test("twilio: a Messaging Service replaces From and Twilio's 'accepted' maps to queued", async () => {
  const service = `MG${"ab".repeat(16)}`;
  await withFake(async (fake, provider) => {
    const result = await provider.send(sms());
    const form = fake.requests[0].form;
    assert.equal(form.get("MessagingServiceSid"), service);
    assert.equal(form.has("From"), false);
    assert.equal(result.status, "queued");
    assert.equal((result.response as { status: string }).status, "accepted");
  }, { messagingServiceSid: service });
});

test("twilio: long bodies are counted in segments as Twilio bills them", async () => {
  await withFake(async (_fake, provider) => {
    const long = await provider.send(sms({ body: "a".repeat(161) }));
    assert.equal((long.response as { numSegments: string }).numSegments, "2");
    const emoji = await provider.send(sms({ body: "🙂".repeat(36) }));
    assert.equal((emoji.response as { numSegments: string }).numSegments, "2");
  });
});

test("twilio: permanent refusals keep Twilio's code and message", async () => {
  const cases: [string, string][] = [
    ["+15005550001", "21211"],
    ["+15005550003", "21408"],
    ["+15005550004", "21610"],
    ["+15005550009", "21614"],
  ];
  await withFake(async (_fake, provider) => {
    for (const [to, code] of cases) {
      const error = await sendError(provider, sms({ to }));
      assert.equal(error.code, code, to);
      assert.equal(error.transient, false, to);
      // Only the unsubscribed refusal opts the recipient out; Twilio's code stays in here.
      assert.equal(error.optedOut, code === "21610", to);
      const response = error.options.response as Record<string, unknown>;
      assert.equal(response.code, Number(code));
      assert.equal(response.status, 400);
      assert.equal(response.more_info, `https://www.twilio.com/docs/errors/${code}`);
    }
    const invalid = await sendError(provider, sms({ to: "+15005550001" }));
    assert.equal(invalid.message, "The 'To' number +15005550001 is not a valid phone number.");
    const blocked = await sendError(provider, sms({ to: "+15005550004" }));
    assert.equal(blocked.message, "Attempt to send to unsubscribed recipient");
  });
});

test("twilio: validation errors from the API are permanent (body over 1600 characters)", async () => {
  await withFake(async (_fake, provider) => {
    const error = await sendError(provider, sms({ body: "x".repeat(1601) }));
    assert.equal(error.code, "21617");
    assert.equal(error.transient, false);
  });
});

test("twilio: wrong credentials are permanent with code 20003 and no secret in the error", async () => {
  await withFake(async (fake, provider) => {
    const error = await sendError(provider, sms());
    assert.equal(error.code, "20003");
    assert.equal(error.transient, false);
    assert.equal(error.message, "Twilio rejected the account SID or auth token");
    assert.ok(!JSON.stringify(error.options).includes("wrong-token"));
    assert.ok(!error.message.includes("wrong-token"));
    assert.equal(fake.messages.size, 0);
  }, { authToken: "wrong-token" });
});

test("twilio: rate limits and server errors are transient", async () => {
  await withFake(async (fake, provider) => {
    fake.failNext({ status: 429 });
    const limited = await sendError(provider, sms());
    assert.equal(limited.code, "20429");
    assert.equal(limited.transient, true);

    fake.failNext({ status: 500 });
    const internal = await sendError(provider, sms());
    assert.equal(internal.code, "20500");
    assert.equal(internal.transient, true);

    fake.failNext({ status: 503 });
    assert.equal((await sendError(provider, sms())).transient, true);

    fake.failNext({ status: 502, rawBody: "<html><body>Bad gateway</body></html>" });
    const gateway = await sendError(provider, sms());
    assert.equal(gateway.code, "http_502");
    assert.equal(gateway.transient, true);

    // A queue-full refusal is a 400, yet clears up by itself.
    const full = await sendError(provider, sms({ from: "+15005550008" }));
    assert.equal(full.code, "21611");
    assert.equal(full.transient, true);

    // No retry inside the SDK: one attempt per send, the queue does the retrying.
    assert.equal(fake.requests.length, 5);
    assert.ok(await provider.send(sms()));
  });
});

test("twilio: a refused connection is a transient network error", async () => {
  const fake = startFakeTwilio();
  await fake.close();
  const provider = new TwilioSms({
    accountSid: fake.accountSid,
    authToken: fake.authToken,
    apiBaseUrl: fake.url,
  });
  const error = await sendError(provider, sms());
  assert.equal(error.code, "network");
  assert.equal(error.transient, true);
  assert.match(error.message, /^Cannot reach Twilio: ECONNREFUSED/);
  assert.ok(!JSON.stringify(error.options).includes(fake.authToken));
});

test("twilio: a request that outlives the timeout is a transient network error", async () => {
  await withFake(async (fake, provider) => {
    fake.failNext({ status: 201, delayMs: 1500 });
    const started = Date.now();
    const error = await sendError(provider, sms());
    assert.ok(Date.now() - started < 1400, "the client gave up before the fake answered");
    assert.equal(error.code, "network");
    assert.equal(error.transient, true);
  }, { timeoutMs: 200 });
});

test("twilio: settings choose Twilio, its base URL and its number", async () => {
  const fake = startFakeTwilio();
  try {
    const settings = parseSettings({
      TWILIO_ACCOUNT_SID: fake.accountSid,
      TWILIO_AUTH_TOKEN: fake.authToken,
      TWILIO_PHONE_NUMBER: FROM,
      TWILIO_API_BASE_URL: `${fake.url}/`,
    });
    const provider = smsProviderFor(settings);
    assert.equal(provider.name, "twilio");
    assert.equal(smsProviderFor(settings), provider);
    assert.equal(smsFromAddress(settings), FROM);
    const result = await provider.send(sms({ from: smsFromAddress(settings) }));
    assert.ok(fake.messages.has(result.providerMessageId));
  } finally {
    await fake.close();
  }
});
