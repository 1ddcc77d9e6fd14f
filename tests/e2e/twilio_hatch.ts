// A Hatch process that texts through the fake Twilio server, and the customer's side of it: a
// text posted to its webhook, signed as Twilio signs it.
import assert from "node:assert/strict";
import twilio from "twilio";
import type { HatchProcess } from "@/tests/process.ts";
import { freePort } from "@/lib/net.ts";
import { onTeardown } from "@/tests/helpers.ts";
import { type FakeTwilio, startFakeTwilio } from "@/tests/fakes/fake_twilio.ts";
import { startHatch } from "./harness.ts";

/** Our number, the one customers text. */
export const OURS = "+15005550006";

/** The fake Twilio and the Hatch sending through it. */
export interface TwilioHatch {
  fake: FakeTwilio;
  hatch: HatchProcess;
  /** The address Hatch knows itself by, which Twilio's signatures cover. */
  publicUrl: string;
}

/** Starts the fake Twilio and Hatch on it (on `databaseUrl` when given), both stopped after. */
export async function startTwilioHatch(
  options: { databaseUrl?: string } = {},
): Promise<TwilioHatch> {
  const fake = startFakeTwilio();
  onTeardown(() => fake.close());
  const port = freePort();
  const publicUrl = `http://127.0.0.1:${port}`;
  const hatch = await startHatch({
    port,
    databaseUrl: options.databaseUrl,
    env: {
      HATCH_SMS_PROVIDER: "twilio",
      TWILIO_ACCOUNT_SID: fake.accountSid,
      TWILIO_AUTH_TOKEN: fake.authToken,
      TWILIO_PHONE_NUMBER: OURS,
      TWILIO_API_BASE_URL: fake.url,
      HATCH_PUBLIC_URL: publicUrl,
    },
  });
  return { fake, hatch, publicUrl };
}

/** Posts an inbound SMS from `from` to the webhook, signed as Twilio signs it. */
export async function customerTexts(to: TwilioHatch, from: string, body: string): Promise<void> {
  const path = "/webhooks/twilio/sms";
  const params = {
    AccountSid: to.fake.accountSid,
    MessageSid: `SM${crypto.randomUUID().replaceAll("-", "")}`,
    From: from,
    To: OURS,
    Body: body,
    NumMedia: "0",
  };
  const res = await fetch(`${to.hatch.url}${path}`, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      "x-twilio-signature": twilio.getExpectedTwilioSignature(
        to.fake.authToken,
        `${to.publicUrl}${path}`,
        params,
      ),
    },
    body: new URLSearchParams(params).toString(),
  });
  await res.body?.cancel();
  assert.equal(res.status, 200, `the webhook took the text (${res.status})`);
}
