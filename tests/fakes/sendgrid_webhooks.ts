// SendGrid's side of its webhooks, for tests: Event Webhook posts signed the way SendGrid signs
// them, and Inbound Parse's multipart/form-data posts.
import { Buffer } from "node:buffer";
import { createSign, generateKeyPairSync } from "node:crypto";

/** A key pair like the one SendGrid signs Event Webhook posts with, and a signer using it. */
export interface SendgridEventSigner {
  /** What SENDGRID_WEBHOOK_PUBLIC_KEY holds: base64 DER (SubjectPublicKeyInfo). */
  publicKey: string;
  /** SendGrid's signing: ECDSA P-256 with SHA-256 over timestamp + body, base64 DER. */
  sign(body: string | Uint8Array, timestamp?: string): { signature: string; timestamp: string };
  /** The two headers SendGrid sends with a signed post. */
  headers(body: string | Uint8Array, timestamp?: string): Record<string, string>;
}

/** Makes a fresh P-256 key pair and signs the way SendGrid's Event Webhook does. */
export function sendgridEventSigner(): SendgridEventSigner {
  const { publicKey, privateKey } = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
  const spki = publicKey.export({ type: "spki", format: "der" }) as Buffer;
  const sign = (body: string | Uint8Array, timestamp = String(Math.floor(Date.now() / 1000))) => {
    const signer = createSign("sha256");
    signer.update(Buffer.concat([Buffer.from(timestamp), Buffer.from(body)]));
    return { signature: signer.sign(privateKey).toString("base64"), timestamp };
  };
  return {
    publicKey: spki.toString("base64"),
    sign,
    headers(body, timestamp) {
      const s = sign(body, timestamp);
      return {
        "content-type": "application/json",
        "X-Twilio-Email-Event-Webhook-Signature": s.signature,
        "X-Twilio-Email-Event-Webhook-Timestamp": s.timestamp,
      };
    },
  };
}

/** One field or file of a multipart/form-data post. */
export interface FormField {
  name: string;
  value: string | Uint8Array;
  filename?: string;
  contentType?: string;
}

/** Encodes fields as multipart/form-data the way SendGrid's Inbound Parse posts them. */
export function multipartForm(
  fields: FormField[],
): { body: Uint8Array<ArrayBuffer>; contentType: string } {
  const boundary = `xYzZY${crypto.randomUUID().replaceAll("-", "")}`;
  const enc = new TextEncoder();
  const chunks: Uint8Array[] = [];
  for (const f of fields) {
    const disposition = `form-data; name="${f.name}"` +
      (f.filename !== undefined ? `; filename="${f.filename}"` : "");
    const head = `--${boundary}\r\nContent-Disposition: ${disposition}\r\n` +
      (f.contentType ? `Content-Type: ${f.contentType}\r\n` : "") + "\r\n";
    chunks.push(enc.encode(head), typeof f.value === "string" ? enc.encode(f.value) : f.value);
    chunks.push(enc.encode("\r\n"));
  }
  chunks.push(enc.encode(`--${boundary}--\r\n`));
  const body = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
  let at = 0;
  for (const c of chunks) {
    body.set(c, at);
    at += c.byteLength;
  }
  return { body, contentType: `multipart/form-data; boundary=${boundary}` };
}
