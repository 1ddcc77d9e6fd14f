// Reads Twilio's webhooks: checks X-Twilio-Signature with the SDK and turns the form fields
// into Hatch's terms. Twilio signs the public URL and every form field, duplicates included.
import twilio from "twilio";
import type { InboundSms } from "./types.ts";

/** The form as Twilio's signature check wants it: repeated fields become arrays. */
function signedParams(form: URLSearchParams): Record<string, string | string[]> {
  const params: Record<string, string | string[]> = {};
  for (const key of new Set(form.keys())) {
    const all = form.getAll(key);
    params[key] = all.length > 1 ? all : all[0];
  }
  return params;
}

/** Whether the request carries a valid X-Twilio-Signature for `url` and its form fields. */
export function verifyTwilioSignature(
  options: { authToken: string; url: string; form: URLSearchParams; signature: string | undefined },
): boolean {
  if (!options.authToken || !options.signature) return false;
  return twilio.validateRequest(
    options.authToken,
    options.signature,
    options.url,
    signedParams(options.form),
  );
}

/** An inbound SMS/MMS from Twilio's Messaging webhook fields. */
export function parseInboundSms(form: URLSearchParams): InboundSms | undefined {
  const sid = form.get("MessageSid") ?? form.get("SmsMessageSid");
  const from = form.get("From");
  const to = form.get("To");
  if (!sid || !from || !to) return undefined;
  const count = Math.min(Number(form.get("NumMedia") ?? 0) || 0, 10);
  const media = Array.from({ length: count }, (_, i) => ({
    url: form.get(`MediaUrl${i}`) ?? "",
    content_type: form.get(`MediaContentType${i}`),
  })).filter((m) => m.url);
  return {
    from,
    to,
    body: form.get("Body") ?? "",
    provider: "twilio",
    providerMessageId: sid,
    media,
  };
}

/** A status callback: which message, its new status and any error. */
export interface TwilioStatusCallback {
  sid: string;
  /** Twilio's status as sent. */
  status: string;
  /** Hatch's status for it; undefined for statuses before the hand-over. */
  hatchStatus: string | undefined;
  errorCode: string | null;
  errorMessage: string | null;
  /** The error says the recipient unsubscribed (21610). */
  optedOut: boolean;
}

/** Reads a status callback's fields, or undefined when they are missing. */
export function parseStatusCallback(form: URLSearchParams): TwilioStatusCallback | undefined {
  const sid = form.get("MessageSid") ?? form.get("SmsSid");
  const status = form.get("MessageStatus") ?? form.get("SmsStatus");
  if (!sid || !status) return undefined;
  const errorCode = form.get("ErrorCode") || null;
  return {
    sid,
    status,
    hatchStatus: hatchStatusOf(status),
    errorCode,
    errorMessage: form.get("ErrorMessage") || null,
    optedOut: errorCode === TWILIO_UNSUBSCRIBED,
  };
}

/** Hatch's status for a Twilio message status; statuses before hand-over map to nothing. */
export function hatchStatusOf(twilioStatus: string): string | undefined {
  switch (twilioStatus) {
    case "sent":
    case "delivered":
    case "undelivered":
    case "failed":
      return twilioStatus;
    case "read":
      return "delivered";
    case "canceled":
      return "failed";
    default:
      return undefined; // accepted, queued, scheduled, sending: we already say `sent`
  }
}

/** Twilio's error code for a recipient who unsubscribed (replied STOP) from the sender. */
export const TWILIO_UNSUBSCRIBED = "21610";
