// The fake Twilio and SendGrid side by side, with the settings that point Hatch's SDKs at them:
// what a test file that sends through both starts before its app.
import { onTeardown } from "@/tests/helpers.ts";
import { type FakeTwilio, startFakeTwilio } from "./fake_twilio.ts";
import { type FakeSendgrid, startFakeSendgrid } from "./fake_sendgrid.ts";

/** Both fakes and the settings that send through them. */
export interface FakeProviders {
  twilio: FakeTwilio;
  sendgrid: FakeSendgrid;
  /** Twilio's and SendGrid's settings, for `startTestApp` or a spawned process's env. */
  env: Record<string, string>;
}

/** Starts both fakes, closed after the file's tests. */
export function startFakeProviders(): FakeProviders {
  const twilio = startFakeTwilio();
  onTeardown(() => twilio.close());
  const sendgrid = startFakeSendgrid();
  onTeardown(() => sendgrid.close());
  return {
    twilio,
    sendgrid,
    env: {
      TWILIO_ACCOUNT_SID: twilio.accountSid,
      TWILIO_AUTH_TOKEN: twilio.authToken,
      TWILIO_PHONE_NUMBER: "+15005550006",
      TWILIO_API_BASE_URL: twilio.url,
      SENDGRID_API_KEY: sendgrid.apiKey,
      SENDGRID_FROM_EMAIL: "team@hatch.example",
      SENDGRID_API_BASE_URL: sendgrid.url,
    },
  };
}
