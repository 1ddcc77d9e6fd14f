// Reads SendGrid's Event Webhook: checks the ECDSA signature with @sendgrid/eventwebhook over
// the exact bytes SendGrid sent, and turns its JSON events into Hatch's terms.
import { Buffer } from "node:buffer";
import { EventWebhook } from "@sendgrid/eventwebhook";
import { storableText } from "@/lib/db/text.ts";

/** The headers SendGrid signs its Event Webhook requests with. */
export const SENDGRID_SIGNATURE_HEADER = "X-Twilio-Email-Event-Webhook-Signature";
/** The timestamp header whose value is signed together with the body. */
export const SENDGRID_TIMESTAMP_HEADER = "X-Twilio-Email-Event-Webhook-Timestamp";

// SendGrid retries an event for up to 24 hours after it happened and does not say whether a retry
// is signed afresh, so a tighter window could drop real retries. Replays inside the window change
// nothing: every sg_event_id is applied once.
const MAX_AGE_SECONDS = 26 * 3600;
// Clocks drift; a timestamp from far in the future is not SendGrid's.
const MAX_SKEW_SECONDS = 5 * 60;

const verifier = new EventWebhook();
type PublicKey = ReturnType<EventWebhook["convertPublicKeyToECDSA"]>;
const keyCache = new Map<string, PublicKey>();

function publicKeyFor(setting: string): PublicKey {
  let key = keyCache.get(setting);
  if (!key) {
    key = verifier.convertPublicKeyToECDSA(setting.trim());
    keyCache.set(setting, key);
  }
  return key;
}

/** Why a signed request was refused, in words, or `ok`. */
export type SignatureCheck = { ok: true } | { ok: false; reason: string };

/** Checks an Event Webhook request's signature and timestamp against the configured key. */
export function verifySendgridSignature(options: {
  /** SENDGRID_WEBHOOK_PUBLIC_KEY: base64 DER (SubjectPublicKeyInfo), as SendGrid shows it. */
  publicKey: string;
  body: Uint8Array;
  signature: string | undefined;
  timestamp: string | undefined;
  nowMs?: number;
}): SignatureCheck {
  if (!options.publicKey.trim()) {
    return {
      ok: false,
      reason: "SendGrid events need SENDGRID_WEBHOOK_PUBLIC_KEY to check their signature",
    };
  }
  if (!options.signature || !options.timestamp) {
    return {
      ok: false,
      reason: `Missing ${SENDGRID_SIGNATURE_HEADER} or ${SENDGRID_TIMESTAMP_HEADER} header`,
    };
  }
  if (!/^\d{1,12}$/.test(options.timestamp)) {
    return { ok: false, reason: `Invalid ${SENDGRID_TIMESTAMP_HEADER} "${options.timestamp}"` };
  }
  const age = (options.nowMs ?? Date.now()) / 1000 - Number(options.timestamp);
  if (age > MAX_AGE_SECONDS || age < -MAX_SKEW_SECONDS) {
    return {
      ok: false,
      reason: `Stale ${SENDGRID_TIMESTAMP_HEADER} "${options.timestamp}": too far from now`,
    };
  }
  let key: PublicKey;
  try {
    key = publicKeyFor(options.publicKey);
  } catch {
    return { ok: false, reason: "SENDGRID_WEBHOOK_PUBLIC_KEY is not a valid ECDSA public key" };
  }
  let valid = false;
  try {
    // A Buffer of the raw bytes: the library signs `timestamp + body` as SendGrid sent it.
    valid = verifier.verifySignature(
      key,
      Buffer.from(options.body.buffer, options.body.byteOffset, options.body.byteLength),
      options.signature,
      options.timestamp,
    );
  } catch {
    // A signature that is not base64 DER throws inside the library: it is simply not valid.
    valid = false;
  }
  return valid ? { ok: true } : { ok: false, reason: `Invalid ${SENDGRID_SIGNATURE_HEADER}` };
}

/** The event kinds Hatch acts on; others are acknowledged and recorded only. */
export type SendgridEventKind =
  | "processed"
  | "deferred"
  | "delivered"
  | "bounce"
  | "dropped"
  | "spamreport"
  | "open"
  | "click"
  | "other";

/** One Event Webhook event, in Hatch's terms. */
export interface SendgridEvent {
  /** sg_event_id, or a digest of the event when SendGrid sent none (so repeats still match). */
  eventId: string;
  kind: SendgridEventKind;
  /** The event name as SendGrid wrote it. */
  name: string;
  /** The recipient the event is about, lowercased. */
  email: string | null;
  /** Our email's id, from the custom_args our outbound mail carries. */
  emailId: string | null;
  /** SendGrid's X-Message-Id: sg_message_id up to its first dot. */
  providerMessageId: string | null;
  at: Date;
  reason: string | null;
  /** The SMTP status of a bounce (`5.1.1`), or SendGrid's code. */
  status: string | null;
  /** `bounce` or `blocked` for bounces: a block is the receiving server's temporary refusal. */
  bounceType: string | null;
  response: string | null;
}

const KINDS = new Set<string>([
  "processed",
  "deferred",
  "delivered",
  "bounce",
  "dropped",
  "spamreport",
  "open",
  "click",
]);
// Timestamps past year 9999 are not SendGrid's (and Date cannot show them in ISO form, which
// PostgreSQL reads): they fall back to the time of arrival, like missing ones.
const LAST_SECOND = Date.UTC(10000, 0, 1) / 1000;
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function text(v: unknown): string | null {
  if (typeof v === "string") return storableText(v).trim() || null;
  if (typeof v === "number") return String(v);
  return null;
}

function record(v: unknown): Record<string, unknown> | undefined {
  return typeof v === "object" && v !== null && !Array.isArray(v)
    ? v as Record<string, unknown>
    : undefined;
}

async function digest(value: unknown): Promise<string> {
  const bytes = new TextEncoder().encode(JSON.stringify(value));
  const hash = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return "sha256:" + Array.from(hash, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Parses an Event Webhook body (a JSON array of events); `undefined` when it is not one. */
export async function parseSendgridEvents(body: string): Promise<SendgridEvent[] | undefined> {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (!Array.isArray(value)) return undefined;
  const events: SendgridEvent[] = [];
  for (const item of value) {
    const e = record(item);
    if (!e) continue;
    const name = text(e.event) ?? "";
    // Custom args arrive merged into the event; older senders nest them under unique_args.
    const args = { ...record(e.unique_args), ...record(e.custom_args), ...e };
    const emailId = text(args.email_id);
    const sgMessageId = text(e.sg_message_id);
    const seconds = typeof e.timestamp === "number" ? e.timestamp : Number(e.timestamp);
    events.push({
      eventId: text(e.sg_event_id)?.slice(0, 200) ?? await digest(e),
      kind: (KINDS.has(name) ? name : "other") as SendgridEventKind,
      name,
      email: text(e.email)?.toLowerCase() ?? null,
      emailId: emailId && UUID_RE.test(emailId) ? emailId.toLowerCase() : null,
      providerMessageId: sgMessageId ? sgMessageId.split(".")[0] : null,
      at: seconds > 0 && seconds < LAST_SECOND ? new Date(seconds * 1000) : new Date(),
      reason: text(e.reason),
      status: text(e.status),
      bounceType: text(e.type),
      response: text(e.response),
    });
  }
  return events;
}
