import assert from "node:assert/strict";
import { test } from "@/tests/helpers.ts";
import { SandboxEmail, SandboxSms } from "@/lib/providers/sandbox.ts";
import { ProviderError } from "@/lib/providers/types.ts";
import { parseSettings } from "@/lib/config.ts";
import {
  emailFromAddress,
  emailProviderFor,
  smsFromAddress,
  smsProviderFor,
} from "@/lib/providers/select.ts";

const sms = { messageId: "m1", from: "+15005550006", to: "+14155550123", body: "hi" };

test("sandbox sms: accepts at once and promises delivery after the configured delay", async () => {
  const provider = new SandboxSms({ delayMs: 250 });
  const a = await provider.send(sms);
  const b = await provider.send({ ...sms, mediaUrls: ["https://example.com/a.jpg"] });
  assert.equal(provider.name, "sandbox");
  assert.match(a.providerMessageId, /^SM[0-9a-f]{32}$/);
  assert.notEqual(a.providerMessageId, b.providerMessageId);
  assert.equal(a.status, "sent");
  assert.deepEqual(a.followUps, [{ status: "delivered", afterMs: 250 }]);
  assert.deepEqual(a.response, {
    sandbox: true,
    sid: a.providerMessageId,
    to: sms.to,
    from: sms.from,
    numMedia: 0,
  });
  assert.equal((b.response as { numMedia: number }).numMedia, 1);
});

test("sandbox sms: Twilio's failing test numbers fail permanently here too", async () => {
  const provider = new SandboxSms({ delayMs: 0 });
  for (const [to, code] of [["+15005550001", "21211"], ["+15005550004", "21610"]]) {
    await assert.rejects(provider.send({ ...sms, to }), (error) => {
      assert.ok(error instanceof ProviderError);
      assert.equal(error.code, code);
      assert.equal(error.transient, false);
      assert.equal(error.optedOut, code === "21610");
      return true;
    });
  }
});

test("sandbox email: accepts at once with a sandbox id and promises delivery", async () => {
  const provider = new SandboxEmail({ delayMs: 400 });
  const result = await provider.send({
    emailId: "e1",
    from: "hatch@sandbox.local",
    to: ["ada@example.com"],
    cc: [],
    bcc: [],
    subject: "Hello",
    text: "Hi",
    html: "<p>Hi</p>",
    messageIdHeader: "<e1@sandbox.local>",
  });
  assert.equal(provider.name, "sandbox");
  assert.match(
    result.providerMessageId,
    /^sandbox-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
  );
  assert.equal(result.status, "sent");
  assert.deepEqual(result.followUps, [{ status: "delivered", afterMs: 400 }]);
  assert.ok(JSON.stringify(result.response).length < 300);
});

test("select: no credentials means the sandbox for both channels, with the sandbox addresses", () => {
  const settings = parseSettings({ HATCH_SANDBOX_DELAY_MS: "123" });
  const sms = smsProviderFor(settings);
  const email = emailProviderFor(settings);
  assert.ok(sms instanceof SandboxSms);
  assert.ok(email instanceof SandboxEmail);
  assert.equal(smsProviderFor(settings), sms, "one provider per settings object");
  assert.equal(smsFromAddress(settings), "+15005550006");
  assert.equal(emailFromAddress(settings), "hatch@sandbox.local");
});

test("select: an explicit sandbox choice wins over configured credentials", () => {
  const settings = parseSettings({
    HATCH_SMS_PROVIDER: "sandbox",
    HATCH_EMAIL_PROVIDER: "sandbox",
    TWILIO_ACCOUNT_SID: `AC${"0".repeat(32)}`,
    TWILIO_PHONE_NUMBER: "+14155550000",
    SENDGRID_FROM_EMAIL: "team@hatch.example.com",
  });
  assert.equal(smsProviderFor(settings).name, "sandbox");
  assert.equal(emailProviderFor(settings).name, "sandbox");
  assert.equal(smsFromAddress(settings), "+15005550006");
  assert.equal(emailFromAddress(settings), "team@hatch.example.com");
});
