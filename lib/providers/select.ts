// Picks the provider each channel uses from the settings, so the rest of Hatch only ever sees
// the SmsProvider / EmailProvider interfaces.
import type { Settings } from "@/lib/config.ts";
import { SandboxEmail, SandboxSms } from "./sandbox.ts";
import { SendgridEmail } from "./sendgrid_email.ts";
import { SmtpEmail } from "./smtp_email.ts";
import { TwilioSms } from "./twilio_sms.ts";
import type { EmailProvider, SmsProvider } from "./types.ts";

// One provider per settings object: the SDK clients hold connection pools worth reusing.
const smsCache = new WeakMap<Settings, SmsProvider>();
const emailCache = new WeakMap<Settings, EmailProvider>();

/** The SMS provider the settings choose (Twilio, or the local sandbox). */
export function smsProviderFor(settings: Settings): SmsProvider {
  let provider = smsCache.get(settings);
  if (!provider) {
    provider = settings.smsProvider === "twilio"
      ? new TwilioSms({
        accountSid: settings.TWILIO_ACCOUNT_SID,
        authToken: settings.TWILIO_AUTH_TOKEN,
        messagingServiceSid: settings.TWILIO_MESSAGING_SERVICE_SID || undefined,
        apiBaseUrl: settings.TWILIO_API_BASE_URL || undefined,
      })
      : new SandboxSms({ delayMs: settings.HATCH_SANDBOX_DELAY_MS });
    smsCache.set(settings, provider);
  }
  return provider;
}

/** The email provider the settings choose (SendGrid, SMTP, or the local sandbox). */
export function emailProviderFor(settings: Settings): EmailProvider {
  let provider = emailCache.get(settings);
  if (!provider) {
    switch (settings.emailProvider) {
      case "sendgrid":
        provider = new SendgridEmail({
          apiKey: settings.SENDGRID_API_KEY,
          apiBaseUrl: settings.SENDGRID_API_BASE_URL || undefined,
        });
        break;
      case "smtp":
        provider = new SmtpEmail({ url: settings.SMTP_URL });
        break;
      default:
        provider = new SandboxEmail({ delayMs: settings.HATCH_SANDBOX_DELAY_MS });
    }
    emailCache.set(settings, provider);
  }
  return provider;
}

/** The number our SMS go out from: Twilio's number, or the sandbox's. */
export function smsFromAddress(settings: Settings): string {
  return settings.smsProvider === "twilio" && settings.TWILIO_PHONE_NUMBER
    ? settings.TWILIO_PHONE_NUMBER
    : settings.HATCH_SANDBOX_NUMBER;
}

/** The address our email goes out from: the configured sender, or the sandbox's. */
export function emailFromAddress(settings: Settings): string {
  return settings.SENDGRID_FROM_EMAIL || settings.HATCH_SANDBOX_EMAIL;
}
