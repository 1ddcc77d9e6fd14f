import { timingSafeEqual } from "node:crypto";
import type { Ctx } from "./define.ts";
import { ForbiddenError, PayloadTooLargeError } from "@/lib/errors.ts";
import {
  SENDGRID_SIGNATURE_HEADER,
  SENDGRID_TIMESTAMP_HEADER,
  verifySendgridSignature,
} from "@/lib/providers/sendgrid_webhooks.ts";

/** Largest Event Webhook post read: SendGrid batches events into posts far below this. */
export const MAX_EVENTS_BYTES = 5 * 1024 * 1024;
/**
 * Largest Inbound Parse post read. SendGrid accepts mail up to 30 MB and does not retry a 4xx,
 * so anything it can send must fit: the limit leaves room for multipart framing.
 */
export const MAX_INBOUND_BYTES = 40 * 1024 * 1024;

function tooLarge(max: number): PayloadTooLargeError {
  return new PayloadTooLargeError(`Request body is too large: the limit is ${max} bytes`);
}

/**
 * The request body's exact bytes, refusing (413) a declared or actual length over `max` before
 * reading it all: the Content-Length is checked first, then the stream is counted as it arrives.
 */
export async function readBodyBytes(c: Ctx, max: number): Promise<Uint8Array> {
  const declared = Number(c.req.header("content-length") ?? "0");
  if (declared > max) throw tooLarge(max);
  const body = c.req.raw.body;
  if (!body) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => {});
      throw tooLarge(max);
    }
    chunks.push(value);
  }
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.byteLength;
  }
  return out;
}

/** Reads an Event Webhook post and checks its signature over the exact bytes; 403 if bad. */
export async function readSignedSendgridEvents(c: Ctx): Promise<Uint8Array> {
  const { settings } = c.var.app;
  // Refuse before reading when no key is set: nothing unsigned is ever looked at.
  if (!settings.SENDGRID_WEBHOOK_PUBLIC_KEY.trim()) {
    throw new ForbiddenError(
      "SendGrid events need SENDGRID_WEBHOOK_PUBLIC_KEY to check their signature",
    );
  }
  const body = await readBodyBytes(c, MAX_EVENTS_BYTES);
  const check = verifySendgridSignature({
    publicKey: settings.SENDGRID_WEBHOOK_PUBLIC_KEY,
    body,
    signature: c.req.header(SENDGRID_SIGNATURE_HEADER),
    timestamp: c.req.header(SENDGRID_TIMESTAMP_HEADER),
  });
  if (!check.ok) throw new ForbiddenError(check.reason);
  return body;
}

async function sha256(text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
}

/** Checks the Inbound Parse URL's `?secret=` in constant time; 403 when unset or wrong. */
export async function checkInboundSecret(c: Ctx): Promise<void> {
  const expected = c.var.app.settings.HATCH_INBOUND_EMAIL_SECRET;
  if (!expected) {
    throw new ForbiddenError("Inbound email needs HATCH_INBOUND_EMAIL_SECRET to be set");
  }
  const given = c.req.query("secret") ?? "";
  // Digests have one length whatever was given, so the comparison time says nothing about it.
  if (!timingSafeEqual(await sha256(given), await sha256(expected))) {
    throw new ForbiddenError("Invalid inbound email secret");
  }
}
